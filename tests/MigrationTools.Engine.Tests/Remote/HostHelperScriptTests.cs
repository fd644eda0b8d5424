using System.Diagnostics;
using System.Globalization;
using System.Net;
using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Network;
using MigrationTools.Engine.Placement;
using MigrationTools.Engine.Privilege;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Workloads;
using MigrationTools.Engine.Zfs;

namespace MigrationTools.Engine.Tests.Remote;

/// <summary>
/// The rendered host helper, run by the real <c>/bin/sh</c> with its final <c>exec</c> replaced by printing the
/// argument list (NUL-separated): what the engine sends passes unchanged, and anything outside the policy is refused.
/// </summary>
public sealed class HostHelperScriptTests : IDisposable
{
    private const string Images = CriuImageDirectory.DefaultParent;

    private static readonly HostPolicy Policy = new(new[] { DatasetName.Parse("tank/apps"), DatasetName.Parse("backup/copies") });

    private static readonly ZfsReplicationPlan Everything = new()
    {
        SendCompressed = true, SendLargeBlocks = true, SendEmbedded = true, CanEstimateSize = true,
        ReceiveResumable = true, ReceiveUnmounted = true, CanAbortResumableReceive = true, RollBackOwnedCopies = true,
    };

    private readonly string _helper = Path.Combine(Path.GetTempPath(), "mt-host-test-" + Guid.NewGuid().ToString("N"));

    public HostHelperScriptTests() =>
        File.WriteAllText(_helper, HostHelperScript.Render(Policy, "printf '%s\\0' \"$@\"; exit 0"));

    public void Dispose() => File.Delete(_helper);

    public static TheoryData<string[]> EngineCommands()
    {
        var data = new TheoryData<string[]>();
        foreach (var stage in EngineStages())
        {
            data.Add(stage);
        }

        return data;
    }

    private static string[][] EngineStages()
    {
        var one = SnapshotName.Parse("tank/apps/web@mt-abc-1");
        var two = SnapshotName.Parse("tank/apps/web@mt-abc-2");
        var commands = new[]
        {
            ZfsSendCommand.Create(ZfsSendRequest.Full(one, includeChildren: true), Everything),
            ZfsSendCommand.Create(ZfsSendRequest.Incremental(one, two, includeChildren: false), Everything),
            ZfsSendCommand.Create(ZfsSendRequest.Incremental(one, two, includeChildren: false), Everything with { SendOneDatasetAtATime = true }),
            ZfsSendCommand.Estimate(ZfsSendRequest.Incremental(one, two, includeChildren: true), Everything),
            ZfsSendCommand.Resume(ZfsResumeToken.Parse("1-e604ea4bf-e0-789c63a2"), Everything),
            ZfsSendCommand.SnapshotThenSend(two, recursive: true, ZfsSendRequest.Incremental(one, two, includeChildren: true), Everything),
            ZfsSendCommand.SnapshotThenSend(two, recursive: false, ZfsSendRequest.Full(two, includeChildren: false), Everything),
            ZfsReceiveCommand.Create(DatasetName.Parse("backup/copies/web"), Everything, ZfsReceiveMode.ForceRollback),
            ZfsReceiveCommand.Create(DatasetName.Parse("tank/apps"), ZfsReplicationPlan.Basic),
            ZfsReceiveCommand.Abort(DatasetName.Parse("backup/copies/web")),
            ZfsReceivedCopyCommand.Create(
                DatasetName.Parse("backup/copies/web"), writable: true,
                new[] { DatasetName.Parse("backup/copies/web"), DatasetName.Parse("backup/copies/web/db") },
                new[] { SnapshotName.Parse("backup/copies/web@mt-abc-2") }),
            RemoteCommand.Create(ZfsSnapshotGuids.Arguments(new[] { one, two })),
            RemoteCommand.Create("zfs"),
            RemoteCommand.Create("zfs", "get"),
            RemoteCommand.Create("zfs", "get", "-H", "-p", "-o", "value", "available", "tank"),
            RemoteCommand.Create("zfs", "get", "-H", "-p", "-d", "1", "-o", ZfsPropertyRow.Columns, ZfsListing.Properties, "tank/apps/web"),
            RemoteCommand.Create("zfs", "snapshot", "-r", "tank/apps/web@mt-abc-3"),
            RemoteCommand.Create("zfs", "destroy", "-r", "tank/apps/web@mt-abc-1"),
            RemoteCommand.Create("zfs", "destroy", "-r", "backup/copies/web"),
            RemoteCommand.Create("zfs", "rollback", "tank/apps/web@mt-abc-1"),
            RemoteCommand.Create("zfs", "hold", "-r", "migrationtools", "tank/apps/web@mt-abc-1"),
            RemoteCommand.Create("zfs", "release", "migrationtools", "tank/apps/web@mt-abc-1"),
            RemoteCommand.Create("zfs", "set", "readonly=on", "backup/copies/web"),
            RemoteCommand.Create("zfs", "set", "migrationtools:state=moving to h2", "tank/apps/web"),
            RemoteCommand.Create("zfs", "inherit", "-r", "migrationtools:state", "tank/apps/web"),
            RemoteCommand.Create("sh", "-c", CriuScripts.Remove, "sh", Images + "/web-0123456789ab"),
            RemoteCommand.Create("sh", "-c", CriuScripts.Remove, "sh", Images + "/web-0123456789ab.pre-2"),
        };
        return commands.Concat(CriuCommandsOf()).Concat(WorkloadCommandsOf()).Select(c => c.Stages.Single().ToArray()).ToArray();
    }

