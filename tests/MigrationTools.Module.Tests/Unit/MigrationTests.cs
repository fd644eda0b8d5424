using System.Collections;
using System.Reflection;
using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Hooks;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Network;
using MigrationTools.Engine.Preflight;
using MigrationTools.Engine.Replication;
using MigrationTools.Engine.Transfer;
using MigrationTools.Engine.Workloads;
using MigrationTools.Engine.Zfs;
using EnginePlan = MigrationTools.Engine.Migrations.MigrationPlan;

namespace MigrationTools.Module.Tests.Unit;

/// <summary>The Migration object made from a journal record, and the MigrationPlan made from the engine's plan.</summary>
public sealed class MigrationTests
{
    private static readonly DateTimeOffset Created = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

    private static readonly MigrationSettings Settings = new()
    {
        Path = TransferPath.Direct,
        Compression = StreamCompression.Zstd,
        BandwidthLimit = BandwidthLimit.Parse("50M"),
        ReleaseSourceBeforeRestore = true,
        Checkpoint = new CriuOptions { TcpEstablished = true },
        MemoryTransfer = MemoryTransfer.PreCopy,
        Hooks = [new CutoverHook(CutoverStage.BeforeFreeze, CutoverHookLocation.Controller, ["drain", "web"], 30)],
    };

    [Fact]
    public void CarriesTheRecordUnderTheNamesTheOtherCmdletsBind()
    {
        var record = Switched();

        var migration = new Migration(record, "/home/ops/.local/share/migrationtools/journal");

        Assert.Equal("m-0123456789ab", migration.Id);
        Assert.Equal("web", migration.Workload);
        Assert.Equal("h1", migration.Source);
        Assert.Equal("root@h2:2222", migration.Destination);
        Assert.Equal(MigrationState.Switched, migration.State);
        Assert.Equal(MigrationPhase.Switch, migration.Phase);
        Assert.Null(migration.ActivePhase);
        Assert.Equal(WorkloadOwner.Destination, migration.Owner);
        Assert.Equal(CheckpointMode.Criu, migration.CheckpointMode);
        Assert.Equal(2, migration.SyncCount);
        Assert.Equal(3_300_000, migration.BytesTransferred);
        Assert.Equal(TimeSpan.FromMilliseconds(1420), migration.Downtime);
        Assert.Equal(TimeSpan.FromMilliseconds(300), migration.DowntimeParts?.Dump);
        Assert.Equal(Created.LocalDateTime, migration.StartTime);
        Assert.Equal(Created.AddMinutes(5).LocalDateTime, migration.LastUpdateTime);
        Assert.Null(migration.EndTime);
        Assert.Null(migration.LastError);
        Assert.Equal("/home/ops/.local/share/migrationtools/journal", migration.JournalPath);
        Assert.Equal("m-0123456789ab", migration.ToString());
    }

    [Fact]
    public void FlattensTheSettingsSoThatTheyBindToStartMigration()
    {
        var migration = new Migration(Switched(), null);

        Assert.True(migration.Direct);
        Assert.Equal(StreamCompression.Zstd, migration.Compression);
        Assert.Equal("50M", migration.BandwidthLimit);
        Assert.True(migration.ReleaseSourceBeforeRestore);
        Assert.True(migration.TcpEstablished);
        Assert.False(migration.FileLocks);
        Assert.Equal(MemoryTransfer.PreCopy, migration.MemoryTransfer);
        Assert.Equal(["BeforeFreeze hook on Controller: drain web"], migration.Hooks);
    }

    [Fact]
    public void TheDowntimePartsNameTheMemoryTransferTheSwitchUsedAndThePostCopyTime()
    {
        var parts = new DowntimeParts { Dump = TimeSpan.FromMilliseconds(80), MemoryTransfer = MemoryTransfer.PostCopy, PostCopy = TimeSpan.FromSeconds(4.2) };

        var migration = new Migration(Switched() with { DowntimeParts = parts }, null);

        Assert.Equal(MemoryTransfer.PostCopy, migration.DowntimeParts?.MemoryTransfer);
        Assert.Equal(TimeSpan.FromSeconds(4.2), migration.DowntimeParts?.PostCopy);
        Assert.Null(new Migration(Switched(), null).DowntimeParts?.MemoryTransfer);
    }

