using System.Security.Cryptography;
using System.Text;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Tests.Remote;

public class ProcessRunnerTests
{
    private static LocalCommand Shell(string script, params string[] arguments) =>
        new("/bin/sh", ["-c", script, "sh", .. arguments]);

    [ShellFact]
    public async Task ReturnsExitCodeStandardOutputAndStandardError()
    {
        var result = await ProcessRunner.RunAsync(Shell("echo out; echo err >&2; exit 3"));

        Assert.Equal(3, result.ExitCode);
        Assert.Equal("out\n", result.OutputText);
        Assert.Equal("err\n", result.StandardError);
        Assert.False(result.StandardErrorTruncated);
    }

    [ShellFact]
    public async Task PassesEachArgumentAsOneLiteralWord()
    {
        string[] words = ["a b", "$(touch /tmp/mt-should-not-exist)", "`id`", "'", "\"", "", "-n", "*", "line\nbreak"];

        var result = await ProcessRunner.RunAsync(new LocalCommand("printf", ["%s\\0", .. words]));

        Assert.Equal(string.Concat(words.Select(w => w + "\0")), result.OutputText);
        Assert.False(File.Exists("/tmp/mt-should-not-exist"));
    }

    [ShellFact]
    public async Task FeedsStandardInputWhileReadingOutput()
    {
        var data = RandomNumberGenerator.GetBytes(8 * 1024 * 1024);

        var result = await ProcessRunner.RunAsync(LocalCommand.Create("cat"), new MemoryStream(data));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(data, result.StandardOutput);
    }

    [ShellFact]
    public async Task LargeInputOutputAndErrorAtOnceDoNotDeadlock()
    {
        var data = RandomNumberGenerator.GetBytes(4 * 1024 * 1024);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var result = await ProcessRunner.RunAsync(
            Shell("head -c 4194304 /dev/zero >&2 & cat; wait"), new MemoryStream(data), cancellationToken: timeout.Token);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(data.Length, result.StandardOutput.Length);
        Assert.True(result.StandardErrorTruncated);
    }

    [ShellFact]
    public async Task AProgramThatStopsReadingEarlyIsNotAnError()
    {
        var data = new byte[16 * 1024 * 1024];

        var result = await ProcessRunner.RunAsync(LocalCommand.Create("head", "-c", "10"), new MemoryStream(data));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(10, result.StandardOutput.Length);
    }

