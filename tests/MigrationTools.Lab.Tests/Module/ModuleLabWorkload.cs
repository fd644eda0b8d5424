using System.Collections;
using System.Globalization;
using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Workloads;
using MigrationTools.Lab.Tests.Lab;
using MigrationTools.Lab.Tests.Workloads;
using MigrationTools.Module.Host.Tests.Hosting;

namespace MigrationTools.Lab.Tests.Module;

/// <summary>
/// The counter service declared and started on h1 through the module's cmdlets, in a PowerShell session of the test's
/// own, with an ssh_config (a copy of the lab's, so its ssh processes are told apart by its path) and a journal of its
/// own. The cmdlets keep manifests in the hosts' default directories, under the service's unique name. Disposing
/// releases the migration's holds, kills the service's processes by PID and removes its files and datasets.
/// </summary>
internal sealed class ModuleLabWorkload : IAsyncDisposable
{
    private readonly LabFixture _lab;

    public ModuleLabWorkload(LabFixture lab)
    {
        _lab = lab;
        Service = new CounterService(lab);
        var id = Guid.NewGuid().ToString("N")[..10];
        SshConfigPath = Path.Combine(Path.GetTempPath(), "mt-module-ssh-config-" + id);
        File.Copy(lab.SshConfigPath, SshConfigPath);
        JournalDirectory = Path.Combine(Path.GetTempPath(), "mt-module-journal-" + id);
    }

    public CounterService Service { get; }

    public string Name => Service.Name.Value;

    public ModuleSession Session { get; } = new();

    public string SshConfigPath { get; }

    public string JournalDirectory { get; }

    /// <summary>The connection and journal parameters every cmdlet of the test takes.</summary>
    public Hashtable Common(params (string Name, object Value)[] more)
    {
        var parameters = new Hashtable { ["SshConfigFile"] = SshConfigPath };
        foreach (var (name, value) in more)
        {
            parameters[name] = value;
        }

        return parameters;
    }

    /// <summary>Creates the dataset with the service on h1, then registers and starts it there with the cmdlets.</summary>
    public async Task<CounterState> RegisterAndStartAsync()
    {
        await Service.CreateDatasetAsync("h1");
        var port = Service.Port.ToString(CultureInfo.InvariantCulture);
        var directory = Service.DataDirectory;
        var registered = Session.Run(ps => ps
            .AddCommand("Register-Workload").AddParameters(Common(
                ("ComputerName", "h1"), ("Name", Name), ("Dataset", new[] { Service.Dataset.Value }), ("WorkingDirectory", directory),
                ("Command", new[] { "python3", directory + "/counter.py", "--data-dir", directory, "--port", port }),
                ("HealthPort", Service.Port), ("HealthTimeoutSeconds", 5), ("Confirm", false), ("PassThru", true)))
            .AddCommand("Start-Workload").AddParameters(Common(("Confirm", false), ("PassThru", true))));
        Assert.Empty(registered.AllErrors);
        var started = Assert.Single(registered.Output);
        Assert.Equal(WorkloadState.Running, started.Properties["State"].Value);
        return await Service.WaitForServiceAsync();
    }

    public async Task<WorkloadStatus> StatusAsync(string host)
    {
        using var connection = _lab.Connect(host);
        return await new WorkloadRuntime(connection, WorkloadPaths.Default).GetStatusAsync(Service.Name);
    }

    /// <summary>The hosts the service runs on.</summary>
    public async Task<string[]> RunningOnAsync()
    {
        List<string> hosts = [];
        foreach (var host in new[] { "h1", "h2" })
        {
            if ((await StatusAsync(host)).State == WorkloadState.Running)
            {
                hosts.Add(host);
            }
        }

        return [.. hosts];
    }

    /// <summary>The ssh processes this workload's cmdlets started that are still alive, after up to <paramref name="timeout"/>.</summary>
    public Task<IReadOnlyList<ProcessEntry>> SshLeftAsync(TimeSpan timeout) =>
        SshProcesses.WaitUntilGoneAsync(
            () => [.. SshProcesses.ChildrenOfThisProcess(SshConfigPath).Concat(SshProcesses.Naming(SshConfigPath)).DistinctBy(p => p.Pid)],
            timeout);

    /// <summary>Runs the script with the session's recording host; the parameters reach its param block.</summary>
    public Invocation Script(string script, Hashtable parameters) => Session.Script(script, parameters);

    public async ValueTask DisposeAsync()
    {
        foreach (var host in new[] { "h1", "h2" })
        {
            // A test that failed half-way can leave the migration's holds (tag mt-<id>, named in each snapshot).
            await _lab.SshAsync(host,
                $"rm -rf {CriuImageDirectory.DefaultParent}/{Name}-m-*; " +
                $"for s in $(zfs list -H -o name -t snapshot -r {Service.Dataset} 2>/dev/null); do t=${{s#*@}}; zfs release ${{t%-*}} $s 2>/dev/null; done; true");
            try
            {
                using var connection = _lab.Connect(host);
                await new WorkloadRuntime(connection, WorkloadPaths.Default).KillAsync(Service.Name);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The processes are also found by the service's script path below.
            }
        }

        await Service.CleanUpAsync();
        foreach (var host in new[] { "h1", "h2" })
        {
            var paths = WorkloadPaths.Default;
            await _lab.SshAsync(host, $"rm -rf '{paths.ManifestFile(Service.Name)}' '{paths.ClaimFile(Service.Name)}' '{paths.WorkloadDirectory(Service.Name)}'");
        }

        Session.Dispose();
        File.Delete(SshConfigPath);
        if (Directory.Exists(JournalDirectory))
        {
            Directory.Delete(JournalDirectory, recursive: true);
        }
    }
}
