using MigrationTools.Engine.Criu;

namespace MigrationTools.Engine.Tests.Criu;

/// <summary>The lines of a CRIU log an error quotes.</summary>
public class CriuLogTests
{
    private const string Log = """
        (00.000086) Hugetlb size 1024 Mb is supported but cannot get dev's number
        (00.002509) Error (criu/util.c:1534): rlimit: Can't setup RLIMIT_NOFILE for self: Operation not permitted
        (00.004169)      1: inet:  Restore: family AF_INET    type SOCK_STREAM    proto IPPROTO_TCP      port 24567 state TCP_LISTEN
        (00.004170)      1: Error (criu/sk-inet.c:1059): inet: Can't bind inet socket (id 21): Address already in use
        (00.004182)      1: Error (criu/files.c:1221): Unable to open fd=4 id=0x15
        (00.004300)      1: tun: Unable to create tun: Operation not permitted
        (00.004575) Error (criu/cr-restore.c:2331): Restoring FAILED.
        """;

    [Fact]
    public void ErrorsComeFirstWithoutTheHarmlessOnesThenTheLastLines()
    {
        var lines = CriuLog.Excerpt(Log).Split('\n');

        Assert.Contains("Address already in use", lines[0], StringComparison.Ordinal);
        Assert.Contains("Unable to open fd=4", lines[1], StringComparison.Ordinal);
        Assert.Contains("Restoring FAILED", lines[2], StringComparison.Ordinal);
        Assert.DoesNotContain("RLIMIT_NOFILE", string.Join("\n", lines[..3]), StringComparison.Ordinal);
        Assert.Equal(lines.Length, lines.Distinct().Count());
        Assert.Contains(lines, l => l.Contains("tun: Unable", StringComparison.Ordinal));
    }

    [Fact]
    public void LongLinesAndControlCharactersAreTamed()
    {
        var excerpt = CriuLog.Excerpt("Error " + new string('x', 5000) + "\n\u001b[31mlast");

        Assert.True(excerpt.Length < 1000);
        Assert.DoesNotContain("\u001b", excerpt, StringComparison.Ordinal);
    }

    [Fact]
    public void TheExceptionNamesHostOperationStatusAndQuotesTheLog()
    {
        var error = new CriuException("h2", CriuOperation.Restore, "criu restore", 1, "criu restore failed.", CriuLog.Excerpt(Log));

        Assert.StartsWith("CRIU restore failed on h2 (exit status 1): criu restore failed.\n", error.Message, StringComparison.Ordinal);
        Assert.Contains("Address already in use", error.Message, StringComparison.Ordinal);
        Assert.Equal("h2", error.Host);
        Assert.Equal(CriuOperation.Restore, error.Operation);
        Assert.Equal(1, error.ExitCode);
    }
}
