using MigrationTools.Engine.Switching;

namespace MigrationTools.Engine.Tests.Migrations;

/// <summary>The final delta and the state travel side by side: both succeed, or the first failure stops the other and is what is reported.</summary>
public sealed class LinkedWorkTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task BothResultsComeBackWhenBothSucceed()
    {
        var (first, second) = await LinkedWork.BothAsync(
            async token => { await Task.Yield(); return 7; },
            async token => { await Task.Yield(); return "images"; },
            CancellationToken.None);

        Assert.Equal(7, first);
        Assert.Equal("images", second);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AFailureCancelsItsPartnerAndIsWhatIsThrown(bool firstFails)
    {
        var partnerCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async Task<int> Failing(CancellationToken token)
        {
            await Task.Yield();
            throw new IOException("the stream broke");
        }

        async Task<int> Waiting(CancellationToken token)
        {
            try
            {
                await Task.Delay(Patience, token);
                return 0;
            }
            catch (OperationCanceledException)
            {
                partnerCancelled.SetResult();
                throw;
            }
        }

        var both = firstFails
            ? LinkedWork.BothAsync(Failing, Waiting, CancellationToken.None)
            : LinkedWork.BothAsync(Waiting, Failing, CancellationToken.None);

        var thrown = await Assert.ThrowsAsync<IOException>(() => both.WaitAsync(Patience));
        Assert.Equal("the stream broke", thrown.Message);
        Assert.True(partnerCancelled.Task.IsCompleted);
    }

    [Fact]
    public async Task TheCallersCancellationStopsBothAndIsReportedAsSuch()
    {
        using var caller = new CancellationTokenSource();
        var started = 0;
        async Task<int> Waiting(CancellationToken token)
        {
            Interlocked.Increment(ref started);
            await Task.Delay(Patience, token);
            return 0;
        }

        var both = LinkedWork.BothAsync(Waiting, Waiting, caller.Token);
        await caller.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => both.WaitAsync(Patience));
        Assert.Equal(2, started);
    }
}