    [Fact]
    public void DefaultSettingsAreARelayedUncompressedUnlimitedTransfer()
    {
        var migration = new Migration(Begun() with { Settings = new MigrationSettings() }, null);

        Assert.False(migration.Direct);
        Assert.Equal(StreamCompression.None, migration.Compression);
        Assert.Null(migration.BandwidthLimit);
        Assert.False(migration.ReleaseSourceBeforeRestore);
        Assert.Equal(MemoryTransfer.Auto, migration.MemoryTransfer);
        Assert.Empty(migration.Hooks);
    }

    [Fact]
    public void TheHistoryListsEveryPhaseWithItsDurationOutcomeAndBytes()
    {
        var migration = new Migration(Switched(), null);

        Assert.Equal([MigrationPhase.Begin, MigrationPhase.Sync, MigrationPhase.Sync, MigrationPhase.Switch], migration.History.Select(h => h.Phase));
        var begin = migration.History[0];
        Assert.Equal(Created.LocalDateTime, begin.StartTime);
        Assert.Equal(Created.AddSeconds(42).LocalDateTime, begin.EndTime);
        Assert.Equal(TimeSpan.FromSeconds(42), begin.Duration);
        Assert.Equal("sent 3.1 MiB in 1 dataset(s)", begin.Outcome);
        Assert.Equal(3_200_000, begin.BytesTransferred);
        Assert.Equal("Begin: sent 3.1 MiB in 1 dataset(s)", begin.ToString());
    }

    [Fact]
    public void ThePhaseIsTheOneRunningOrElseTheLastAndAPhaseCutShortHasNoDuration()
    {
        var interrupted = Begun() with
        {
            ActivePhase = MigrationPhase.Sync,
            Phases = [.. Begun().Phases, new PhaseRecord(MigrationPhase.Sync, Created.AddMinutes(1), null, null, 0)],
        };

        var migration = new Migration(interrupted, null);
        var created = new Migration(new MigrationRecord(MigrationId.Parse("m-00000000000a"), WorkloadName.Parse("web"), "h1", "h2", CheckpointMode.Criu, Created), null);

        Assert.Equal(MigrationPhase.Sync, migration.Phase);
        Assert.Equal(MigrationPhase.Sync, migration.ActivePhase);
        Assert.Null(migration.History[^1].Duration);
        Assert.Null(migration.History[^1].EndTime);
        Assert.Equal("Sync", migration.History[^1].ToString());
        Assert.Null(created.Phase);
        Assert.Empty(created.History);
    }

    [Theory]
    [InlineData(MigrationState.Completed, true)]
    [InlineData(MigrationState.Aborted, true)]
    [InlineData(MigrationState.RolledBack, true)]
    [InlineData(MigrationState.Switched, false)]
    [InlineData(MigrationState.Failed, false)]
    public void AMigrationThatIsOverHasAnEndTime(MigrationState state, bool over)
    {
        var migration = new Migration(Switched() with { State = state }, null);

        Assert.Equal(over ? Created.AddMinutes(5).LocalDateTime : null, migration.EndTime);
    }

    [Fact]
    public void EachDatasetShowsItsCommonSnapshotAndBytes()
    {
        var dataset = Assert.Single(new Migration(Switched(), null).Datasets);

        Assert.Equal("tank/web", dataset.Source);
        Assert.Equal("tank/web", dataset.Destination);
        Assert.Equal("mt-m-0123456789ab-4", dataset.CommonSnapshot);
        Assert.Equal(3_250_000, dataset.BytesTransferred);
        Assert.Equal("tank/web", dataset.ToString());
    }

    [Fact]
    public void AFailedMigrationSaysWhatToDo()
    {
        var failed = Switched() with { State = MigrationState.Failed, LastError = "Check h1 and h2, then start it where its newest data is." };

        Assert.Equal(failed.LastError, new Migration(failed, null).LastError);
    }

