using MigrationTools.Engine.Privilege;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Zfs;

namespace MigrationTools.Engine.Tests.Remote;

/// <summary>
/// A login user without root: each stage a helper verb runs goes through <c>sudo -n</c> and the helper, everything
/// else runs as the user, and a refused verb names the sudoers rule to add.
/// </summary>
public sealed class HostElevationTests
{
    private const string Helper = HostPolicy.DefaultHelperPath;

    private static readonly SshClientConfig Defaults = SshClientConfig.Parse("user root\nciphers aes128-ctr\nconnecttimeout none\nserveraliveinterval 300\n");

    private static readonly SshClientConfig AsMigrator = SshClientConfig.Parse("user migrator\nciphers aes128-ctr\nconnecttimeout none\nserveraliveinterval 300\n");

    [Fact]
    public void EachStageThatNeedsRootRunsThroughTheHelperAndTheRestAsTheUser()
    {
        var send = ZfsSendCommand.Create(ZfsSendRequest.Full(SnapshotName.Parse("tank/apps/web@mt-1"), includeChildren: false), ZfsReplicationPlan.Basic)
            .Pipe(RemoteCommand.Create("zstd", "-1", "-q", "-c"));

        var elevated = HostElevation.Elevate(send, Helper);

        Assert.Equal(2, elevated.Stages.Count);
        Assert.Equal(["sudo", "-n", "--", Helper, "zfs-send", "-p", "tank/apps/web@mt-1"], elevated.Stages[0]);
        Assert.Equal(["zstd", "-1", "-q", "-c"], elevated.Stages[1]);
    }

    [Fact]
    public void ASendsHoldGuardRunsAsTheUserAndTheSendItRunsThroughTheHelper()
    {
        var guarded = ZfsReplicationPlan.Basic with { GuardSendHolds = true };
        var snapshot = SnapshotName.Parse("tank/apps/web@mt-2");
        var send = ZfsSendCommand.SnapshotThenSend(snapshot, false, ZfsSendRequest.Full(snapshot, includeChildren: false), guarded);

        var elevated = HostElevation.Elevate(send, Helper);

        var stage = Assert.Single(elevated.Stages);
        Assert.Equal(["sh", "-c", ZfsSendCommand.HoldGuardScript, "sh", "sudo", "-n", "--", Helper, "zfs-snapshot-send"], stage.Take(9));
        Assert.Equal(["tank/apps/web@mt-2", "zfs", "send", "-p", "tank/apps/web@mt-2"], stage.TakeLast(5));
    }

    [Fact]
    public void TheWatchdogRunsAsTheUserAndNeverAsARootShell()
    {
        var elevated = HostElevation.Elevate(RemoteCommand.Create("zfs", "destroy", "-r", "tank/apps/web@mt-1"), Helper);

        var line = RemoteWrapper.CommandLine(elevated, readsInput: false, elevate: false);

        Assert.StartsWith("'sh' '-c' ", line, StringComparison.Ordinal);
        Assert.EndsWith("'mt-remote' 'sudo' '-n' '--' '" + Helper + "' 'zfs-destroy' '-r' 'tank/apps/web@mt-1'", line, StringComparison.Ordinal);
        Assert.DoesNotContain("'sudo' '-n' '--' 'sh'", line, StringComparison.Ordinal);
    }

    [Fact]
    public void CommandsWithoutAVerbAndElevatedStagesAreLeftAsTheyAre()
    {
        var probe = RemoteCommand.Create("true");
        var already = HostElevation.Elevate(RemoteCommand.Create("zfs", "get"), Helper);

        Assert.Equal(probe.Stages, HostElevation.Elevate(probe, Helper).Stages);
        Assert.Equal(already.Stages, HostElevation.Elevate(already, Helper).Stages);
        Assert.Throws<ArgumentException>(() => HostElevation.Elevate(probe, "mt-host"));
    }

    [Fact]
    public void ANonRootLoginWithAHelperElevatesThroughItAndNotThroughASudoShell()
    {
        var options = SshOptions.Default with { UseSudo = true, HostHelper = Helper };

        var user = SshSettings.Decide(options, AsMigrator, Defaults, null);
        var root = SshSettings.Decide(options, Defaults, Defaults, null);
        var legacy = SshSettings.Decide(SshOptions.Default with { UseSudo = true }, AsMigrator, Defaults, null);

        Assert.Equal((Helper, false, "migrator"), (user.Helper, user.Elevate, user.User));
        Assert.Equal((null, false), (root.Helper, root.Elevate));
        Assert.Equal((null, true), (legacy.Helper, legacy.Elevate));
    }

    [Theory]
    [InlineData("sudo: a password is required\n")]
    [InlineData("Sorry, user migrator is not allowed to execute '/usr/local/libexec/migrationtools/mt-host zfs-send -p tank/apps/web@mt-1' as root on h1.\n")]
    public void ARefusedVerbNamesTheRuleToAdd(string said)
    {
        var command = HostElevation.Elevate(RemoteCommand.Create("zfs", "send", "-p", "tank/apps/web@mt-1"), Helper).CommandLine;

        var failure = Assert.IsType<SudoRuleMissingException>(SshFailureClassifier.Classify("m1", command, 1, said, "migrator"));

        Assert.Equal("zfs-send", failure.Verb);
        Assert.Equal("migrator ALL=(root) NOPASSWD: " + Helper + " zfs-send *", failure.Rule);
        Assert.Contains("\n  " + failure.Rule + "\n", failure.Message, StringComparison.Ordinal);
        Assert.Contains("migrationtools host sudoers --user migrator", failure.Message, StringComparison.Ordinal);
        Assert.True(SshFailureClassifier.IsConnectionLevel(failure));
    }

    [Fact]
    public void APasswordPromptWithoutTheHelperStaysAPasswordProblem()
    {
        Assert.IsType<SudoPasswordRequiredException>(SshFailureClassifier.Classify("m1", "'zfs' 'list'", 1, "sudo: a password is required\n", "migrator"));
    }
}
