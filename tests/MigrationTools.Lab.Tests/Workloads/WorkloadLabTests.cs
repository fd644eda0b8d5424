using System.Globalization;
using MigrationTools.Engine.Workloads;
using MigrationTools.Engine.Zfs;
using MigrationTools.Lab.Tests.Lab;

namespace MigrationTools.Lab.Tests.Workloads;

/// <summary>Manifests, start, status and stop on the lab hosts, over the engine's own ssh connections.</summary>
[Collection(LabCollection.Name)]
public sealed class WorkloadLabTests(LabFixture lab)
{
    [LabFact]
    public async Task ManifestsAreRegisteredListedReadAndUnregisteredAndAMalformedOneHidesNoOther()
    {
        var service = new CounterService(lab);
        using var h1 = lab.Connect("h1");
        var catalog = new WorkloadCatalog(h1, service.Paths);
        var other = new WorkloadManifest(
            WorkloadName.Parse(service.Name.Value + ".b"), [], ["sleep", "1000"], CheckpointMode.Restart,
            migrationPolicy: MigrationPolicy.Manual);
        var directory = service.Paths.ManifestDirectory;
        try
        {
            Assert.Empty(await catalog.ListAsync());
            Assert.Null(await catalog.GetAsync(service.Name));

            var file = await catalog.RegisterAsync(service.Manifest);
            await catalog.RegisterAsync(other);
            await lab.SshCheckedAsync("h1", $"printf '%s' '{{\"name\": \"x\", \"command\": [\"a\"], \"checkpointMode\": \"criu\", \"colour\": 1}}' > {directory}/x.json");
            await lab.SshCheckedAsync("h1", $"printf '%s' '{{\"name\": \"y\", \"command\": [\"a\"], \"checkpointMode\": \"criu\"}}' > {directory}/not-y.json");
            await lab.SshCheckedAsync("h1", $": > {directory}/empty.json; echo ignored > {directory}/notes.txt");

            var entries = await catalog.ListAsync();

            Assert.Equal(directory + "/" + service.Name + ".json", file);
            Assert.Equal(5, entries.Count);
            Assert.Equal([service.Manifest, other], entries.Where(e => e.IsValid).Select(e => e.Manifest!).OrderBy(m => m.Name.Value));
            var errors = entries.Where(e => !e.IsValid).ToDictionary(e => e.File[(directory.Length + 1)..], e => e.Error!);
            Assert.Equal(["empty.json", "not-y.json", "x.json"], errors.Keys.Order());
            Assert.Equal("$.colour", errors["x.json"].JsonPath);
            Assert.Contains(directory + "/x.json", errors["x.json"].Message, StringComparison.Ordinal);
            Assert.Contains("must be named y.json", errors["not-y.json"].Message, StringComparison.Ordinal);
            Assert.Contains("not valid JSON", errors["empty.json"].Message, StringComparison.Ordinal);

            Assert.Equal(service.Manifest, await catalog.GetAsync(service.Name));
            Assert.Equal("700 600", (await lab.SshCheckedAsync("h1", $"stat -c %a {directory} {file} | tr '\\n' ' '")).Trim());
            Assert.Empty((await lab.SshCheckedAsync("h1", $"ls -A {directory} | grep '^\\.' || true")).Trim());
            await Assert.ThrowsAsync<WorkloadManifestException>(() => catalog.GetAsync(WorkloadName.Parse("x")));

            var changed = new WorkloadManifest(other.Name, [], ["sleep", "2000"], CheckpointMode.Restart);
            await catalog.RegisterAsync(changed);
            Assert.Equal(changed, await catalog.GetAsync(other.Name));

            Assert.True(await catalog.UnregisterAsync(service.Name));
            Assert.False(await catalog.UnregisterAsync(service.Name));
            Assert.Null(await catalog.GetAsync(service.Name));
            Assert.Equal([other.Name], (await catalog.ListAsync()).Where(e => e.IsValid).Select(e => e.Manifest!.Name));
        }
        finally
        {
            await service.CleanUpAsync();
        }
    }