    private static RemoteCommand[] CriuCommandsOf()
    {
        var process = new WorkloadProcess(4242, 341611);
        var images = CriuImageDirectory.Parse(Images + "/web-0123456789ab");
        var server = new CriuPageServer(IPAddress.Parse("10.0.0.2"), 27000);
        var everything = new CriuOptions
        {
            TcpEstablished = true, FileLocks = true, NetworkLock = CriuNetworkLock.Nftables, External = ["mnt[/data]:data"],
        };
        var dump = new CriuDumpRequest(process, images)
        {
            Options = everything, CarriedFiles = ["/etc/web.conf", "/var/lib/web/state file"], PreviousImages = images.PreCopyRoundLink(2),
            PageServer = server,
        };
        var pages = dump with { PageServer = null, PreviousImages = null };
        var restore = new CriuRestoreRequest(images) { Options = everything, RecordFile = WorkloadPaths.Default.PidFile(WorkloadName.Parse("web")) };
        return new[]
        {
            CriuCommands.ScriptedDump(dump),
            CriuCommands.ScriptedDump(new CriuDumpRequest(process, images)),
            CriuCommands.ScriptedPreDump(new CriuPreDumpRequest(process, images.PreCopyRound(2)) { PreviousImages = images.PreCopyRoundLink(1), PageServer = server }),
            CriuCommands.ScriptedRestore(restore),
            CriuCommands.ScriptedRestore(new CriuRestoreRequest(images)),
            CriuCommands.ScriptedLazyRestore(restore),
            CriuCommands.StartPageServer(images, IPAddress.Parse("10.0.0.2"), images.PreCopyRoundLink(1)),
            CriuCommands.StartLazyDump(pages, IPAddress.Parse("fd00::2")),
            CriuCommands.StartLazyPages(images, server),
            CriuCommands.DetachedOutcome(images, CriuDetachedScripts.PageServer, TimeSpan.FromSeconds(30)),
            CriuCommands.StopDetached(images, CriuDetachedScripts.LazyPages),
            CriuCommands.RemovePreCopyRounds(images),
            CriuCommands.ReleaseNetworkLock(process, images),
            CriuCommands.LogTail(images.DumpLog),
            CriuImageShipment.SendCommand(images),
            CriuImageShipment.ReceiveCommand(images, sudo: false),
            CriuImageShipment.ReceiveCommand(images, sudo: false, besidePages: true),
            RemoteCommand.Create("sh", "-c", CriuScripts.Check, "sh"),
            RemoteCommand.Create("sh", "-c", CriuScripts.CpuInfoDump, "sh"),
            RemoteCommand.Create("sh", "-c", CriuScripts.CpuInfoCheck, "sh", "AAECAwQ+/w=="),
            RemoteCommand.Create("sh", "-c", CriuScripts.Resume, "sh", "4242", "341611"),
            RemoteCommand.Create("sh", "-c", CriuScripts.FindRestored, "sh", images.Path),
            RemoteCommand.Create("sh", "-c", CriuScripts.WaitForOperation, "sh", "pre-dump", images.Path, "30"),
            RemoteCommand.Create("sh", "-c", MemoryTransfers.PagesBytesScript, "sh", images.Path),
        };
    }

