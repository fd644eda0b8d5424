using System.Diagnostics;
using System.Runtime.Versioning;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Tests.Remote;
using MigrationTools.Engine.Zfs;

namespace MigrationTools.Engine.Tests.Zfs;

/// <summary>
/// The commands a replication round runs in one round trip each: the snapshot with its send, and the received copy's
/// settling. Run through the real shell against a stand-in <c>zfs</c> that records its calls and fails as told.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class ZfsRoundCommandTests : IDisposable
{
    private static readonly ZfsCapabilities LegacyZfs =
        ZfsCapabilities.Parse(ZfsTestData.Read("zfs-fuse-usage.txt"), ZfsTestData.Read("zfs-fuse-get.txt"));

    private static readonly ZfsReplicationPlan Legacy = ZfsReplicationPlanner.Plan(LegacyZfs, LegacyZfs);

    // Records each call; fails a call whose words match $FAIL_<n> (n counts matching calls) with the message in $MESSAGE.
    private const string FakeZfs = """
        #!/bin/sh
        printf '%s\n' "$*" >> "$ZFS_LOG"
        case "$*" in
            "$FAIL_ON")
                n=$(cat "$ZFS_LOG.fails" 2>/dev/null || echo 0); n=$((n + 1)); echo $n > "$ZFS_LOG.fails"
                if [ "$n" -le "${FAIL_TIMES:-1}" ]; then echo "cannot $1 '$2': $MESSAGE" >&2; exit 1; fi ;;
        esac
        case $1 in
            get) shift 6; for s in "$@"; do case $s in *@missing) echo "cannot open '$s': dataset does not exist" >&2; rc=1 ;; *) printf '%s\t%s\n' "$s" "${#s}" ;; esac; done; exit ${rc:-0} ;;
            send) echo STREAM ;;
        esac
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("mt-zfs-round-").FullName;

    public ZfsRoundCommandTests()
    {
        File.WriteAllText(Path.Combine(_directory, "zfs"), FakeZfs.Replace("\r", ""));
        File.SetUnixFileMode(Path.Combine(_directory, "zfs"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private string Log => Path.Combine(_directory, "calls");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [ShellFact]
    public void TheSnapshotIsTakenThenTheStreamSentFromOneCommand()
    {
        var snapshot = SnapshotName.Parse("tank/app@mt-m-0123456789ab-3");
        var request = ZfsSendRequest.Incremental(SnapshotName.Parse("tank/app@mt-m-0123456789ab-2"), snapshot, includeChildren: false);

        var (exit, output, _) = Run(ZfsSendCommand.SnapshotThenSend(snapshot, recursive: false, request, Legacy));

        Assert.Equal(0, exit);
        Assert.Equal("STREAM\n", output);
        Assert.Equal(
            ["snapshot tank/app@mt-m-0123456789ab-3", "send -p -i tank/app@mt-m-0123456789ab-2 tank/app@mt-m-0123456789ab-3"],
            File.ReadAllLines(Log));
    }

    [ShellFact]
    public void ARecursiveSnapshotCoversTheChildrenAndAFailedOneSendsNothing()
    {
        var snapshot = SnapshotName.Parse("tank/app@mt-m-0123456789ab-1");
        var request = ZfsSendRequest.Full(snapshot, includeChildren: true);

        var (exit, output, error) = Run(
            ZfsSendCommand.SnapshotThenSend(snapshot, recursive: true, request, Legacy),
            ("FAIL_ON", "snapshot -r tank/app@mt-m-0123456789ab-1"), ("MESSAGE", "dataset already exists"));

        Assert.NotEqual(0, exit);
        Assert.Equal("", output);
        Assert.Contains("dataset already exists", error);
        Assert.Equal(["snapshot -r tank/app@mt-m-0123456789ab-1"], File.ReadAllLines(Log));
    }

    [Fact]
    public void TheStreamMustSendTheSnapshotTaken()
    {
        var taken = SnapshotName.Parse("tank/app@mt-m-0123456789ab-3");
        var other = ZfsSendRequest.Full(SnapshotName.Parse("tank/app@mt-m-0123456789ab-4"), includeChildren: false);

        var error = Assert.Throws<ArgumentException>(() => ZfsSendCommand.SnapshotThenSend(taken, false, other, Legacy));
        Assert.Contains("tank/app@mt-m-0123456789ab-4", error.Message);
    }

    [ShellFact]
    public void TheCopyIsMadeReadOnlyRemountedChildrenFirstAndItsGuidsRead()
    {
        var command = ZfsReceivedCopyCommand.Create(
            DatasetName.Parse("pool/copy"),
            writable: false,
            [DatasetName.Parse("pool/copy"), DatasetName.Parse("pool/copy/db")],
            [SnapshotName.Parse("pool/copy@s"), SnapshotName.Parse("pool/copy/db@s")]);

        var (exit, output, _) = Run(command);

        Assert.Equal(0, exit);
        Assert.Equal(
            ["set readonly=on pool/copy", "unmount pool/copy/db", "unmount pool/copy", "mount pool/copy", "mount pool/copy/db",
             "get -H -p -o name,value guid pool/copy@s pool/copy/db@s"],
            File.ReadAllLines(Log));
        var guids = ZfsSnapshotGuids.Parse(output);
        Assert.Equal(11UL, guids[SnapshotName.Parse("pool/copy@s")]);
        Assert.Equal(14UL, guids[SnapshotName.Parse("pool/copy/db@s")]);
    }

    [ShellFact]
    public void ACopyHandedOverIsMadeWritableInstead()
    {
        var copy = DatasetName.Parse("pool/copy");

        var (exit, _, _) = Run(ZfsReceivedCopyCommand.Create(copy, writable: true, [copy], [copy.Snapshot("s")]));

        Assert.Equal(0, exit);
        Assert.Equal(
            ["set readonly=off pool/copy", "unmount pool/copy", "mount pool/copy", "get -H -p -o name,value guid pool/copy@s"],
            File.ReadAllLines(Log));
    }

    [ShellFact]
    public void ABusyUnmountIsRetriedAndOneAlreadyDoneIsNoFailure()
    {
        var copy = DatasetName.Parse("pool/copy");

        var busy = Run(ZfsReceivedCopyCommand.Create(copy, writable: false, [copy], [copy.Snapshot("s")]),
            ("FAIL_ON", "unmount pool/copy"), ("MESSAGE", "dataset is busy"), ("FAIL_TIMES", "2"));
        Assert.Equal(0, busy.Exit);
        Assert.Equal(3, File.ReadAllLines(Log).Count(l => l == "unmount pool/copy"));

        File.Delete(Log);
        File.Delete(Log + ".fails");
        var gone = Run(ZfsReceivedCopyCommand.Create(copy, writable: false, [copy], [copy.Snapshot("s")]),
            ("FAIL_ON", "unmount pool/copy"), ("MESSAGE", "not currently mounted"));
        Assert.Equal(0, gone.Exit);
        Assert.Contains("mount pool/copy", File.ReadAllLines(Log));
    }

    [ShellFact]
    public void AnyOtherFailureStopsTheCommandWithZfssMessage()
    {
        var copy = DatasetName.Parse("pool/copy");

        var (exit, output, error) = Run(ZfsReceivedCopyCommand.Create(copy, writable: false, [copy], [copy.Snapshot("s")]),
            ("FAIL_ON", "unmount pool/copy"), ("MESSAGE", "permission denied"));

        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.Contains("permission denied", error);
        Assert.DoesNotContain(File.ReadAllLines(Log), l => l.StartsWith("mount", StringComparison.Ordinal) || l.StartsWith("get", StringComparison.Ordinal));
    }

    [ShellFact]
    public void WithNothingToRemountOnlyTheGuidsAreRead()
    {
        var copy = DatasetName.Parse("pool/copy");

        var (exit, output, _) = Run(ZfsReceivedCopyCommand.Create(copy, writable: false, [], [copy.Snapshot("s"), copy.Snapshot("missing")]));

        Assert.Equal(1, exit);
        Assert.Equal(["set readonly=on pool/copy", "get -H -p -o name,value guid pool/copy@s pool/copy@missing"], File.ReadAllLines(Log));
        var guids = ZfsSnapshotGuids.Parse(output);
        Assert.Single(guids);
        Assert.False(guids.ContainsKey(copy.Snapshot("missing")));
    }

    [Theory]
    [InlineData("pool/a@s\tnot-a-number\n")]
    [InlineData("pool/a\t12\n")]
    [InlineData("pool/a@s 12\n")]
    public void GuidLinesThatAreNotANameAndANumberAreRefused(string output) =>
        Assert.Throws<FormatException>(() => ZfsSnapshotGuids.Parse(output));

    private (int Exit, string Output, string Error) Run(RemoteCommand command, params (string Name, string Value)[] environment)
    {
        var startInfo = new ProcessStartInfo(Sh.Path) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        startInfo.ArgumentList.Add("-c");
        startInfo.ArgumentList.Add(command.CommandLine);
        startInfo.Environment["PATH"] = _directory + ":/usr/bin:/bin";
        startInfo.Environment["ZFS_LOG"] = Log;
        foreach (var (name, value) in environment)
        {
            startInfo.Environment[name] = value;
        }

        using var process = Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, output.Result, error.Result);
    }
}
