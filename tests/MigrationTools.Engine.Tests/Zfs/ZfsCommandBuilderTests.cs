using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Zfs;

namespace MigrationTools.Engine.Tests.Zfs;

/// <summary>The exact argument lists of send and receive for every pairing of modern and legacy hosts.</summary>
public class ZfsCommandBuilderTests
{
    private static readonly ZfsCapabilities Legacy =
        ZfsCapabilities.Parse(ZfsTestData.Read("zfs-fuse-usage.txt"), ZfsTestData.Read("zfs-fuse-get.txt"));

    private static readonly ZfsCapabilities Modern =
        ZfsCapabilities.Parse(ZfsTestData.Read("openzfs-2.2-usage.txt"), ZfsTestData.Read("openzfs-2.2-get-excerpt.txt"));

    private static readonly SnapshotName One = SnapshotName.Parse("tank/web@mt-abc-1");
    private static readonly SnapshotName Two = SnapshotName.Parse("tank/web@mt-abc-2");
    private static readonly DatasetName Target = DatasetName.Parse("backup/web");

    [Fact]
    public void ModernToModernUsesEveryFeature()
    {
        var plan = ZfsReplicationPlanner.Plan(Modern, Modern);

        Assert.Equal(
            new ZfsReplicationPlan
            {
                SendCompressed = true, SendLargeBlocks = true, SendEmbedded = true, CanEstimateSize = true,
                ReceiveResumable = true, ReceiveUnmounted = true, CanAbortResumableReceive = true,
                RollBackOwnedCopies = false, RemountAfterReceive = false,
            },
            plan);
        Assert.Equal(["zfs", "send", "-p", "-L", "-e", "-c", "tank/web@mt-abc-1"], Argv(ZfsSendCommand.Create(ZfsSendRequest.Full(One, false), plan)));
        Assert.Equal(["zfs", "send", "-R", "-L", "-e", "-c", "tank/web@mt-abc-1"], Argv(ZfsSendCommand.Create(ZfsSendRequest.Full(One, true), plan)));
        Assert.Equal(
            ["zfs", "send", "-R", "-L", "-e", "-c", "-I", "tank/web@mt-abc-1", "tank/web@mt-abc-2"],
            Argv(ZfsSendCommand.Create(ZfsSendRequest.Incremental(One, Two, true), plan)));
        Assert.Equal(["zfs", "receive", "-s", "-u", "backup/web"], Argv(ZfsReceiveCommand.Create(Target, plan)));
    }

    [Fact]
    public void LegacyToLegacyUsesTheBasicCommands()
    {
        var plan = ZfsReplicationPlanner.Plan(Legacy, Legacy);

        Assert.Equal(ZfsReplicationPlan.Basic with { RollBackOwnedCopies = true, RemountAfterReceive = true, SendOneDatasetAtATime = true, GuardSendHolds = true }, plan);
        Assert.Equal(Guarded("zfs", "send", "-p", "tank/web@mt-abc-1"), Argv(ZfsSendCommand.Create(ZfsSendRequest.Full(One, false), plan)));
        Assert.Equal(Guarded("zfs", "send", "-R", "tank/web@mt-abc-1"), Argv(ZfsSendCommand.Create(ZfsSendRequest.Full(One, true), plan)));
        // One dataset at a time, legacy zfs takes no send holds with -i (an interrupted -I would leave them for good).
        Assert.Equal(
            Guarded("zfs", "send", "-p", "-i", "tank/web@mt-abc-1", "tank/web@mt-abc-2"),
            Argv(ZfsSendCommand.Create(ZfsSendRequest.Incremental(One, Two, false), plan)));
        Assert.Equal(
            Guarded("zfs", "send", "-R", "-I", "tank/web@mt-abc-1", "tank/web@mt-abc-2"),
            Argv(ZfsSendCommand.Create(ZfsSendRequest.Incremental(One, Two, true), plan)));
        Assert.Equal(["zfs", "receive", "backup/web"], Argv(ZfsReceiveCommand.Create(Target, plan)));
    }

    [Fact]
    public void ADatasetsStreamCanLeaveItsPropertiesOutAReplicationStreamCannot()
    {
        var plan = ZfsReplicationPlanner.Plan(Legacy, Legacy);
        var dataOnly = ZfsSendRequest.Incremental(One, Two, false).WithoutProperties();

        Assert.False(dataOnly.SendsProperties);
        Assert.True(ZfsSendRequest.Incremental(One, Two, false).SendsProperties);
        Assert.Equal(Guarded("zfs", "send", "-i", "tank/web@mt-abc-1", "tank/web@mt-abc-2"), Argv(ZfsSendCommand.Create(dataOnly, plan)));
        Assert.Throws<InvalidOperationException>(() => ZfsSendRequest.Incremental(One, Two, true).WithoutProperties());
    }