    private static RemoteCommand[] WorkloadCommandsOf()
    {
        var paths = WorkloadPaths.Default;
        var web = WorkloadName.Parse("web");
        var manifest = new WorkloadManifest(
            web, [], ["python3", "app.py", "--name", "it's $(id)"], CheckpointMode.Criu, "/srv/web dir",
            [new("B", "x=y"), new("A", "'; rm -rf / #")]);
        var addresses = new[] { ServiceAddress.Parse("10.0.0.80/24@eth0"), ServiceAddress.Parse("fd00::80/64@veth-web") };
        var id = MigrationId.Parse("m-0123456789ab").Value;
        return new[]
        {
            WorkloadRuntime.StartCommand(manifest, paths),
            WorkloadRuntime.StartCommand(new WorkloadManifest(web, [], ["sleep", "600"], CheckpointMode.Restart), paths),
            WorkloadRuntime.StatusCommand([web, WorkloadName.Parse("db.1")], paths),
            WorkloadRuntime.StopCommand(web, TimeSpan.FromSeconds(10), paths),
            RemoteCommand.Create("sh", "-c", WorkloadRuntime.AdoptScript, "sh", paths.WorkloadDirectory(web), "4242", "341611"),
            RemoteCommand.Create("sh", "-c", WorkloadCatalog.ListScript, "sh", paths.ManifestDirectory, (WorkloadManifestJson.MaxBytes + 1).ToString(CultureInfo.InvariantCulture)),
            RemoteCommand.Create("sh", "-c", WorkloadCatalog.ReadScript, "sh", paths.ManifestFile(web)),
            RemoteCommand.Create("sh", "-c", WorkloadCatalog.WriteScript, "sh", paths.ManifestDirectory, "web.json", "312"),
            RemoteCommand.Create("sh", "-c", WorkloadCatalog.RemoveScript, "sh", paths.ManifestFile(web)),
            RemoteCommand.Create("sh", "-c", MigrationClaim.ClaimScript, "sh", paths.ClaimFile(web), id),
            RemoteCommand.Create("sh", "-c", MigrationClaim.ReadScript, "sh", paths.ClaimFile(web)),
            RemoteCommand.Create("sh", "-c", MigrationClaim.ReleaseScript, "sh", paths.ClaimFile(web), id),
            ServiceAddressHost.InspectCommand(addresses, probe: true),
            ServiceAddressHost.InspectCommand(addresses, probe: false),
            ServiceAddressHost.ClaimCommand(addresses, holdConnections: true),
            ServiceAddressHost.ReleaseCommand(addresses),
            RemoteCommand.Create(new[] { "sh", "-c", ServiceAddressScripts.Open, "sh", ServiceAddressScripts.InterfaceDirectory }.Concat(ServiceAddressHost.AddressWords(addresses))),
        };
    }

