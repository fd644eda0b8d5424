using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.Versioning;
using System.Text;
using MigrationTools.Cli.Options;
using MigrationTools.Cli.Output;
using MigrationTools.Engine.Journal;
using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Network;
using MigrationTools.Engine.Phases;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Transfer;
using MigrationTools.Engine.Workloads;
using MigrationTools.Engine.Zfs;

namespace MigrationTools.Cli.Demo;

/// <summary>
/// <c>migrationtools demo</c>: brings up the lab, starts the counter service on its first host, moves it live to the
/// second with the engine's <c>move</c>, proves it moved whole, prints the downtime and bytes moved, and takes the lab
/// down again (unless <c>--keep</c>, or unless the lab was up before, which it leaves as it found it).
/// </summary>
internal static class DemoCommand
{
    /// <summary>Builds the command.</summary>
    /// <param name="app">The command line it belongs to.</param>
    /// <returns>The command.</returns>
    public static Command Build(CliApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var keep = new Option<bool>("--keep")
        {
            Description = "Leave the lab and the moved service running, and print how to reach the hosts.",
        };
        var script = new Option<string?>("--lab-script")
        {
            Description = "The lab script (tests/lab/lab.sh). By default the checkout's, when the tool runs from a build inside one, else the copy shipped with the tool.",
            HelpName = "file",
        };
        var dataSize = ValueParsers.SizeOption(
            "--data-size", "Random data written to the service's dataset before the move, so the copy has something to show; 0 for none. Default: 128M.");
        var command = new Command(
            "demo",
            "Show a live migration on a local lab (Linux, root): brings up lab hosts on this machine, starts a counter service on h1, moves it live " +
            "to h2 with progress, proves it kept counting in the same process with every value it wrote, prints the downtime and bytes moved, and " +
            "takes the lab down. The lab honours MT_LAB_STATE, MT_LAB_FIRST_ADDRESS, MT_LAB_HOSTS and the other MT_LAB_* variables.")
        {
            keep, script, dataSize,
        };
        command.Add(app.Progress.Option);
        app.Help.Examples(
            command,
            "sudo migrationtools demo",
            "sudo migrationtools demo --keep          # then: ssh -F /var/lib/migrationtools-lab/ssh_config h2",
            "sudo MT_LAB_STATE=/var/lib/my-lab MT_LAB_FIRST_ADDRESS=127.0.0.41 migrationtools demo --json > demo.json");
        app.SetAction(command, run =>
        {
            if (!OperatingSystem.IsLinux())
            {
                throw new CommandRefusedException(
                    "The demo runs only on Linux: its lab hosts are Linux namespaces with their own ZFS pools (zfs-fuse) and CRIU. " +
                    "Run it on a Linux machine as root.");
            }

            if (!Environment.IsPrivilegedProcess)
            {
                throw new CommandRefusedException(
                    "The demo needs root: its lab creates namespaces, mounts and ZFS pools. Run it as root, for example: sudo \"$(command -v migrationtools)\" demo");
            }

            var options = new DemoOptions(
                run.Result.GetValue(keep), run.Result.GetValue(script), run.Result.GetValue(dataSize) ?? DefaultDataBytes, app.Progress.Read(run.Result));
            return new DemoRunner(run, options).RunAsync();
        });
        return command;
    }

    /// <summary>The random data the demo writes by default: enough for the progress line to show a rate.</summary>
    public const long DefaultDataBytes = 128L << 20;
}

/// <summary>The demo's options.</summary>
/// <param name="Keep">Leave the lab and the service running.</param>
/// <param name="LabScript">The lab script given, or null to find it.</param>
/// <param name="DataBytes">Random data to write before the move.</param>
/// <param name="Progress">How to show progress.</param>
internal sealed record DemoOptions(bool Keep, string? LabScript, long DataBytes, ProgressMode Progress);

/// <summary>One run of the demo.</summary>
[SupportedOSPlatform("linux")]
internal sealed class DemoRunner
{
    /// <summary>$1 file; the content on standard input.</summary>
    private const string WriteFileScript = "cat > \"$1\"";

    /// <summary>$1 byte count, $2 file.</summary>
    private const string RandomDataScript = "head -c \"$1\" /dev/urandom > \"$2\"";

    private static readonly TimeSpan LabQuietNotice = TimeSpan.FromSeconds(15);

    private readonly CommandRun _run;
    private readonly DemoOptions _options;
    private readonly ProgressRenderer _progress;
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public DemoRunner(CommandRun run, DemoOptions options)
    {
        _run = run;
        _options = options;
        _progress = new ProgressRenderer(options.Progress, run.Console);
    }

