using MigrationTools.Engine.Hooks;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Workloads;
using MigrationTools.Engine.Zfs;

namespace MigrationTools.Engine.Tests.Migrations;

/// <summary>Records and temporary journal directories shared by the migration tests.</summary>
internal static class SampleRecords
{
    public static readonly DateTimeOffset Created = new(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(1));

    public static MigrationRecord New(string workload = "web") =>
        new(MigrationId.New(), WorkloadName.Parse(workload), "root@host-a", "root@host-b:2222", CheckpointMode.Criu, Created);

    public static MigrationRecord Full() => New() with
    {
        State = MigrationState.Switched,
        Owner = WorkloadOwner.Destination,
        SyncCount = 3,
        BytesTransferred = 123_456_789_012,
        Downtime = TimeSpan.FromTicks(12_345_678),
        DowntimeParts = new DowntimeParts { Dump = TimeSpan.FromMilliseconds(300), Restore = TimeSpan.FromMilliseconds(450.5) },
        UpdatedAt = Created.AddMinutes(5),
        LastError = "it's \"quoted\" <ü>",
        Version = 7,
        Settings = new MigrationSettings
        {
            Path = Engine.Transfer.TransferPath.Direct,
            Compression = Engine.Replication.StreamCompression.Zstd,
            BandwidthLimit = Engine.Transfer.BandwidthLimit.FromBytesPerSecond(50L << 20),
            ReleaseSourceBeforeRestore = true,
            StopTimeoutSeconds = 30,
            Checkpoint = new Engine.Criu.CriuOptions { TcpEstablished = true, External = ["mnt[/data]:data"] },
            Hooks =
            [
                new CutoverHook(CutoverStage.BeforeFreeze, CutoverHookLocation.Controller, ["/usr/local/bin/drain", "--pool", "web it's"], 30),
                new CutoverHook(CutoverStage.AfterCommit, CutoverHookLocation.Destination, ["dns-update", "$HOST"]),
            ],
        },
        ActivePhase = MigrationPhase.Switch,
        CheckpointedProcess = new WorkloadProcess(4242, 987654321),
        Phases =
        [
            new PhaseRecord(MigrationPhase.Begin, Created, Created.AddSeconds(30), "full stream", 1000),
            new PhaseRecord(MigrationPhase.Switch, Created.AddMinutes(4), null, null, 0),
        ],
        Datasets =
        [
            new DatasetProgress(DatasetName.Parse("tank/web"), DatasetName.Parse("backup/web"), "mt-m-0123456789ab-3", ulong.MaxValue, 999),
            new DatasetProgress(DatasetName.Parse("tank/web/logs"), DatasetName.Parse("backup/web/logs"), null, null, 0),
        ],
    };

    public static string TempDirectory() =>
        Path.Combine(Path.GetTempPath(), "mt-journal-tests-" + Guid.NewGuid().ToString("N"), "journal");
}
