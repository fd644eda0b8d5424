using System.Diagnostics;
using MigrationTools.Engine.Phases;
using MigrationTools.Engine.Tests.Migrations;

namespace MigrationTools.Engine.Tests.Draining;

public sealed class HostSlotsTests : IDisposable
{
    private readonly string _journal = SampleRecords.TempDirectory();

    public HostSlotsTests() => Directory.CreateDirectory(_journal);

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_journal)!, recursive: true);

    private HostSlots Open(int perHost, long? budget = null) =>
        new(_journal, new HostLimits { MaxMigrationsPerHost = perHost, BandwidthPerHost = budget });

    [Fact]
    public async Task TwoOpeningsOfTheSlotsExcludeEachOther()
    {
        var first = Open(1);
        var second = Open(1);
        var lease = await first.AcquireAsync(["root@h1"], "first", null, CancellationToken.None);

        var waitedFor = new List<string>();
        using (var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(700)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(
                () => second.AcquireAsync(["h1"], "second", waitedFor.Add, cancel.Token));
        }

        Assert.Equal(["h1"], waitedFor);
        lease.Dispose();
        using var taken = await second.AcquireAsync(["h1"], "second", null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(["h1"], taken.HostKeys);
        Assert.Equal("second\n", await ReadShared(second.PathOf("h1", 0)));
    }

    [Fact]
    public async Task AnotherProcessFindsAHeldSlotLocked()
    {
        var slots = Open(1);
        var path = slots.PathOf("h1", 0);
        using (await slots.AcquireAsync(["h1"], "held", null, CancellationToken.None))
        {
            Assert.Equal(1, await FlockExitStatus(path));
        }

        Assert.Equal(0, await FlockExitStatus(path));
    }

    [Fact]
    public async Task AHostTakesAsManyMigrationsAsItsLimitAndNoMore()
    {
        var slots = Open(2);
        using var one = await slots.AcquireAsync(["h2"], "one", null, CancellationToken.None);
        using var two = await slots.AcquireAsync(["h2"], "two", null, CancellationToken.None);
        Assert.Equal(2, slots.HeldOn("h2"));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => slots.AcquireAsync(["h2"], "three", null, cancel.Token));
        Assert.Equal(2, slots.HeldOn("h2"));
    }

    [Fact]
    public async Task AWaitCancelledOnALaterHostLeavesNothingHeldOnTheEarlierOne()
    {
        var slots = Open(1);
        using var busy = await slots.AcquireAsync(["h3"], "busy", null, CancellationToken.None);
        using (var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => slots.AcquireAsync(["h3", "h1"], "both", null, cancel.Token));
        }

        Assert.Equal(0, slots.HeldOn("h1"));
        using var h1 = await slots.AcquireAsync(["h1"], "after", null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task TwoMigrationsOverTheSameHostsInOppositeOrderNeverDeadlock()
    {
        var slots = Open(1);
        var rounds = Enumerable.Range(0, 20).Select(async i =>
        {
            string[] hosts = i % 2 == 0 ? ["h1", "h2"] : ["h2", "h1"];
            using var lease = await slots.AcquireAsync(hosts, "round " + i, null, CancellationToken.None);
            await Task.Delay(5);
        });
        await Task.WhenAll(rounds).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, slots.HeldOn("h1") + slots.HeldOn("h2"));
    }

    [Fact]
    public async Task ABudgetIsSharedByTheMigrationsOnTheHostWhenEachStarts()
    {
        var slots = Open(2, budget: 10L << 20);
        using var first = await slots.AcquireAsync(["h1"], "first", null, CancellationToken.None);
        using var second = await slots.AcquireAsync(["h1", "h9"], "second", null, CancellationToken.None);
        Assert.Equal(10L << 20, first.BandwidthShare);
        Assert.Equal(5L << 20, second.BandwidthShare);
        Assert.Null(Open(2).Limits.BandwidthPerHost);
    }

    [Theory]
    [InlineData("root@H1", "h1")]
    [InlineData("h1:2222", "h1")]
    [InlineData("admin@[2001:db8::1]:22", "2001_db8__1")]
    [InlineData("web.example.org", "web.example.org")]
    public void AHostIsKeptUnderItsNameAlone(string host, string key) => Assert.Equal(key, HostSlots.KeyOf(host));

    [Theory]
    [InlineData("root@h1", "H1:2222", true)]
    [InlineData("h1", "h2", false)]
    [InlineData("admin@[2001:db8::1]:22", "2001:db8::1", true)]
    public void TheLimitsCountAHostByItsNameAlone(string first, string second, bool same) =>
        Assert.Equal(same, HostLimits.SameHost(first, second));

    [Theory]
    [InlineData(0)]
    [InlineData(65)]
    public void ALimitOutsideItsRangeIsRefused(int perHost) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new HostLimits { MaxMigrationsPerHost = perHost });

    // Read by another program: a .NET open takes a shared flock, which a held slot refuses.
    private static async Task<string> ReadShared(string path)
    {
        using var process = Process.Start(new ProcessStartInfo("cat", [path]) { RedirectStandardOutput = true })!;
        var text = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return text;
    }

    private static async Task<int> FlockExitStatus(string path)
    {
        using var process = Process.Start(new ProcessStartInfo("flock", ["--nonblock", "--exclusive", path, "true"]))!;
        await process.WaitForExitAsync();
        return process.ExitCode;
    }
}
