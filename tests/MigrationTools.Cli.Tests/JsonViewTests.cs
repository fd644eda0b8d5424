using System.Text.Json;
using MigrationTools.Cli.Output;
using MigrationTools.Engine.Hooks;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Preflight;
using MigrationTools.Engine.Transfer;
using MigrationTools.Engine.Workloads;
using MigrationTools.Engine.Zfs;

namespace MigrationTools.Cli.Tests;

/// <summary>The JSON documents --json writes: property names, value forms and nesting, read back as a script would.</summary>
public sealed class JsonViewTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    internal static MigrationRecord SwitchedRecord() => new(
        MigrationId.Parse("m-0123456789ab"), WorkloadName.Parse("web"), "h1", "root@h2", CheckpointMode.Criu, Start)
    {
        State = MigrationState.Switched,
        Owner = WorkloadOwner.Destination,
        SyncCount = 2,
        BytesTransferred = 3_000_000,
        Downtime = TimeSpan.FromMilliseconds(840.4),
        DowntimeParts = new DowntimeParts { Dump = TimeSpan.FromSeconds(0.2), Restore = TimeSpan.FromSeconds(0.3) },
        UpdatedAt = Start.AddSeconds(30),
        Version = 7,
        Settings = new MigrationSettings
        {
            BandwidthLimit = BandwidthLimit.Parse("50M"),
            ReleaseSourceBeforeRestore = true,
            Hooks = [new CutoverHook(CutoverStage.AfterCommit, CutoverHookLocation.Controller, ["sh", "-c", "echo done"])],
        },
        Phases =
        [
            new PhaseRecord(MigrationPhase.Begin, Start, Start.AddSeconds(10), "sent 2.9 MiB in 1 dataset(s)", 2_900_000),
            new PhaseRecord(MigrationPhase.Switch, Start.AddSeconds(20), Start.AddSeconds(22), "committed", 100_000),
        ],
        Datasets = [new DatasetProgress(DatasetName.Parse("tank/web"), DatasetName.Parse("tank/web"), "mt-m-0123456789ab-3", ulong.MaxValue - 1, 3_000_000)],
    };

    [Fact]
    public void AMigrationIsItsRecordInCamelCaseWithSecondsAndWords()
    {
        var root = JsonDocument.Parse(CliJson.Document(MigrationView.Of(SwitchedRecord()))).RootElement;

        Assert.Equal("m-0123456789ab", root.GetProperty("id").GetString());
        Assert.Equal("web", root.GetProperty("workload").GetString());
        Assert.Equal("root@h2", root.GetProperty("destination").GetString());
        Assert.Equal("switched", root.GetProperty("state").GetString());
        Assert.Equal("destination", root.GetProperty("owner").GetString());
        Assert.Equal("criu", root.GetProperty("checkpointMode").GetString());
        Assert.Equal(2, root.GetProperty("syncCount").GetInt32());
        Assert.Equal(3_000_000, root.GetProperty("bytesTransferred").GetInt64());
        Assert.Equal(0.84, root.GetProperty("downtimeSeconds").GetDouble());
        var parts = root.GetProperty("downtimeParts");
        Assert.Equal(0.2, parts.GetProperty("dumpSeconds").GetDouble());
        Assert.Equal(JsonValueKind.Null, parts.GetProperty("finalDeltaSeconds").ValueKind);
        Assert.Equal(JsonValueKind.Null, parts.GetProperty("memoryTransfer").ValueKind);
        Assert.Equal(JsonValueKind.Null, parts.GetProperty("postCopySeconds").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("activePhase").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("lastError").ValueKind);
        var settings = root.GetProperty("settings");
        Assert.Equal("relay", settings.GetProperty("path").GetString());
        Assert.Equal("none", settings.GetProperty("compression").GetString());
        Assert.Equal(50L << 20, settings.GetProperty("bandwidthLimitBytesPerSecond").GetInt64());
        Assert.True(settings.GetProperty("releaseSourceBeforeRestore").GetBoolean());
        Assert.False(settings.GetProperty("tcpEstablished").GetBoolean());
        Assert.Equal("auto", settings.GetProperty("memoryTransfer").GetString());
        var hook = Assert.Single(settings.GetProperty("hooks").EnumerateArray());
        Assert.Equal("afterCommit", hook.GetProperty("stage").GetString());
        Assert.Equal("controller", hook.GetProperty("location").GetString());
        Assert.Equal(["sh", "-c", "echo done"], hook.GetProperty("command").EnumerateArray().Select(e => e.GetString()));
        var phases = root.GetProperty("phases").EnumerateArray().ToArray();
        Assert.Equal(["begin", "switch"], phases.Select(p => p.GetProperty("phase").GetString()));
        Assert.Equal("2026-01-02T03:04:05.0000000+00:00", phases[0].GetProperty("start").GetString());
        Assert.Equal(2_900_000, phases[0].GetProperty("bytes").GetInt64());
        var dataset = Assert.Single(root.GetProperty("datasets").EnumerateArray());
        // A 64-bit GUID does not survive a JSON number (jq reads doubles), so it is a string.
        Assert.Equal((ulong.MaxValue - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), dataset.GetProperty("commonSnapshotGuid").GetString());
        Assert.Equal(7, root.GetProperty("version").GetInt32());
    }

    [Fact]
    public void AMigrationNamesTheMemoryTransferItAsksForTheOneItsSwitchUsedAndThePostCopyTime()
    {
        var record = SwitchedRecord() with
        {
            Settings = new MigrationSettings { MemoryTransfer = Engine.Criu.MemoryTransfer.StopAndCopy },
            DowntimeParts = new DowntimeParts { Dump = TimeSpan.FromSeconds(0.1), MemoryTransfer = Engine.Criu.MemoryTransfer.PostCopy, PostCopy = TimeSpan.FromSeconds(4.2504) },
        };

        var root = JsonDocument.Parse(CliJson.Document(MigrationView.Of(record))).RootElement;

        Assert.Equal("stopAndCopy", root.GetProperty("settings").GetProperty("memoryTransfer").GetString());
        var parts = root.GetProperty("downtimeParts");
        Assert.Equal("postCopy", parts.GetProperty("memoryTransfer").GetString());
        Assert.Equal(4.25, parts.GetProperty("postCopySeconds").GetDouble());
    }

    [Fact]
    public void APlanNamesTheMemoryTransferASwitchWouldUseAndWhy()
    {
        var choice = Engine.Criu.MemoryTransferChoice.Choose(Engine.Criu.MemoryTransfer.PostCopy, "h2 has no userfaultfd.", null);
        var plan = new MigrationPlan(WorkloadName.Parse("web"), "h1", "h2", CheckpointMode.Criu, [], [], null, choice);
        var restart = new MigrationPlan(WorkloadName.Parse("web"), "h1", "h2", CheckpointMode.Restart, [], []);

        var root = JsonDocument.Parse(CliJson.Document(PlanView.Of(plan))).RootElement;
        var none = JsonDocument.Parse(CliJson.Document(PlanView.Of(restart))).RootElement;

        Assert.Equal("postCopy", root.GetProperty("memoryTransfer").GetString());
        Assert.Equal(choice.Reason, root.GetProperty("memoryTransferReason").GetString());
        Assert.Contains("h2 has no userfaultfd.", root.GetProperty("memoryTransferReason").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, none.GetProperty("memoryTransfer").ValueKind);
        Assert.Equal(JsonValueKind.Null, none.GetProperty("memoryTransferReason").ValueKind);
    }

    [Fact]
    public void AWorkloadHasTheCmdletObjectsProperties()
    {
        var name = WorkloadName.Parse("web");
        var manifest = new WorkloadManifest(
            name, [DatasetName.Parse("tank/web"), DatasetName.Parse("tank/logs")], ["python3", "app.py"], CheckpointMode.Criu, "/tank/web",
            new Dictionary<string, string> { ["PORT"] = "8080" }, HealthCheck.ForTcpPort(8080, 5), MigrationPolicy.Automatic);
        var summary = new WorkloadSummary(
            "h1", manifest, new WorkloadStatus(name, WorkloadState.Running, new WorkloadProcess(4242, 99)),
            [new WorkloadDatasetUsage(DatasetName.Parse("tank/web"), 1000), new WorkloadDatasetUsage(DatasetName.Parse("tank/logs"), null)]);

        var root = JsonDocument.Parse(CliJson.Document<IReadOnlyList<WorkloadView>>([WorkloadView.Of(summary, WorkloadPaths.Default)]))
            .RootElement.EnumerateArray().Single();

        Assert.Equal("h1", root.GetProperty("computerName").GetString());
        Assert.Equal("web", root.GetProperty("name").GetString());
        Assert.Equal("running", root.GetProperty("state").GetString());
        Assert.Equal(4242, root.GetProperty("processId").GetInt32());
        Assert.Equal(["tank/web", "tank/logs"], root.GetProperty("datasets").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["tank/logs"], root.GetProperty("missingDatasets").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(1000, root.GetProperty("usedBytes").GetInt64());
        Assert.Equal("automatic", root.GetProperty("migrationPolicy").GetString());
        Assert.Equal("8080", root.GetProperty("environment").GetProperty("PORT").GetString());
        var check = root.GetProperty("healthCheck");
        Assert.Equal("tcpPort", check.GetProperty("kind").GetString());
        Assert.Equal(8080, check.GetProperty("tcpPort").GetInt32());
        Assert.Equal(5, check.GetProperty("timeoutSeconds").GetInt32());
        Assert.Equal("/etc/migrationtools/workloads/web.json", root.GetProperty("manifestPath").GetString());
    }

    [Fact]
    public void AWorkloadListsItsServiceAddressesInCanonicalText()
    {
        var name = WorkloadName.Parse("web");
        var manifest = new WorkloadManifest(
            name, [], ["python3", "app.py"], CheckpointMode.Criu,
            serviceAddresses: [Engine.Network.ServiceAddress.Parse("10.0.0.80/24@eth0"), Engine.Network.ServiceAddress.Parse("FD00::80/64@br0")]);
        var summary = new WorkloadSummary("h1", manifest, new WorkloadStatus(name, WorkloadState.Stopped, null), []);
        var none = new WorkloadSummary("h1", new WorkloadManifest(name, [], ["x"], CheckpointMode.Criu), new WorkloadStatus(name, WorkloadState.Stopped, null), []);

        var root = JsonDocument.Parse(CliJson.Document(WorkloadView.Of(summary, WorkloadPaths.Default))).RootElement;
        var empty = JsonDocument.Parse(CliJson.Document(WorkloadView.Of(none, WorkloadPaths.Default))).RootElement;

        Assert.Equal(["10.0.0.80/24@eth0", "fd00::80/64@br0"], root.GetProperty("serviceAddresses").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(JsonValueKind.Array, empty.GetProperty("serviceAddresses").ValueKind);
        Assert.Empty(empty.GetProperty("serviceAddresses").EnumerateArray());
    }

    [Fact]
    public void AMigrationListsTheServiceAddressesItsRecordKeeps()
    {
        var record = SwitchedRecord() with { ServiceAddresses = [Engine.Network.ServiceAddress.Parse("10.0.0.80/24@eth0")] };

        var root = JsonDocument.Parse(CliJson.Document(MigrationView.Of(record))).RootElement;
        var empty = JsonDocument.Parse(CliJson.Document(MigrationView.Of(SwitchedRecord()))).RootElement;

        Assert.Equal(["10.0.0.80/24@eth0"], root.GetProperty("serviceAddresses").EnumerateArray().Select(e => e.GetString()));
        Assert.Empty(empty.GetProperty("serviceAddresses").EnumerateArray());
    }

    [Fact]
    public void APlanListsEveryCheckAndDataset()
    {
        var plan = new MigrationPlan(
            WorkloadName.Parse("web"), "h1", "h2", CheckpointMode.Restart,
            [PreflightCheck.Pass("DistinctHosts", "h1 to h2"), PreflightCheck.Fail("MigrationPolicy", "manual", "web")],
            [new DatasetEstimate(DatasetName.Parse("tank/web"), DatasetName.Parse("tank/web"), 2048, 1024)]);

        var root = JsonDocument.Parse(CliJson.Document(PlanView.Of(plan))).RootElement;

        Assert.False(root.GetProperty("passed").GetBoolean());
        Assert.Equal("restart", root.GetProperty("checkpointMode").GetString());
        Assert.Equal(1024, root.GetProperty("estimatedBytes").GetInt64());
        var failed = root.GetProperty("checks").EnumerateArray().Single(c => !c.GetProperty("passed").GetBoolean());
        Assert.Equal("MigrationPolicy", failed.GetProperty("name").GetString());
        Assert.Equal("web", failed.GetProperty("target").GetString());
        Assert.Equal(2048, root.GetProperty("datasets")[0].GetProperty("usedBytes").GetInt64());
        Assert.Empty(root.GetProperty("serviceAddresses").EnumerateArray());
    }

    [Fact]
    public void APlanListsTheServiceAddressesThatWouldMoveInCanonicalText()
    {
        var plan = new MigrationPlan(
            WorkloadName.Parse("web"), "h1", "h2", CheckpointMode.Criu, [PreflightCheck.Pass("DistinctHosts", "h1 to h2")], [],
            [Engine.Network.ServiceAddress.Parse("10.0.0.80/24@eth0"), Engine.Network.ServiceAddress.Parse("FD00::80/64@br0")]);

        var root = JsonDocument.Parse(CliJson.Document(PlanView.Of(plan))).RootElement;

        Assert.Equal(["10.0.0.80/24@eth0", "fd00::80/64@br0"], root.GetProperty("serviceAddresses").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void AFailureDocumentHoldsTheErrorAndTheRecordThatExplainsIt()
    {
        var record = SwitchedRecord() with { State = MigrationState.Synced, Owner = WorkloadOwner.Source, LastError = "health failed\non h2" };
        var failure = CommandFailure.From(new MigrationFailedException("rolled back", record, rolledBack: true, null));

        var root = JsonDocument.Parse(CliJson.Document(FailureView.Of(failure))).RootElement;

        Assert.Equal(4, root.GetProperty("error").GetProperty("exitCode").GetInt32());
        Assert.Equal("rolledBack", root.GetProperty("error").GetProperty("kind").GetString());
        Assert.Equal("synced", root.GetProperty("migration").GetProperty("state").GetString());
        Assert.Equal("health failed\non h2", root.GetProperty("migration").GetProperty("lastError").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("plan").ValueKind);
    }

    [Fact]
    public void AProgressEventIsOneLineOfJson()
    {
        var id = MigrationId.Parse("m-0123456789ab");
        var transfer = new TransferProgress(512 << 20, 1L << 30, true, TimeSpan.FromSeconds(4), 128 << 20, false);

        var line = CliJson.Line(ProgressEventView.Of(new MigrationProgress(id, MigrationPhase.Sync, "Copying tank/web", transfer, 2), Start));

        Assert.DoesNotContain('\n', line);
        var root = JsonDocument.Parse(line).RootElement;
        Assert.Equal("progress", root.GetProperty("type").GetString());
        Assert.Equal("m-0123456789ab", root.GetProperty("migration").GetString());
        Assert.Equal("sync", root.GetProperty("phase").GetString());
        Assert.Equal(2, root.GetProperty("round").GetInt32());
        var t = root.GetProperty("transfer");
        Assert.Equal(512 << 20, t.GetProperty("bytes").GetInt64());
        Assert.True(t.GetProperty("expectedIsEstimate").GetBoolean());
        Assert.Equal(50, t.GetProperty("percent").GetInt32());
        Assert.Equal(4.0, t.GetProperty("etaSeconds").GetDouble());
        Assert.False(t.GetProperty("complete").GetBoolean());
    }
}