    [ShellTheory]
    [MemberData(nameof(EngineCommands))]
    public void WhatTheEngineSendsRunsUnchanged(string[] stage)
    {
        var (verb, arguments) = HostVerbs.Match(stage) ?? throw new InvalidOperationException("No verb runs " + string.Join(" ", stage));

        var (exitCode, output, error) = RunHelper(new[] { verb.Name }.Concat(arguments).ToArray());

        Assert.True(exitCode == 0, error);
        Assert.Equal(stage, output);
    }

    [Fact]
    public void EveryVerbRunsSomethingTheEngineSends()
    {
        var used = EngineStages().Select(stage => HostVerbs.Match(stage)?.Verb.Name).ToHashSet();

        Assert.All(HostVerbs.All, verb => Assert.Contains(verb.Name, used));
    }

    [ShellTheory]
    [InlineData("zfs-destroy", "-r", "tank")]
    [InlineData("zfs-destroy", "-r", "tank/apps")]
    [InlineData("zfs-destroy", "backup/copies")]
    [InlineData("zfs-destroy", "tank/other/web")]
    [InlineData("zfs-destroy", "tank/apps/../other")]
    [InlineData("zfs-destroy", "-r", "-f", "tank/apps/web")]
    [InlineData("zfs-snapshot", "tank/other@x")]
    [InlineData("zfs-snapshot", "tank/appsX/web@x")]
    [InlineData("zfs-send", "tank/other@x")]
    [InlineData("zfs-send", "-w", "tank/apps/web@x")]
    [InlineData("zfs-send", "-i", "tank/other@a", "tank/apps/web@x")]
    [InlineData("zfs-send", "-t", "abc;reboot")]
    [InlineData("zfs-receive", "-F", "tank")]
    [InlineData("zfs-receive", "-o", "mountpoint=/etc", "tank/apps/web")]
    [InlineData("zfs-set", "mountpoint=/etc", "tank/apps/web")]
    [InlineData("zfs-set", "readonly=off", "tank/other")]
    [InlineData("zfs-get", "-o", "value", "name", "tank/x;reboot")]
    [InlineData("zfs-get", "--help")]
    [InlineData("zfs-hold", "-x", "tank/apps/web@a")]
    [InlineData("zfs-usage", "list")]
    [InlineData("zfs-snapshot-send", "", "tank/apps/web@a", "sh", "-c", "id")]
    [InlineData("zfs-received-copy", "tank/other", "on", "--", "--", "tank/other@a")]
    [InlineData("images-remove", Images)]
    [InlineData("images-remove", Images + "/../../../etc")]
    [InlineData("images-remove", Images + "/..")]
    [InlineData("images-remove", Images + "/web/../../x")]
    [InlineData("images-remove", "/etc/passwd")]
    [InlineData("criu-dump", "1", "2", Images + "/web-1", "", "criu", "restore", "-D", Images + "/web-1")]
    [InlineData("criu-dump", "1", "2", Images + "/web-1", "", "sh", "-c", "id")]
    [InlineData("criu-dump", "1", "2", Images + "/web-1", "/etc/../etc/shadow", "criu", "dump", "-t", "1")]
    [InlineData("criu-dump", "1", "2", Images + "/web-1", "", "criu", "dump", "-D", "/tmp/x")]
    [InlineData("criu-dump", "1", "2", Images + "/web-1", "", "criu", "dump", "--action-script", "/tmp/x")]
    [InlineData("criu-dump", "1", "2", Images + "/web-1", "", "criu", "dump", "-o", "../../etc/x")]
    [InlineData("criu-pre-dump", "1", "2", Images + "/web-1", "criu", "pre-dump", "--prev-images-dir", "../../../etc")]
    [InlineData("criu-restore", Images + "/web-1", "/etc/passwd", "criu", "restore", "-d")]
    [InlineData("criu-restore", Images + "/web-1", "", "criu", "restore", "--exec-cmd", "id")]
    [InlineData("criu-log-tail", "/etc/shadow", "100")]
    [InlineData("images-receive", Images + "/web-1", "/etc")]
    [InlineData("manifest-write", "/etc/migrationtools/workloads", "../x.json", "10")]
    [InlineData("manifest-write", "/etc/cron.d", "web.json", "10")]
    [InlineData("manifest-read", "/etc/shadow")]
    [InlineData("claim-take", "/etc/migrationtools/workloads/web.migration", "m-1")]
    [InlineData("workload-start", "/run/migrationtools/workloads/web", "/srv", "sh -c id", "0", "id")]
    [InlineData("workload-stop", "/proc/1/pid", "10")]
    [InlineData("address-release", "/sys/class/net", "4", "eth0;id", "10.0.0.1", "24")]
    [InlineData("address-claim", "/sys/class/net", "x", "y", "open", "4", "eth0", "10.0.0.1", "24")]
    [InlineData("sh", "-c", "id")]
    [InlineData("zfs", "destroy", "-r", "tank")]
    [InlineData("")]
    public void AnythingOutsideThePolicyIsRefused(params string[] arguments)
    {
        var (exitCode, output, error) = RunHelper(arguments);

        Assert.Equal(HostHelperScript.RefusedExitCode, exitCode);
        Assert.Empty(output);
        Assert.StartsWith(HostHelperScript.RefusalPrefix + arguments[0], error, StringComparison.Ordinal);
    }