    private CancellationToken Token => _run.CancellationToken;

    public async Task<int> RunAsync()
    {
        var script = LabScript.Find(_options.LabScript, AppContext.BaseDirectory);
        _progress.Note($"Lab script: {script.Path}");
        var status = await script.StatusAsync(Token).ConfigureAwait(false);
        var startedHere = status.State != "up";
        DemoView? view = null;
        var exitCode = ExitCodes.Error;
        try
        {
            if (startedHere)
            {
                await BringUpAsync(script).ConfigureAwait(false);
                status = await script.StatusAsync(Token).ConfigureAwait(false);
            }
            else
            {
                _progress.Note($"Using the lab that is already up in {status.StateDirectory}; the demo leaves it up.");
            }

            if (status.State != "up" || status.Hosts.Count < 2)
            {
                throw new InvalidOperationException(
                    $"The lab in {status.StateDirectory} is {status.State} with {status.Hosts.Count} host(s); the demo needs two hosts that answer. " +
                    $"Run '{script.Path} down', then the demo again.");
            }

            view = await MoveAndProveAsync(script, status, startedHere).ConfigureAwait(false);
            exitCode = view.Passed ? ExitCodes.Success : ExitCodes.Error;
        }
        finally
        {
            _progress.Finish();
            if (startedHere && !_options.Keep)
            {
                exitCode = await TakeDownAsync(script, exitCode).ConfigureAwait(false);
            }
        }

        _run.Emit(view, writer => WriteSummary(writer, view, script));
        if (!view.Passed)
        {
            _run.Console.Error.WriteLine("error: the move did not prove out: " + string.Join("; ", view.Checks.Where(c => !c.Passed).Select(c => c.Detail)));
        }

        return exitCode;
    }