    [Fact]
    public void OnlyALegacySourceGuardsItsSendsHolds()
    {
        Assert.True(ZfsReplicationPlanner.Plan(Legacy, Modern).GuardSendHolds);
        Assert.False(ZfsReplicationPlanner.Plan(Modern, Legacy).GuardSendHolds);
        Assert.False(ZfsReplicationPlanner.Plan(Modern, Modern).GuardSendHolds);
        var snapshot = SnapshotName.Parse("tank/web@mt-abc-2");
        var argv = Argv(ZfsSendCommand.SnapshotThenSend(snapshot, false, ZfsSendRequest.Incremental(One, snapshot, false), ZfsReplicationPlanner.Plan(Legacy, Modern)));
        Assert.Equal(
            Guarded("sh", "-c", ZfsSendCommand.SnapshotThenSendScript, "sh", "", "tank/web@mt-abc-2", "zfs", "send", "-p", "-i", "tank/web@mt-abc-1", "tank/web@mt-abc-2"),
            argv);
    }

    private static string[] Guarded(params string[] send) => ["sh", "-c", ZfsSendCommand.HoldGuardScript, "sh", .. send];

    [Fact]
    public void OnlyALegacySourceSendsOneDatasetAtATime()
    {
        Assert.True(ZfsReplicationPlanner.Plan(Legacy, Modern).SendOneDatasetAtATime);
        Assert.False(ZfsReplicationPlanner.Plan(Modern, Legacy).SendOneDatasetAtATime);
        Assert.False(ZfsReplicationPlanner.Plan(Modern, Modern).SendOneDatasetAtATime);
        Assert.Equal(
            ["zfs", "send", "-p", "-L", "-e", "-c", "-I", "tank/web@mt-abc-1", "tank/web@mt-abc-2"],
            Argv(ZfsSendCommand.Create(ZfsSendRequest.Incremental(One, Two, false), ZfsReplicationPlanner.Plan(Modern, Modern))));
    }

    [Fact]
    public void ModernToLegacySendsNoStreamFeatureTheTargetCannotRead()
    {
        var plan = ZfsReplicationPlanner.Plan(Modern, Legacy);

        Assert.False(plan.SendCompressed);
        Assert.False(plan.SendLargeBlocks);
        Assert.False(plan.SendEmbedded);
        Assert.False(plan.ReceiveResumable);
        Assert.False(plan.ReceiveUnmounted);
        Assert.True(plan.CanEstimateSize);
        Assert.True(plan.RollBackOwnedCopies);
        Assert.True(plan.RemountAfterReceive);
        Assert.Equal(
            ["zfs", "send", "-R", "-I", "tank/web@mt-abc-1", "tank/web@mt-abc-2"],
            Argv(ZfsSendCommand.Create(ZfsSendRequest.Incremental(One, Two, true), plan)));
        Assert.Equal(["zfs", "receive", "backup/web"], Argv(ZfsReceiveCommand.Create(Target, plan)));
        Assert.Equal(
            ["zfs", "send", "-n", "-P", "-R", "-I", "tank/web@mt-abc-1", "tank/web@mt-abc-2"],
            Argv(ZfsSendCommand.Estimate(ZfsSendRequest.Incremental(One, Two, true), plan)));
    }

    [Fact]
    public void LegacyToModernReceivesUnmountedButCannotResumeOrEstimate()
    {
        var plan = ZfsReplicationPlanner.Plan(Legacy, Modern);

        Assert.False(plan.SendCompressed);
        Assert.False(plan.CanEstimateSize);
        Assert.False(plan.ReceiveResumable);
        Assert.True(plan.ReceiveUnmounted);
        Assert.True(plan.CanAbortResumableReceive);
        Assert.False(plan.RollBackOwnedCopies);
        Assert.False(plan.RemountAfterReceive);
        Assert.Equal(Guarded("zfs", "send", "-p", "tank/web@mt-abc-1"), Argv(ZfsSendCommand.Create(ZfsSendRequest.Full(One, false), plan)));
        Assert.Equal(["zfs", "receive", "-u", "backup/web"], Argv(ZfsReceiveCommand.Create(Target, plan)));
        Assert.Throws<InvalidOperationException>(() => ZfsSendCommand.Estimate(ZfsSendRequest.Full(One, false), plan));
        Assert.Throws<InvalidOperationException>(() => ZfsSendCommand.Resume(ZfsResumeToken.Parse("1-abc-10-789c"), plan));
    }