    [Fact]
    public void APlanCarriesEveryCheckTheDatasetsAndTheSettingsItWasTestedWith()
    {
        var plan = new MigrationPlan(Plan(), Settings);

        Assert.Equal("web", plan.Workload);
        Assert.Equal("h1", plan.Source);
        Assert.Equal("h2", plan.Destination);
        Assert.False(plan.Passed);
        Assert.Equal("Criu", plan.CheckpointMode);
        Assert.Equal(2048, plan.EstimatedBytes);
        Assert.Equal([MigrationChecks.DistinctHosts, MigrationChecks.DestinationFree], plan.Checks.Select(c => c.Name));
        var dataset = Assert.Single(plan.Datasets);
        Assert.Equal(("tank/web", "tank/web", 4096L, 2048L), (dataset.Source, dataset.Destination, dataset.UsedBytes, dataset.EstimatedBytes));
        Assert.True(plan.Direct);
        Assert.Equal("Zstd", plan.Compression);
        Assert.Equal("50M", plan.BandwidthLimit);
        Assert.True(plan.ReleaseSourceBeforeRestore);
        Assert.True(plan.TcpEstablished);
        Assert.False(plan.FileLocks);
        Assert.Equal(["BeforeFreeze hook on Controller: drain web"], plan.Hooks);
        Assert.Equal("PreCopy", plan.MemoryTransfer);
        Assert.Equal("web from h1 to h2: failed", plan.ToString());
    }

    [Fact]
    public void APlanShowsTheMemoryTransferAskedForApartFromTheMethodItCameToAndWhy()
    {
        var choice = MemoryTransferChoice.Choose(MemoryTransfer.Auto, "h2 has no userfaultfd.", null);
        var engine = new EnginePlan(WorkloadName.Parse("web"), "h1", "h2", CheckpointMode.Criu, [], [], null, choice);

        var plan = new MigrationPlan(engine, new MigrationSettings());

        // The setting, not the method, is what a plan piped by property name asks for again: Auto stays Auto.
        Assert.Equal("Auto", plan.MemoryTransfer);
        Assert.Equal("PreCopy", plan.MemoryTransferMethod);
        Assert.Equal(choice.Reason, plan.MemoryTransferReason);
        Assert.Contains("h2 has no userfaultfd.", plan.MemoryTransferReason, StringComparison.Ordinal);
        Assert.Equal(MemoryTransfer.Auto, plan.Request.Settings.MemoryTransfer);
    }

    [Fact]
    public void APlanWithoutAMemoryTransferChoiceHasNoMethodAndNoReason()
    {
        var plan = new MigrationPlan(Plan(), new MigrationSettings { MemoryTransfer = MemoryTransfer.StopAndCopy });

        Assert.Equal("StopAndCopy", plan.MemoryTransfer);
        Assert.Null(plan.MemoryTransferMethod);
        Assert.Equal("", plan.MemoryTransferReason);
        Assert.Equal(MemoryTransfer.StopAndCopy, plan.Request.Settings.MemoryTransfer);
    }

    [Fact]
    public void AMigrationShowsTheServiceAddressesItsRecordKeepsInCanonicalText()
    {
        var record = Switched() with { ServiceAddresses = [ServiceAddress.Parse("10.0.0.80/24@eth0"), ServiceAddress.Parse("FD00::80/64@br0")] };

        Assert.Equal(["10.0.0.80/24@eth0", "fd00::80/64@br0"], new Migration(record, null).ServiceAddresses);
        Assert.Empty(new Migration(Switched(), null).ServiceAddresses);
    }

    [Fact]
    public void APlanShowsTheServiceAddressesTheEnginesPlanSaysWouldMoveInCanonicalText()
    {
        var request = new MigrationRequest(WorkloadName.Parse("web"), "h1", "h2") { Settings = Settings };
        var withAddresses = Plan([ServiceAddress.Parse("10.0.0.80/24@eth0"), ServiceAddress.Parse("FD00::80/64@br0")]);

        Assert.Equal(["10.0.0.80/24@eth0", "fd00::80/64@br0"], new MigrationPlan(withAddresses, request).ServiceAddresses);
        Assert.Equal(["10.0.0.80/24@eth0", "fd00::80/64@br0"], new MigrationPlan(withAddresses, Settings).ServiceAddresses);
        Assert.Empty(new MigrationPlan(Plan(), Settings).ServiceAddresses);
    }