    [ShellFact]
    public async Task StreamsFiftyMebibytesWithoutCollectingThem()
    {
        using var process = LocalProcess.Start(LocalCommand.Create("head", "-c", "50M", "/dev/zero"));
        process.CloseStandardInput();
        var buffer = new byte[64 * 1024];
        long total = 0;
        int read;
        while ((read = await process.StandardOutput.ReadAsync(buffer)) > 0)
        {
            total += read;
        }

        var result = await process.WaitForExitAsync();

        Assert.Equal(50L * 1024 * 1024, total);
        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.StandardOutput);
    }

    [ShellFact]
    public async Task StreamsOutputIntoAGivenStream()
    {
        var counter = new CountingStream();

        var result = await ProcessRunner.RunAsync(LocalCommand.Create("head", "-c", "20M", "/dev/zero"), standardOutput: counter);

        Assert.Equal(20L * 1024 * 1024, counter.Length);
        Assert.Empty(result.StandardOutput);
    }

    [ShellFact]
    public async Task KeepsOnlyTheTailOfAStandardErrorFlood()
    {
        var result = await ProcessRunner.RunAsync(Shell("head -c 20000000 /dev/zero | tr '\\000' x >&2; echo the-end >&2"));

        Assert.Equal(0, result.ExitCode);
        Assert.True(result.StandardErrorTruncated);
        Assert.Equal(LocalCommand.DefaultStandardErrorLimit, Encoding.UTF8.GetByteCount(result.StandardError));
        Assert.EndsWith("xxxthe-end\n", result.StandardError, StringComparison.Ordinal);
    }

    [ShellFact]
    public async Task TheStandardErrorLimitIsConfigurable()
    {
        var result = await ProcessRunner.RunAsync(Shell("echo 0123456789 >&2") with { StandardErrorLimit = 4 });

        Assert.Equal("789\n", result.StandardError);
        Assert.True(result.StandardErrorTruncated);
    }

    [ShellFact]
    public async Task CancellationKillsTheProcessAndItsChildren()
    {
        var parent = ProcessTable.UniqueSleep();
        var child = ProcessTable.UniqueSleep();
        using var cancel = new CancellationTokenSource();
        var run = ProcessRunner.RunAsync(Shell("sleep \"$1\" & sleep \"$2\"; wait", child, parent), cancellationToken: cancel.Token);
        Assert.True(await ProcessTable.WaitUntilRunningAsync(child, TimeSpan.FromSeconds(10)));
        Assert.True(await ProcessTable.WaitUntilRunningAsync(parent, TimeSpan.FromSeconds(10)));

        var started = DateTime.UtcNow;
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
        Assert.True(await ProcessTable.WaitUntilGoneAsync(parent, TimeSpan.FromSeconds(5)));
        Assert.True(await ProcessTable.WaitUntilGoneAsync(child, TimeSpan.FromSeconds(5)));
    }

    [ShellFact]
    public async Task CancellingWaitForExitKillsTheProcess()
    {
        var sleep = ProcessTable.UniqueSleep();
        using var process = LocalProcess.Start(LocalCommand.Create("sleep", sleep));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => process.WaitForExitAsync(cancel.Token));

        Assert.True(process.HasExited);
        Assert.True(await ProcessTable.WaitUntilGoneAsync(sleep, TimeSpan.FromSeconds(5)));
    }

    [ShellFact]
    public async Task AnAlreadyCancelledTokenStartsNothing()
    {
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => ProcessRunner.RunAsync(LocalCommand.Create("true"), cancellationToken: new CancellationToken(canceled: true)));
    }

    [ShellFact]
    public async Task SetsEnvironmentAndWorkingDirectory()
    {
        var directory = Directory.CreateTempSubdirectory("mt-runner-");
        try
        {
            var command = Shell("printf '%s|%s|%s' \"$MT_TEST\" \"${MT_GONE-unset}\" \"$(pwd)\"") with
            {
                WorkingDirectory = directory.FullName,
                Environment = new Dictionary<string, string?> { ["MT_TEST"] = "a b $x", ["MT_GONE"] = null },
            };
            Environment.SetEnvironmentVariable("MT_GONE", "inherited");

            var result = await ProcessRunner.RunAsync(command);

            Assert.Equal($"a b $x|unset|{directory.FullName}", result.OutputText);
        }
        finally
        {
            Environment.SetEnvironmentVariable("MT_GONE", null);
            directory.Delete();
        }
    }

    [Fact]
    public async Task AMissingProgramSaysSo()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => ProcessRunner.RunAsync(LocalCommand.Create("/nonexistent/mt-no-such-program")));

        Assert.Contains("/nonexistent/mt-no-such-program", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RefusesMalformedCommands()
    {
        Assert.Throws<ArgumentException>(() => LocalProcess.Start(new LocalCommand("", [])));
        Assert.Throws<ArgumentException>(() => LocalProcess.Start(LocalCommand.Create("echo", "a\0b")));
        Assert.Throws<ArgumentException>(() => LocalProcess.Start(new LocalCommand("echo", [null!])));
    }

    [ShellFact]
    public async Task AFailingDestinationStreamKillsTheProcessAndSurfaces()
    {
        var sleep = ProcessTable.UniqueSleep();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        await Assert.ThrowsAsync<IOException>(() => ProcessRunner.RunAsync(
            Shell("echo data; exec sleep \"$1\"", sleep), standardOutput: new FailingStream(), cancellationToken: timeout.Token));

        Assert.True(await ProcessTable.WaitUntilGoneAsync(sleep, TimeSpan.FromSeconds(5)));
    }

    private sealed class CountingStream : Stream
    {
        private long _length;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _length;

        public override long Position { get => _length; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => _length += count;
    }

    private sealed class FailingStream : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => 0;

        public override long Position { get => 0; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new IOException("disk full");
    }
}