    private async Task BringUpAsync(LabScript script)
    {
        var missing = LabPrerequisites.MissingPackages(LabPrerequisites.IsOnPath);
        if (missing.Count > 0)
        {
            _progress.Note($"Installing {string.Join(", ", missing)} with apt-get: the lab needs them to build its hosts (a minute or so).");
            await LabPrerequisites.InstallAsync(missing, Token).ConfigureAwait(false);
        }

        _progress.Note(
            "Bringing up the lab: Linux hosts on this machine, each with its own sshd, ZFS pool and CRIU. The first time builds a Debian root " +
            "filesystem (1-2 minutes, cached afterwards); later runs take seconds.");
        var lastLine = Stopwatch.StartNew();
        using var quiet = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var ticker = Task.Run(async () =>
        {
            // Long steps of the lab script (debootstrap) print nothing for a minute; say that it is still working.
            while (!quiet.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), quiet.Token).ConfigureAwait(false);
                if (lastLine.Elapsed >= LabQuietNotice)
                {
                    _progress.Note($"  ... still bringing up the lab ({Words.Duration(_clock.Elapsed)} so far)");
                    lastLine.Restart();
                }
            }
        }, CancellationToken.None);

        LabRun up;
        try
        {
            up = await script.RunAsync(["up"], line =>
            {
                lastLine.Restart();
                _progress.Note("  " + line);
            }, Token).ConfigureAwait(false);
        }
        finally
        {
            await quiet.CancelAsync().ConfigureAwait(false);
            try
            {
                await ticker.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The ticker ends here by design.
            }
        }

        if (up.ExitCode != 0)
        {
            var why = string.Join(Environment.NewLine, up.Errors.TakeLast(10));
            var message = $"The lab did not come up ({script.Path} up exited {up.ExitCode.ToString(CultureInfo.InvariantCulture)}):{Environment.NewLine}{why}";
            throw up.ExitCode == LabScript.PrerequisiteMissing ? new CommandRefusedException(message) : new InvalidOperationException(message);
        }

        _progress.Note($"The lab is up ({Words.Duration(_clock.Elapsed)}).");
    }

    private async Task<DemoView> MoveAndProveAsync(LabScript script, LabStatus lab, bool startedHere)
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var name = WorkloadName.Parse("counter-" + suffix);
        var dataset = DatasetName.Parse(lab.Pool + "/" + name.Value);
        var directory = "/" + dataset.Value;
        string h1 = lab.Hosts[0], h2 = lab.Hosts[1];
        var ssh = new SshOptions { ConfigFile = lab.SshConfig };
        var paths = WorkloadPaths.Default;
        var journalDirectory = Path.Combine(lab.StateDirectory, "demo-journal");

        using var sourceConnection = new SshConnection(SshDestination.Parse(h1), ssh);
        using var destinationConnection = new SshConnection(SshDestination.Parse(h2), ssh);
        var source = new WorkloadHost(sourceConnection, paths);
        var destination = new WorkloadHost(destinationConnection, paths);
        SshConnection[] bothHosts = [sourceConnection, destinationConnection];
        var port = await CounterProbe.FreePortAsync(bothHosts, Token).ConfigureAwait(false);
        var portText = port.ToString(CultureInfo.InvariantCulture);
        var counter = new CounterProbe(bothHosts, port);

        _progress.Note($"Creating {dataset} on {h1} with the counter service on it" +
            (_options.DataBytes > 0 ? $" and {ByteSize.Format(_options.DataBytes)} of random data, so the copy has something to show." : "."));
        (await sourceConnection.ExecuteAsync(RemoteCommand.Create("zfs", "create", dataset.Value), Token).ConfigureAwait(false)).EnsureSuccess();
        await using (var service = File.OpenRead(script.CounterService))
        {
            (await sourceConnection.ExecuteAsync(RemoteCommand.Create("sh", "-c", WriteFileScript, "sh", directory + "/counter.py"), service, Token)
                .ConfigureAwait(false)).EnsureSuccess();
        }

        if (_options.DataBytes > 0)
        {
            (await sourceConnection.ExecuteAsync(
                RemoteCommand.Create("sh", "-c", RandomDataScript, "sh", _options.DataBytes.ToString(CultureInfo.InvariantCulture), directory + "/random.bin"),
                Token).ConfigureAwait(false)).EnsureSuccess();
        }

        // On a lab with a network of its own, the service gets an address that moves with it, and a client on that
        // network holds a connection to it through the move.
        var network = LabNetwork.Read(lab.StateDirectory);
        var serviceAddress = network is null ? null : await FreeServiceAddressAsync(network, bothHosts).ConfigureAwait(false);
        var linePort = port + 1;
        string[] command = ["python3", directory + "/counter.py", "--data-dir", directory, "--port", portText];
        if (serviceAddress is not null)
        {
            // Bound to every address: the counter is also read on each host's 127.0.0.1, and the health check connects there.
            command = [.. command, "--address", "0.0.0.0", "--line-port", linePort.ToString(CultureInfo.InvariantCulture)];
        }

        var manifest = new WorkloadManifest(
            name, [dataset], command, CheckpointMode.Criu, directory, null, HealthCheck.ForTcpPort(port, 10),
            serviceAddresses: serviceAddress is null ? null : [serviceAddress]);
        await source.Catalog.RegisterAsync(manifest, Token).ConfigureAwait(false);
        var started = await new WorkloadService(source).StartAsync(name, Token).ConfigureAwait(false);
        _progress.Note(
            $"Started {name} on {h1} as process {started.Process.Pid}: it counts ten times a second, appends each value to {directory}/counter.log " +
            $"and serves its count on {counter.Where}" + (serviceAddress is null ? "" : $" and on its service address {serviceAddress}"));
        await counter.WaitAsync(TimeSpan.FromSeconds(20), Token).ConfigureAwait(false);
        await Task.Delay(TimeSpan.FromSeconds(1), Token).ConfigureAwait(false);
        var before = await counter.ReadAsync(Token).ConfigureAwait(false);
        _progress.Note($"Before the move: the counter reads {before.Counter} on {before.Hostname}, start token {before.Token}.");
        using var client = serviceAddress is null
            ? null
            : await DemoClient.StartAsync(network!, script.ClientProbe, serviceAddress.Address.ToString(), linePort, port, Token).ConfigureAwait(false);
        if (client is not null)
        {
            _progress.Note($"A client in the lab's client namespace holds one connection to {serviceAddress!.Address}:{linePort} and asks for the count every 10 ms.");
        }

        _progress.Note($"Moving {name} live from {h1} to {h2}: a full copy while it runs, sync rounds, then the switch (checkpoint, final delta, restore).");
        var engine = new MigrationEngine(new MigrationJournal(journalDirectory), ssh, paths);
        // Each lab host has a network of its own, so the frozen source keeps its port while the destination restores: the engine's default.
        // Its established connections move too (CRIU --tcp-established), where a client holds one.
        var request = new MigrationRequest(name, h1, h2)
        {
            Settings = new MigrationSettings { StopTimeoutSeconds = 2, Checkpoint = new CriuOptions { TcpEstablished = client is not null } },
        };
        var record = await engine.MoveAsync(request, new MoveOptions { Complete = true }, _progress, Token).ConfigureAwait(false);
        _progress.Finish();

        var after = await counter.WaitAsync(TimeSpan.FromSeconds(20), Token).ConfigureAwait(false);
        await Task.Delay(TimeSpan.FromMilliseconds(500), Token).ConfigureAwait(false);
        var later = await counter.ReadAsync(Token).ConfigureAwait(false);
        var log = (await destinationConnection.ExecuteAsync(RemoteCommand.Create("cat", "--", directory + "/counter.log"), Token).ConfigureAwait(false))
            .EnsureSuccess().Text;
        var sourceState = (await source.Runtime.GetStatusAsync(name, Token).ConfigureAwait(false)).State;
        var sourceDataset = await source.Zfs.ExistsAsync(dataset, Token).ConfigureAwait(false);
        List<ProofCheck> checks =
        [
            DemoProof.SameProcess(before, after),
            DemoProof.RunsOn(after, h2),
            DemoProof.CounterContinued(before, after, later),
            DemoProof.NothingLost(log, before),
            DemoProof.SourceEmpty(Words.Of(sourceState), sourceDataset, h1),
        ];
        if (client is not null)
        {
            var (kept, gap, answered) = await client.StopAsync(Token).ConfigureAwait(false);
            checks.Add(DemoProof.ClientConnectionKept(kept, gap, answered, h1, h2));
        }

        if (!_options.Keep && !startedHere)
        {
            await RemoveServiceAsync(destination, name, dataset).ConfigureAwait(false);
        }

        return new DemoView(
            checks.All(c => c.Passed),
            checks,
            name.Value,
            dataset.Value,
            port,
            h1,
            h2,
            Words.Seconds(record.Downtime),
            record.BytesTransferred,
            Math.Round(_clock.Elapsed.TotalSeconds, 1),
            MigrationView.Of(record),
            new DemoLabView(script.Path, lab.StateDirectory, lab.SshConfig, journalDirectory, startedHere, _options.Keep || !startedHere, _options.Keep));
    }

    /// <summary>An address of the lab's service range on eth0 that neither host holds.</summary>
    private async Task<ServiceAddress> FreeServiceAddressAsync(LabNetwork network, IReadOnlyList<SshConnection> hosts)
    {
        var held = new StringBuilder();
        foreach (var host in hosts)
        {
            held.Append(' ').Append((await host.ExecuteAsync(RemoteCommand.Create("ip", "-o", "addr", "show", "dev", "eth0"), Token).ConfigureAwait(false))
                .EnsureSuccess().Text.Replace('\n', ' '));
        }

        var free = Enumerable.Range(network.ServiceFirst, network.ServiceLast - network.ServiceFirst + 1)
            .Select(octet => ServiceAddress.Parse(string.Create(CultureInfo.InvariantCulture, $"{network.Prefix}.{octet}/{network.PrefixLength}@eth0")))
            .Where(a => !held.ToString().Contains(" " + a.Cidr + " ", StringComparison.Ordinal))
            .ToArray();
        return free.Length > 0
            ? free[Random.Shared.Next(free.Length)]
            : throw new InvalidOperationException($"Every service address of the lab ({network.Prefix}.{network.ServiceFirst}-{network.ServiceLast}) is held by a host.");
    }

    /// <summary>Leaves a lab that was up before the demo as it was: the service stopped and its manifest and dataset gone.</summary>
    private async Task RemoveServiceAsync(WorkloadHost host, WorkloadName name, DatasetName dataset)
    {
        _progress.Note($"Removing {name} from {host.Connection.Destination}: the lab was up before the demo, so it stays up as it was.");
        // Through the workload service, which also releases its service address.
        await new WorkloadService(host).StopAsync(name, 2, Token).ConfigureAwait(false);
        await host.Catalog.UnregisterAsync(name, Token).ConfigureAwait(false);
        await host.Zfs.DestroyRecursiveAsync(dataset, Token).ConfigureAwait(false);
    }

    private async Task<int> TakeDownAsync(LabScript script, int exitCode)
    {
        _progress.Note("Taking the lab down (--keep leaves it up).");
        // Whatever stopped the demo, the lab it brought up goes: down ends every host process it recorded.
        var down = await script.RunAsync(["down"], line => _progress.Note("  " + line), CancellationToken.None).ConfigureAwait(false);
        if (down.ExitCode == 0)
        {
            return exitCode;
        }

        _run.Warn($"{script.Path} down exited {down.ExitCode.ToString(CultureInfo.InvariantCulture)}; run it again to remove the lab's hosts.");
        return exitCode == ExitCodes.Success ? ExitCodes.Error : exitCode;
    }

    private static void WriteSummary(TextWriter writer, DemoView view, LabScript script)
    {
        writer.WriteLine(view.Passed
            ? $"{view.Workload} moved live from {view.Source} to {view.Destination}:"
            : $"{view.Workload} moved from {view.Source} to {view.Destination}, but not everything proved out:");
        var table = new Table("", "CHECK", "WHAT WAS SEEN");
        foreach (var check in view.Checks)
        {
            table.Add(check.Passed ? "ok" : "FAILED", check.Name, check.Detail);
        }

        table.Write(writer);
        writer.WriteLine();
        var downtime = view.Migration.DowntimeParts;
        writer.WriteLine($"Downtime:  {(view.DowntimeSeconds is { } seconds ? Words.Duration(TimeSpan.FromSeconds(seconds)) : "-")}" +
            (downtime is null ? "" : $" (checkpoint {Part(downtime.DumpSeconds)}, final delta {Part(downtime.FinalDeltaSeconds)} and checkpoint images " +
                $"{Part(downtime.ImageTransferSeconds)} side by side, restore {Part(downtime.RestoreSeconds)}, health check {Part(downtime.HealthSeconds)})") +
            (downtime?.MemoryTransfer is { } memory ? $"; memory by {Words.Hyphenated(memory)}" : "") +
            (downtime?.PostCopySeconds is { } postCopy ? $", every page on {view.Destination} {Part(postCopy)} after the restore" : ""));
        writer.WriteLine($"Moved:     {ByteSize.Format(view.BytesTransferred)} (datasets and checkpoint images)");
        writer.WriteLine($"Took:      {Words.Duration(TimeSpan.FromSeconds(view.WallSeconds))} in all, migration {view.Migration.Id}");
        writer.WriteLine();
        if (!view.Lab.ServiceKept)
        {
            writer.WriteLine(view.Lab.StillUp
                ? "The lab was up before the demo and stays up; the demo removed its service from it. 'migrationtools demo --keep' leaves the service running to explore."
                : "The lab was taken down. 'migrationtools demo --keep' leaves it up, with the service running, to explore.");
            return;
        }

        writer.WriteLine("The lab and the service stay up (--keep). To explore:");
        writer.WriteLine($"  ssh -F {view.Lab.SshConfig} {view.Destination}             # a shell on the host the service moved to");
        writer.WriteLine($"  {ServiceHint(view)}   # the service, still counting, on its host's 127.0.0.1");
        writer.WriteLine($"  migrationtools workload list {view.Source} {view.Destination} --ssh-config {view.Lab.SshConfig}");
        writer.WriteLine($"  migrationtools migration show {view.Migration.Id} --journal {view.Lab.Journal}");
        writer.WriteLine($"  {script.Path} down                        # take the lab down");
    }

    /// <summary>A command line that reads the service where it runs: its port answers only on that host's own 127.0.0.1.</summary>
    internal static string ServiceHint(DemoView view) =>
        $"ssh -F {view.Lab.SshConfig} {view.Destination} \"python3 -c 'import urllib.request as u; " +
        $"print(u.urlopen(\\\"http://127.0.0.1:{view.Port.ToString(CultureInfo.InvariantCulture)}/\\\").read().decode())'\"";

    private static string Part(double? seconds) => seconds is { } value ? Words.Duration(TimeSpan.FromSeconds(value)) : "-";
}

/// <summary>What <c>demo --json</c> writes: whether the move proved out, each check, and the figures.</summary>
internal sealed record DemoView(
    bool Passed,
    IReadOnlyList<ProofCheck> Checks,
    string Workload,
    string Dataset,
    int Port,
    string Source,
    string Destination,
    double? DowntimeSeconds,
    long BytesTransferred,
    double WallSeconds,
    MigrationView Migration,
    DemoLabView Lab);

/// <summary>The lab the demo ran on.</summary>
/// <param name="Script">The lab script.</param>
/// <param name="StateDirectory">The lab's state directory.</param>
/// <param name="SshConfig">The ssh_config naming its hosts.</param>
/// <param name="Journal">The journal holding the demo's migration (inside the state directory).</param>
/// <param name="StartedByDemo">Whether the demo brought the lab up.</param>
/// <param name="StillUp">Whether the lab is still up after the demo: it was up before, or --keep.</param>
/// <param name="ServiceKept">Whether the moved service still runs on the destination (--keep).</param>
internal sealed record DemoLabView(string Script, string StateDirectory, string SshConfig, string Journal, bool StartedByDemo, bool StillUp, bool ServiceKept);
