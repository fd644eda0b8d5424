using System.Management.Automation;
using MigrationTools.Engine.Draining;
using MigrationTools.Engine.Migrations;
using MigrationTools.Infrastructure;

namespace MigrationTools.Module.Tests.Unit;

/// <summary>
/// The drain's one view and its way to the pipeline thread: the parent bar's status line and percentage, child bar ids
/// that differ from the parent's and from each other, and the outbox that carries the workers' writes from one step to
/// the next, in order, closing bars even when the pipeline stops.
/// </summary>
public sealed class DrainProgressTests
{
    private const long GiB = 1L << 30;

    [Fact]
    public void TheParentBarSaysWhatIsDoneRunningAndWaitingTheBytesAndTheTimeLeft()
    {
        var status = new DrainStatus(Waiting: 1, Running: 3, Succeeded: 2, Failed: 0, BytesDone: GiB + GiB / 2, BytesTotal: 3 * GiB, EstimatedRemaining: TimeSpan.FromSeconds(95));

        var text = DrainProgress.Describe(status);

        Assert.StartsWith("done 2, running 3, waiting 1 · ", text, StringComparison.Ordinal);
        Assert.Contains(" of 3", text, StringComparison.Ordinal);
        Assert.Contains(" · ETA ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("failed", text, StringComparison.Ordinal);
        Assert.Equal(50, DrainProgress.PercentComplete(status));
    }

    [Fact]
    public void FailuresAreCountedAndWithoutAnEstimateThePercentageCountsTheEndedPieces()
    {
        var status = new DrainStatus(Waiting: 2, Running: 1, Succeeded: 0, Failed: 1, BytesDone: 0, BytesTotal: 0, EstimatedRemaining: null);

        var text = DrainProgress.Describe(status);

        Assert.StartsWith("done 0, running 1, waiting 2, failed 1 · ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("ETA", text, StringComparison.Ordinal);
        Assert.Equal(25, DrainProgress.PercentComplete(status));
    }

    [Fact]
    public void EachPieceHasAChildBarOfItsOwnApartFromTheCommandsBar()
    {
        var queue = new DrainQueue(2);
        var pieces = Enumerable.Range(0, 50).Select(i => new DrainWork($"w{i} from h1 to h2", 0, (_, _) => Task.FromResult<MigrationRecord>(null!))).ToArray();
        foreach (var piece in pieces)
        {
            queue.Add(piece);
        }

        var ids = pieces.Select(p => DrainProgress.ChildActivityId("Move-Workload", p)).ToArray();

        Assert.Equal(ids.Length, ids.Distinct().Count());
        Assert.DoesNotContain(ProgressActivityId.For("Move-Workload"), ids);
        Assert.All(ids, id => Assert.InRange(id, 0, int.MaxValue));
        Assert.Equal(ids, pieces.Select(p => DrainProgress.ChildActivityId("Move-Workload", p)));
    }

    [Fact]
    public async Task TheOutboxDeliversOnThePipelineThreadInTheOrderWorkersQueued()
    {
        using var outbox = new PipelineOutbox();
        var pipeline = new CmdletPipeline(new NoCmdlet());
        var caller = Environment.CurrentManagedThreadId;
        var delivered = new List<(int Value, int Thread)>();

        // Queued while no step runs, as a drain's workers do between two inputs.
        await Task.Run(() =>
        {
            for (var i = 0; i < 5; i++)
            {
                var value = i;
                outbox.Post(() => delivered.Add((value, Environment.CurrentManagedThreadId)));
            }
        });
        Assert.Empty(delivered);
        caller = Environment.CurrentManagedThreadId;

        pipeline.RunStep(() => Task.Run(() => outbox.Deliver(pipeline)));

        Assert.Equal([0, 1, 2, 3, 4], delivered.Select(d => d.Value));
        Assert.All(delivered, d => Assert.Equal(caller, d.Thread));
    }

    [Fact]
    public void TheEndStepDeliversUntilTheWorkEndsAndAStopDoesNotSkipTheCallsAfterIt()
    {
        using var outbox = new PipelineOutbox();
        var pipeline = new CmdletPipeline(new NoCmdlet());
        var delivered = new List<string>();
        var work = Task.Run(async () =>
        {
            outbox.Post(() => delivered.Add("result"));
            await Task.Delay(50);
            outbox.Post(() => throw new PipelineStoppedException());
            outbox.Post(() => delivered.Add("bar closed"));
        });

        Assert.Throws<PipelineStoppedException>(() => pipeline.RunStep(() => outbox.DeliverUntilAsync(pipeline, work)));

        Assert.True(work.IsCompleted);
        Assert.Equal(["result", "bar closed"], delivered);
    }

    /// <summary>A cmdlet that is never invoked: the pipeline's calls here are the test's own.</summary>
    private sealed class NoCmdlet : PSCmdlet
    {
    }
}
