using MigrationTools.Engine.Journal;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Phases;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Tests.Migrations;

namespace MigrationTools.Engine.Tests.Draining;

/// <summary>A phase waits for a slot on its hosts before it contacts them (the hosts here do not exist).</summary>
public sealed class HostLimitsEngineTests : IDisposable
{
    private readonly string _directory = SampleRecords.TempDirectory();
    private readonly MigrationJournal _journal;

    public HostLimitsEngineTests() => _journal = new MigrationJournal(_directory);

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_directory)!, recursive: true);

    [Fact]
    public async Task APhaseWaitsForASlotReportsTheWaitAndLeavesTheRecordAsItWasWhenCancelled()
    {
        var limits = new HostLimits { MaxMigrationsPerHost = 1 };
        var engine = new MigrationEngine(_journal, new SshOptions { ConfigFile = "/dev/null" }, limits: limits);
        var record = _journal.Create(SampleRecords.New() with { State = MigrationState.Synced });
        var before = await File.ReadAllBytesAsync(_journal.PathOf(record.Id));
        var other = new HostSlots(_directory, limits);
        using var busy = await other.AcquireAsync([record.Destination], "another shell", null, CancellationToken.None);

        var reports = new List<MigrationProgress>();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(800));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => engine.SyncAsync(record.Id, new SynchronousProgress(reports.Add), cancel.Token));

        var wait = Assert.Single(reports);
        Assert.Equal(record.Id, wait.Id);
        Assert.Contains("Waiting for a slot on " + HostSlots.KeyOf(record.Destination), wait.Activity, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(_journal.PathOf(record.Id)));
        Assert.Equal(0, other.HeldOn(HostSlots.KeyOf(record.Source)));
        Assert.Same(limits, engine.Limits);
    }

    [Fact]
    public void WithoutLimitsTheEngineHasNone() =>
        Assert.Null(new MigrationEngine(_journal).Limits);

    private sealed class SynchronousProgress(Action<MigrationProgress> report) : IProgress<MigrationProgress>
    {
        public void Report(MigrationProgress value) => report(value);
    }
}
