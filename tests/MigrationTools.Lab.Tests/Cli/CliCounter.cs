using System.Globalization;
using MigrationTools.Lab.Tests.Lab;
using MigrationTools.Lab.Tests.Migrations;
using MigrationTools.Lab.Tests.Workloads;

namespace MigrationTools.Lab.Tests.Cli;

/// <summary>
/// The counter service declared and started on h1 through the tool, with a journal, manifest and runtime directories,
/// dataset and port of this test's own; the probes and the cleanup are <see cref="MigrationLab"/>'s.
/// </summary>
internal sealed class CliCounter : IAsyncDisposable
{
    private readonly LabFixture _lab;

    public CliCounter(LabFixture lab)
    {
        _lab = lab;
        Lab = new MigrationLab(lab);
    }

    public MigrationLab Lab { get; }

    public CounterService Service => Lab.Service;

    public string Name => Service.Name.Value;

    /// <summary>How the tool reaches the lab and where this test's workload files live on the hosts.</summary>
    public string[] Connection =>
        ["--ssh-config", _lab.SshConfigPath, "--manifest-dir", Service.Paths.ManifestDirectory, "--runtime-dir", Service.Paths.RuntimeDirectory];

    /// <summary>The connection options and this test's journal.</summary>
    public string[] Engine => [.. Connection, "--journal", Lab.JournalDirectory];

    /// <summary>
    /// A short stop timeout. Each lab host has a network of its own, so the restore on the destination binds the port
    /// while the frozen source still holds it: no --release-source-before-restore.
    /// </summary>
    public static string[] LabSettings => ["--stop-timeout", "2"];

    /// <summary>Creates the dataset with the service on h1, declares it with the tool (JSON checked) and starts it with the tool.</summary>
    public async Task<CounterState> RegisterAndStartAsync(params string[] registerOptions)
    {
        await Service.CreateDatasetAsync("h1");
        var port = Service.Port.ToString(CultureInfo.InvariantCulture);
        var directory = Service.DataDirectory;
        var registered = (await CliTool.RunAsync([
            "workload", "register", "h1", Name, "-d", Service.Dataset.Value, "--working-directory", directory, .. registerOptions,
            .. Connection, "--json", "--", "python3", directory + "/counter.py", "--data-dir", directory, "--port", port,
        ])).Expect(0).Json;
        Assert.Equal("stopped", registered.GetProperty("state").GetString());
        Assert.Equal(Service.Paths.ManifestFile(Service.Name), registered.GetProperty("manifestPath").GetString());

        var started = (await CliTool.RunAsync(["workload", "start", "h1", Name, .. Connection, "--json"])).Expect(0).Json;
        Assert.Equal("running", started.GetProperty("state").GetString());
        Assert.True(started.GetProperty("processId").GetInt32() > 0);
        return await Service.WaitForServiceAsync();
    }

    /// <summary>The default health check: the service's TCP port, within 5 seconds.</summary>
    public string[] TcpHealth => ["--health-port", Service.Port.ToString(CultureInfo.InvariantCulture), "--health-timeout", "5"];

    public ValueTask DisposeAsync() => Lab.DisposeAsync();
}