    [ShellFact]
    public void NoVerbIsRefused()
    {
        var (exitCode, _, error) = RunHelper(Array.Empty<string>());

        Assert.Equal(HostHelperScript.RefusedExitCode, exitCode);
        Assert.Contains("expects a verb", error, StringComparison.Ordinal);
    }

    [ShellFact]
    public void ARefusalShowsHostileTextHarmlessly()
    {
        var (_, _, error) = RunHelper(["zfs-destroy", "tank/x\n\u001b[2Jmt-host: ok"]);

        Assert.Single(error.TrimEnd('\n').Split('\n'));
        Assert.DoesNotContain("\u001b", error, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryScriptVerbRunsTheEnginesOwnScriptVerbatim()
    {
        var helper = HostHelperScript.Render(Policy);

        foreach (var verb in HostVerbs.All.Where(v => v.Script is not null))
        {
            Assert.Contains(verb.ScriptVariable + "=" + ShellQuote.Quote(verb.Script!.Replace("\r\n", "\n")) + "\n", helper, StringComparison.Ordinal);
        }

        Assert.Contains("\nmt_run() { exec \"$@\"; }\n", helper, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("zfs", "list")]
    [InlineData("zfs", "get-all")]
    [InlineData("sh", "-c", "id", "sh")]
    [InlineData("criu", "dump")]
    public void CommandsNoVerbRunsHaveNoMatch(params string[] stage)
    {
        Assert.Null(HostVerbs.Match(stage));
    }

    [Fact]
    public void APolicyNeedsADatasetRootAndAPlainHelperPath()
    {
        Assert.Throws<ArgumentException>(() => new HostPolicy(Array.Empty<DatasetName>()));
        Assert.Throws<ArgumentException>(() => new HostPolicy(new[] { DatasetName.Parse("tank") }, helperPath: "/usr/local/bin/mt host"));
        Assert.Throws<ArgumentException>(() => new HostPolicy(new[] { DatasetName.Parse("tank") }, helperPath: "relative/mt-host"));
    }

    private (int ExitCode, string[] Output, string Error) RunHelper(string[] arguments)
    {
        var startInfo = new ProcessStartInfo(Sh.Path)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        startInfo.ArgumentList.Add(_helper);
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException("sh did not start.");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(30_000), "The helper did not finish.");
        process.WaitForExit();
        var words = output.Result.Length == 0 ? Array.Empty<string>() : output.Result.Substring(0, output.Result.Length - 1).Split('\0');
        return (process.ExitCode, words, error.Result);
    }
}
