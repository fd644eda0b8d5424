using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Journal;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Phases;
using MigrationTools.Engine.Privilege;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Transfer;
using MigrationTools.Engine.Workloads;
using MigrationTools.Engine.Zfs;
using MigrationTools.Lab.Tests.Lab;
using MigrationTools.Lab.Tests.Migrations;

namespace MigrationTools.Lab.Tests.Privilege;

/// <summary>
/// The engine logged in as migrator (m1, m2), a user whose only sudo rules are the host helper's verbs: whole live
/// migrations work, nothing else runs as root, and a missing rule is named.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class LeastPrivilegeLabTests(LabFixture lab)
{
    private const string Images = CriuImageDirectory.DefaultParent;

    [LabFact]
    public async Task ALiveMoveAndCompleteRunAsMigratorAndLeaveNoImages()
    {
        await using var m = new MigrationLab(lab);
        await using var hosts = await PrivilegeHosts.InstallAsync(lab, m.Service.Paths);
        var engine = MigratorEngine(m, hosts);
        var first = await m.StartAsync();

        var switched = await engine.MoveAsync(Request(m), new MoveOptions { ConvergedBytes = 0, MaxSyncRounds = 1 });

        Assert.Equal(MigrationState.Switched, switched.State);
        Assert.Null(switched.LastError);
        var moved = await m.Service.WaitForServiceAsync();
        Assert.Equal(("h2", first.Token), (moved.Hostname, moved.Token));
        Assert.True(await m.LogIntactAsync("h2"));
        await AssertImagesPrivateAsync();

        var completed = await engine.CompleteAsync(switched.Id);

        Assert.Equal(MigrationState.Completed, completed.State);
        Assert.False(await m.DatasetExistsAsync("h1"));
        Assert.Equal(WorkloadState.Running, (await m.StatusAsync("h2")).State);
        await AssertNoImagesOfAsync(m);
    }

    [LabFact]
    public async Task ADirectLiveMoveStreamsFromHostToHostAsMigrator()
    {
        await using var m = new MigrationLab(lab);
        await using var hosts = await PrivilegeHosts.InstallAsync(lab, m.Service.Paths);
        var engine = MigratorEngine(m, hosts);
        var first = await m.StartAsync();
        var direct = new MigrationSettings { StopTimeoutSeconds = 2, Path = TransferPath.Direct };
        var peerLogins = await PeerLoginsAsync();

        var completed = await engine.MoveAsync(Request(m) with { Settings = direct }, new MoveOptions { ConvergedBytes = 0, MaxSyncRounds = 1, Complete = true });

        Assert.Equal(MigrationState.Completed, completed.State);
        Assert.Equal(TransferPath.Direct, completed.Settings.Path);
        Assert.True(await PeerLoginsAsync() > peerLogins, "h1 never logged in to h2 as migrator: the streams did not go host to host");
        var moved = await m.Service.WaitForServiceAsync();
        Assert.Equal(("h2", first.Token), (moved.Hostname, moved.Token));
        Assert.True(await m.LogIntactAsync("h2"));
        await AssertNoImagesOfAsync(m);
    }

    // An explicit method the hosts cannot do fails the preflight, so each of these ran as asked. Pre-copy is not among
    // them: the lab's kernel does not track dirty memory (see PreCopyLabTests), as root or not.
    [LabTheory]
    [InlineData(MemoryTransfer.PostCopy, TransferPath.Relay)]
    [InlineData(MemoryTransfer.PostCopy, TransferPath.Direct)]
    [InlineData(MemoryTransfer.StopAndCopy, TransferPath.Relay)]
    [InlineData(MemoryTransfer.StopAndCopy, TransferPath.Direct)]
    public async Task EachMemoryTransferRunsAsMigrator(MemoryTransfer method, TransferPath path)
    {
        await using var m = new MigrationLab(lab);
        await using var hosts = await PrivilegeHosts.InstallAsync(lab, m.Service.Paths);
        var engine = MigratorEngine(m, hosts);
        var first = await m.StartAsync();
        var settings = new MigrationSettings { StopTimeoutSeconds = 2, MemoryTransfer = method, Path = path };

        var completed = await engine.MoveAsync(Request(m) with { Settings = settings }, new MoveOptions { ConvergedBytes = 0, MaxSyncRounds = 1, Complete = true });

        Assert.Equal(MigrationState.Completed, completed.State);
        var moved = await m.Service.WaitForServiceAsync();
        Assert.Equal(("h2", first.Token), (moved.Hostname, moved.Token));
        Assert.True(await m.LogIntactAsync("h2"));
        await AssertNoImagesOfAsync(m);
    }

    [LabFact]
    public async Task AnUndoAfterALiveSwitchRunsAsMigrator()
    {
        await using var m = new MigrationLab(lab);
        await using var hosts = await PrivilegeHosts.InstallAsync(lab, m.Service.Paths);
        var engine = MigratorEngine(m, hosts);
        var first = await m.StartAsync();
        var switched = await engine.MoveAsync(Request(m), new MoveOptions { ConvergedBytes = 0, MaxSyncRounds = 1 });
        Assert.Equal(MigrationState.Switched, switched.State);

        var undone = await engine.UndoAsync(switched.Id);

        Assert.Equal(MigrationState.RolledBack, undone.State);
        var back = await m.Service.WaitForServiceAsync();
        Assert.Equal(("h1", first.Token), (back.Hostname, back.Token));
        Assert.False(await m.DatasetExistsAsync("h2"));
        Assert.Equal(WorkloadState.Running, (await m.StatusAsync("h1")).State);
        await AssertNoImagesOfAsync(m);
    }

    [LabFact]
    public async Task AnAbortBeforeTheSwitchRunsAsMigrator()
    {
        await using var m = new MigrationLab(lab);
        await using var hosts = await PrivilegeHosts.InstallAsync(lab, m.Service.Paths);
        var engine = MigratorEngine(m, hosts);
        await m.StartAsync();
        var begun = await engine.BeginAsync(Request(m));
        Assert.True(await m.DatasetExistsAsync("h2"));

        var aborted = await engine.AbortAsync(begun.Id);

        Assert.Equal(MigrationState.Aborted, aborted.State);
        Assert.False(await m.DatasetExistsAsync("h2"));
        Assert.False(await m.ClaimExistsAsync());
        Assert.Equal(WorkloadState.Running, (await m.StatusAsync("h1")).State);
    }

    [LabFact]
    public async Task MigratorCanRunNothingElseThroughSudo()
    {
        await using var m = new MigrationLab(lab);
        await using var hosts = await PrivilegeHosts.InstallAsync(lab, m.Service.Paths);
        var helper = hosts.Policy.HelperPath;

        var shell = await lab.SshAsync("m1", "sudo -n /bin/sh -c id");
        var zfs = await lab.SshAsync("m1", $"sudo -n zfs destroy -r {lab.Pool}");
        var rootOfAll = await lab.SshAsync("m1", $"sudo -n {helper} zfs-destroy -r {lab.Pool}");
        var otherPool = await lab.SshAsync("m1", $"sudo -n {helper} zfs-destroy -r other/data");
        var escape = await lab.SshAsync("m1", $"sudo -n {helper} images-remove {Images}/../../etc");
        var unknown = await lab.SshAsync("m1", $"sudo -n {helper} sh -c id");

        // sudo itself refuses what no rule names: a shell, zfs, a verb the helper does not have.
        foreach (var refused in new[] { shell, zfs, unknown })
        {
            Assert.NotEqual(0, refused.ExitCode);
            Assert.Contains("a password is required", refused.StandardError, StringComparison.Ordinal);
        }

        // The helper refuses what its verbs do not allow.
        foreach (var refused in new[] { rootOfAll, otherPool, escape })
        {
            Assert.Equal(HostHelperScript.RefusedExitCode, refused.ExitCode);
            Assert.StartsWith(HostHelperScript.RefusalPrefix, refused.StandardError, StringComparison.Ordinal);
        }

        Assert.Equal(lab.Pool, (await lab.SshCheckedAsync("h1", $"zfs list -H -o name {lab.Pool}")).Trim());
    }

    [LabFact]
    public async Task AMissingRuleIsNamedWithTheLineToAdd()
    {
        await using var m = new MigrationLab(lab);
        await using var hosts = await PrivilegeHosts.InstallAsync(lab, m.Service.Paths);
        var rule = SudoersPolicy.Rule(PrivilegeHosts.User, hosts.Policy.HelperPath, "zfs-usage");
        await hosts.WriteRulesAsync(SudoersPolicy.Render(PrivilegeHosts.User).Replace(rule + "\n", "", StringComparison.Ordinal));
        using var connection = new SshConnection(SshDestination.Parse("m1"), MigratorOptions(m, hosts));

        var failure = await Assert.ThrowsAsync<SudoRuleMissingException>(() => new ZfsHost(connection).GetCapabilitiesAsync());

        Assert.Equal("zfs-usage", failure.Verb);
        Assert.Equal(rule, failure.Rule);
        Assert.Contains(rule, failure.Message, StringComparison.Ordinal);
        Assert.Contains("migrationtools host sudoers --user migrator", failure.Message, StringComparison.Ordinal);
    }

    private static MigrationRequest Request(MigrationLab m) => new(m.Service.Name, "m1", "m2") { Settings = MigrationLab.LabSettings };

    private static SshOptions MigratorOptions(MigrationLab m, PrivilegeHosts hosts) =>
        new() { ConfigFile = m.SshConfigPath, ControlDirectory = m.ControlDirectory, HostHelper = hosts.Policy.HelperPath };

    private static MigrationEngine MigratorEngine(MigrationLab m, PrivilegeHosts hosts) =>
        new(new MigrationJournal(m.JournalDirectory), MigratorOptions(m, hosts), m.Service.Paths);

    // h2's listening sshd logs only logins over the lab network (the controller enters through sshd -i): h1's streams.
    private async Task<int> PeerLoginsAsync() =>
        int.Parse(
            (await lab.SshCheckedAsync("h2", "grep -c 'Accepted publickey for migrator from ' /var/log/lab/init.log || true")).Trim(),
            System.Globalization.CultureInfo.InvariantCulture);

    // The images directory holds the workload's memory: only root may enter it, on both hosts.
    private async Task AssertImagesPrivateAsync()
    {
        foreach (var host in new[] { "h1", "h2" })
        {
            Assert.Equal("700 root", (await lab.SshCheckedAsync(host, $"stat -c '%a %U' {Images}")).Trim());
            Assert.NotEqual(0, (await lab.SshAsync(host.Replace('h', 'm'), $"ls {Images}")).ExitCode);
        }
    }

    private async Task AssertNoImagesOfAsync(MigrationLab m)
    {
        foreach (var host in new[] { "h1", "h2" })
        {
            Assert.Equal("", (await lab.SshCheckedAsync(host, $"ls -d {Images}/{m.Service.Name}-* 2>/dev/null || true")).Trim());
        }
    }
}
