using MigrationTools.Engine.Privilege;
using MigrationTools.Engine.Zfs;
using MigrationTools.Lab.Tests.Cli;
using MigrationTools.Lab.Tests.Lab;

namespace MigrationTools.Lab.Tests.Privilege;

/// <summary>
/// The command line end to end without root: the helper and rules it prints are installed, then it declares, starts
/// and moves the counter logged in as migrator with --host-helper.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class LeastPrivilegeCliLabTests(LabFixture lab)
{
    [LabFact]
    public async Task TheToolPreparesTheHostsAndMovesTheCounterAsMigrator()
    {
        await using var counter = new CliCounter(lab);
        var paths = counter.Service.Paths;
        var helper = (await CliTool.RunAsync([
            "host", "helper", "--dataset-root", lab.Pool, "--manifest-dir", paths.ManifestDirectory, "--runtime-dir", paths.RuntimeDirectory,
        ])).Expect(0).Out;
        var sudoers = (await CliTool.RunAsync(["host", "sudoers", "--user", PrivilegeHosts.User])).Expect(0).Out;
        await using var hosts = await PrivilegeHosts.InstallAsync(lab, new HostPolicy([DatasetName.Parse(lab.Pool)], paths), helper, sudoers);
        string[] asMigrator = [.. counter.Connection, "--host-helper", HostPolicy.DefaultHelperPath];
        await counter.Service.CreateDatasetAsync("h1");
        var directory = counter.Service.DataDirectory;

        (await CliTool.RunAsync([
            "workload", "register", "m1", counter.Name, "-d", counter.Service.Dataset.Value, "--working-directory", directory, .. counter.TcpHealth,
            .. asMigrator, "--", "python3", directory + "/counter.py", "--data-dir", directory, "--port", counter.Service.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ])).Expect(0);
        (await CliTool.RunAsync(["workload", "start", "m1", counter.Name, .. asMigrator])).Expect(0);
        var first = await counter.Service.WaitForServiceAsync();

        var moved = (await CliTool.RunAsync([
            "move", counter.Name, "--from", "m1", "--to", "m2", .. CliCounter.LabSettings, "--max-sync-rounds", "1", "--complete", .. asMigrator,
            "--journal", counter.Lab.JournalDirectory, "--json",
        ])).Expect(0).Json;

        Assert.Equal("completed", moved.GetProperty("state").GetString());
        var now = await counter.Service.WaitForServiceAsync();
        Assert.Equal(("h2", first.Token), (now.Hostname, now.Token));
        Assert.Equal("root", (await lab.SshCheckedAsync("h2", $"stat -c %U {paths.ManifestFile(counter.Service.Name)}")).Trim());
    }
}