    [Fact]
    public void EstimateUsesTheSameFlagsWithDryRunAndParsable()
    {
        var plan = ZfsReplicationPlanner.Plan(Modern, Modern);

        Assert.Equal(
            ["zfs", "send", "-n", "-P", "-p", "-L", "-e", "-c", "tank/web@mt-abc-1"],
            Argv(ZfsSendCommand.Estimate(ZfsSendRequest.Full(One, false), plan)));
    }

    [Fact]
    public void ResumeSendsTheTokenAlone()
    {
        var plan = ZfsReplicationPlanner.Plan(Modern, Modern);
        var token = ZfsResumeToken.Parse("1-e604ea4bf-e0-789c63a2c4");

        Assert.Equal(["zfs", "send", "-t", "1-e604ea4bf-e0-789c63a2c4"], Argv(ZfsSendCommand.Resume(token, plan)));
    }

    [Fact]
    public void ForceRollbackAlwaysRollsBack()
    {
        Assert.Equal(["zfs", "receive", "-F", "backup/web"], Argv(ZfsReceiveCommand.Create(Target, ZfsReplicationPlan.Basic, ZfsReceiveMode.ForceRollback)));
        Assert.Equal(
            ["zfs", "receive", "-s", "-u", "-F", "backup/web"],
            Argv(ZfsReceiveCommand.Create(Target, ZfsReplicationPlanner.Plan(Modern, Modern), ZfsReceiveMode.ForceRollback)));
    }

    [Fact]
    public void AnOwnedCopyIsRolledBackOnlyWhereTheTargetMountsWhatItReceives()
    {
        Assert.Equal(
            ["zfs", "receive", "-F", "backup/web"],
            Argv(ZfsReceiveCommand.Create(Target, ZfsReplicationPlanner.Plan(Legacy, Legacy), ZfsReceiveMode.OwnedCopy)));
        Assert.Equal(
            ["zfs", "receive", "-F", "backup/web"],
            Argv(ZfsReceiveCommand.Create(Target, ZfsReplicationPlanner.Plan(Modern, Legacy), ZfsReceiveMode.OwnedCopy)));
        Assert.Equal(
            ["zfs", "receive", "-s", "-u", "backup/web"],
            Argv(ZfsReceiveCommand.Create(Target, ZfsReplicationPlanner.Plan(Modern, Modern), ZfsReceiveMode.OwnedCopy)));
        Assert.Equal(
            ["zfs", "receive", "-u", "backup/web"],
            Argv(ZfsReceiveCommand.Create(Target, ZfsReplicationPlanner.Plan(Legacy, Modern), ZfsReceiveMode.OwnedCopy)));
    }

    [Fact]
    public void NormalNeverRollsBack()
    {
        Assert.DoesNotContain("-F", Argv(ZfsReceiveCommand.Create(Target, ZfsReplicationPlanner.Plan(Legacy, Legacy))));
        Assert.DoesNotContain("-F", Argv(ZfsReceiveCommand.Create(Target, ZfsReplicationPlanner.Plan(Legacy, Legacy), ZfsReceiveMode.Normal)));
    }

    [Fact]
    public void AbortNamesTheTarget()
    {
        Assert.Equal(["zfs", "receive", "-A", "backup/web"], Argv(ZfsReceiveCommand.Abort(Target)));
    }

    [Fact]
    public void IncrementalNeedsTwoSnapshotsOfOneDataset()
    {
        var other = SnapshotName.Parse("tank/db@mt-abc-2");

        Assert.Contains("different datasets", Assert.Throws<ArgumentException>(() => ZfsSendRequest.Incremental(One, other, false)).Message, StringComparison.Ordinal);
        Assert.Contains("two different snapshots", Assert.Throws<ArgumentException>(() => ZfsSendRequest.Incremental(One, One, false)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RequestsDescribeThemselves()
    {
        Assert.Equal("full tank/web@mt-abc-1", ZfsSendRequest.Full(One, false).ToString());
        Assert.Equal("tank/web@mt-abc-1 -> tank/web@mt-abc-2 (with children)", ZfsSendRequest.Incremental(One, Two, true).ToString());
        Assert.True(ZfsSendRequest.Incremental(One, Two, true).IsIncremental);
        Assert.False(ZfsSendRequest.Full(One, true).IsIncremental);
    }

    [Fact]
    public void CommandLinesAreQuotedWordByWord()
    {
        var command = ZfsSendCommand.Create(ZfsSendRequest.Incremental(One, Two, true), ZfsReplicationPlan.Basic);

        Assert.Equal("'zfs' 'send' '-R' '-I' 'tank/web@mt-abc-1' 'tank/web@mt-abc-2'", command.CommandLine);
    }

    private static IReadOnlyList<string> Argv(RemoteCommand command) => Assert.Single(command.Stages);
}