    [LabFact]
    public async Task AStartedWorkloadRunsDetachedAsItsOwnNamespaceInitAndStopsByItsRecordedPid()
    {
        var service = new CounterService(lab);
        using var h1 = lab.Connect("h1");
        var runtime = new WorkloadRuntime(h1, service.Paths);
        try
        {
            await service.CreateDatasetAsync("h1");

            var process = await runtime.StartAsync(service.Manifest);
            var state = await service.WaitForServiceAsync();
            var status = await runtime.GetStatusAsync(service.Name);

            Assert.Equal("h1", state.Hostname);
            Assert.Equal(new WorkloadStatus(service.Name, WorkloadState.Running, process), status);
            var pid = process.Pid.ToString(CultureInfo.InvariantCulture);
            var facts = await lab.SshCheckedAsync("h1",
                $"grep NSpid /proc/{pid}/status | tr -s '\\t ' ' '; " +
                $"ps -o sid=,pgid= -p {pid} | tr -s ' ' ' '; " +
                $"readlink /proc/{pid}/cwd; ls /proc/{pid}/fd | sort -n | tr '\\n' ' '; echo; " +
                $"readlink /proc/{pid}/fd/0 /proc/{pid}/fd/1; tr '\\0' '\\n' < /proc/{pid}/environ | grep ^MT_TEST_; " +
                $"cut -d' ' -f22 /proc/{pid}/stat; cat {service.Paths.PidFile(service.Name)}");
            var lines = facts.Split('\n');
            Assert.Equal($"NSpid: {pid} 1", lines[0].Trim());
            Assert.Equal($"{pid} {pid}", lines[1].Trim());
            Assert.Equal(service.DataDirectory, lines[2]);
            Assert.Equal("0 1 2 3 4", lines[3].Trim());
            Assert.Equal("/dev/null", lines[4]);
            Assert.Equal(service.Paths.OutputLog(service.Name), lines[5]);
            Assert.Equal("MT_TEST_GREETING=it's \"quoted\" $HOME `x`", lines[6]);
            Assert.Equal(process.StartTime.ToString(CultureInfo.InvariantCulture), lines[7]);
            Assert.Equal($"{pid} {process.StartTime}", lines[8]);

            var again = await Assert.ThrowsAsync<WorkloadException>(() => runtime.StartAsync(service.Manifest));
            Assert.StartsWith($"Starting workload {service.Name} on h1 failed (exit status 3): it is already running as process {pid}", again.Message, StringComparison.Ordinal);

            // PID 1 of a namespace ignores SIGTERM it has no handler for, as python's default is: the grace period runs out.
            var stopped = await runtime.StopAsync(service.Name, TimeSpan.FromSeconds(1));

            Assert.Equal(WorkloadStopResult.Killed, stopped);
            Assert.Equal(WorkloadState.Stopped, (await runtime.GetStatusAsync(service.Name)).State);
            Assert.Null((await runtime.GetStatusAsync(service.Name)).Process);
            Assert.Equal(1, (await lab.SshAsync("h1", $"test -e /proc/{pid}")).ExitCode);
            Assert.Equal(1, (await lab.SshAsync("h1", $"test -e {service.Paths.PidFile(service.Name)}")).ExitCode);
            Assert.Equal(WorkloadStopResult.NotRunning, await runtime.StopAsync(service.Name, TimeSpan.FromSeconds(1)));
        }
        finally
        {
            await service.CleanUpAsync();
        }
    }

    [LabFact]
    public async Task AWorkloadThatHandlesSigtermEndsWithinTheGracePeriod()
    {
        var service = new CounterService(lab);
        using var h1 = lab.Connect("h1");
        var runtime = new WorkloadRuntime(h1, service.Paths);
        var manifest = new WorkloadManifest(
            service.Name, [], ["sh", "-c", "trap 'echo bye; exit 0' TERM; echo hello; while :; do sleep 0.2; done"], CheckpointMode.Restart);
        try
        {
            var process = await runtime.StartAsync(manifest);

            Assert.Equal(WorkloadState.Running, (await runtime.GetStatusAsync(service.Name)).State);
            Assert.Equal(WorkloadStopResult.Terminated, await runtime.StopAsync(service.Name, TimeSpan.FromSeconds(10)));
            Assert.Equal(1, (await lab.SshAsync("h1", $"test -e /proc/{process.Pid}")).ExitCode);
            Assert.Equal("hello\nbye\n", await lab.SshCheckedAsync("h1", $"cat {service.Paths.OutputLog(service.Name)}"));
        }
        finally
        {
            await service.CleanUpAsync();
        }
    }

    [LabFact]
    public async Task ACommandThatCannotRunIsReportedWithItsOutput()
    {
        var service = new CounterService(lab);
        using var h1 = lab.Connect("h1");
        var runtime = new WorkloadRuntime(h1, service.Paths);
        var manifest = new WorkloadManifest(service.Name, [], ["/nonexistent/program", "x"], CheckpointMode.Restart);
        try
        {
            var error = await Assert.ThrowsAsync<WorkloadException>(() => runtime.StartAsync(manifest));

            Assert.Contains("exited at once", error.Message, StringComparison.Ordinal);
            Assert.Contains("/nonexistent/program", error.Message, StringComparison.Ordinal);
            Assert.Equal(WorkloadState.Stopped, (await runtime.GetStatusAsync(service.Name)).State);
        }
        finally
        {
            await service.CleanUpAsync();
        }
    }

    [LabFact]
    public async Task AHostListsItsWorkloadsWithStatePidAndDatasetUsage()
    {
        var service = new CounterService(lab);
        using var h1 = lab.Connect("h1");
        var host = new WorkloadHost(h1, service.Paths);
        var idle = new WorkloadManifest(
            WorkloadName.Parse(service.Name.Value + ".idle"), [DatasetName.Parse(service.Dataset.Value + "-absent")], ["true"], CheckpointMode.Restart);
        try
        {
            await service.CreateDatasetAsync("h1");
            await host.Catalog.RegisterAsync(service.Manifest);
            await host.Catalog.RegisterAsync(idle);
            await lab.SshCheckedAsync("h1", $"echo '[]' > {service.Paths.ManifestDirectory}/broken.json");
            var process = await host.Runtime.StartAsync(service.Manifest);

            var listing = await host.ListAsync();

            Assert.Equal("h1", listing.Host);
            Assert.Equal([service.Name, idle.Name], listing.Workloads.Select(w => w.Name));
            var running = listing.Workloads[0];
            Assert.Equal(WorkloadState.Running, running.State);
            Assert.Equal(process.Pid, running.Pid);
            Assert.Equal(service.Dataset, Assert.Single(running.Datasets).Dataset);
            Assert.True(running.UsedBytes > 0);
            var stopped = listing.Workloads[1];
            Assert.Equal(WorkloadState.Stopped, stopped.State);
            Assert.Null(stopped.Pid);
            Assert.False(Assert.Single(stopped.Datasets).Exists);
            var error = Assert.Single(listing.Errors);
            Assert.Equal(service.Paths.ManifestDirectory + "/broken.json", error.File);
        }
        finally
        {
            await service.CleanUpAsync();
        }
    }
}