    [Fact]
    public void APlanWhoseManifestCouldNotBeReadHasNoCheckpointMode()
    {
        var plan = new MigrationPlan(
            new EnginePlan(WorkloadName.Parse("web"), "h1", "h2", null, [PreflightCheck.Fail(MigrationChecks.WorkloadDeclared, "not declared")], []),
            new MigrationSettings());

        Assert.Null(plan.CheckpointMode);
        Assert.Equal("None", plan.Compression);
        Assert.Null(plan.BandwidthLimit);
        Assert.Empty(plan.Datasets);
    }

    [Fact]
    public void APlanIsMadeOfStringsNumbersBooleansAndListsOfThemSoItsJsonIsTheManifest()
    {
        // ConvertTo-Json writes enumerations as numbers and nests at most two levels deep by default: the plan avoids both.
        AssertPlain(typeof(MigrationPlan), depth: 0);
    }

    private static void AssertPlain(Type type, int depth)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var t = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (t == typeof(string) || t == typeof(bool) || t == typeof(long) || t == typeof(int))
            {
                continue;
            }

            Assert.True(depth == 0 && typeof(IEnumerable).IsAssignableFrom(t) && t.IsGenericType, $"{type.Name}.{property.Name} is a {t.Name}.");
            var element = t.GetGenericArguments()[0];
            if (element != typeof(string))
            {
                AssertPlain(element, depth + 1);
            }
        }
    }

    private static MigrationRecord Begun() =>
        new(MigrationId.Parse("m-0123456789ab"), WorkloadName.Parse("web"), "h1", "root@h2:2222", CheckpointMode.Criu, Created)
        {
            State = MigrationState.Begun,
            Phases = [new PhaseRecord(MigrationPhase.Begin, Created, Created.AddSeconds(42), "sent 3.1 MiB in 1 dataset(s)", 3_200_000)],
            Datasets = [new DatasetProgress(DatasetName.Parse("tank/web"), DatasetName.Parse("tank/web"), "mt-m-0123456789ab-1", 42, 3_200_000)],
            BytesTransferred = 3_200_000,
            Settings = Settings,
            UpdatedAt = Created.AddSeconds(42),
        };

    private static MigrationRecord Switched() => Begun() with
    {
        State = MigrationState.Switched,
        Owner = WorkloadOwner.Destination,
        SyncCount = 2,
        BytesTransferred = 3_300_000,
        Downtime = TimeSpan.FromMilliseconds(1420),
        DowntimeParts = new DowntimeParts { Dump = TimeSpan.FromMilliseconds(300), Restore = TimeSpan.FromMilliseconds(700) },
        Phases =
        [
            .. Begun().Phases,
            new PhaseRecord(MigrationPhase.Sync, Created.AddMinutes(1), Created.AddMinutes(1).AddSeconds(2), "sent 40.0 KiB in 1 dataset(s)", 40_000),
            new PhaseRecord(MigrationPhase.Sync, Created.AddMinutes(2), Created.AddMinutes(2).AddSeconds(1), "sent 10.0 KiB in 1 dataset(s)", 10_000),
            new PhaseRecord(MigrationPhase.Switch, Created.AddMinutes(4), Created.AddMinutes(4).AddSeconds(3), "committed", 50_000),
        ],
        Datasets = [new DatasetProgress(DatasetName.Parse("tank/web"), DatasetName.Parse("tank/web"), "mt-m-0123456789ab-4", 44, 3_250_000)],
        UpdatedAt = Created.AddMinutes(5),
    };

    private static EnginePlan Plan(IEnumerable<ServiceAddress>? serviceAddresses = null) => new(
        WorkloadName.Parse("web"), "h1", "h2", CheckpointMode.Criu,
        [
            PreflightCheck.Pass(MigrationChecks.DistinctHosts, "The workload would move from h1 to h2."),
            PreflightCheck.Fail(MigrationChecks.DestinationFree, "A workload named web already runs on h2.", "h2"),
        ],
        [new DatasetEstimate(DatasetName.Parse("tank/web"), DatasetName.Parse("tank/web"), 4096, 2048)],
        serviceAddresses);
}
