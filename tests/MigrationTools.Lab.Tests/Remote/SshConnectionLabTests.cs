using System.Globalization;
using System.Runtime.Versioning;
using System.Text;
using MigrationTools.Engine.Remote;
using MigrationTools.Lab.Tests.Lab;

namespace MigrationTools.Lab.Tests.Remote;

/// <summary>The engine's ssh connection against the lab's real sshd, host keys and ZFS hosts.</summary>
[Collection(LabCollection.Name)]
[SupportedOSPlatform("linux")]
public sealed class SshConnectionLabTests : IDisposable
{
    private static readonly TimeSpan Gone = TimeSpan.FromSeconds(5);

    private readonly LabFixture _lab;
    private readonly string _scratch = Directory.CreateTempSubdirectory("mt-lab-remote-").FullName;
    private readonly string _controlDirectory = "/tmp/mt-lab-" + Guid.NewGuid().ToString("N")[..8];
    private readonly List<SshConnection> _connections = [];

    public SshConnectionLabTests(LabFixture lab) => _lab = lab;

    public void Dispose()
    {
        foreach (var connection in _connections)
        {
            connection.Dispose();
        }

        Directory.Delete(_scratch, recursive: true);
        if (Directory.Exists(_controlDirectory))
        {
            Directory.Delete(_controlDirectory, recursive: true);
        }
    }

    [LabFact]
    public async Task RunsACommandAndReturnsItsOutputAndExitStatus()
    {
        var h1 = Connect("h1");

        var hostname = await h1.RunAsync(RemoteCommand.Create("hostname"));
        var failing = await h1.ExecuteAsync(RemoteCommand.Create("sh", "-c", "echo out; echo err >&2; exit 3"));

        Assert.Equal("h1\n", hostname.Text);
        Assert.Equal(3, failing.ExitCode);
        Assert.Equal("out\n", failing.Text);
        Assert.Equal("err\n", failing.StandardError);
        var error = await Assert.ThrowsAsync<RemoteCommandFailedException>(
            () => h1.RunAsync(RemoteCommand.Create("zfs", "list", _lab.Pool + "/mt-no-such-dataset")));
        Assert.Equal(1, error.ExitCode);
        Assert.Equal("h1", error.Host);
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    [LabFact]
    public async Task HostileArgumentsReachTheRemoteCommandLiterally()
    {
        var canary = "/tmp/mt-pwned-" + Guid.NewGuid().ToString("N");
        string[] words =
        [
            $"$(touch {canary})", $"`touch {canary}`", $"; touch {canary}", $"| touch {canary}", $"&& touch {canary}",
            "it's", "\"double\"", "a b", "", "-n", "*", "~", "$HOME", "line\nbreak", "back\\slash", "h\u00e9llo \u2713",
        ];
        var h1 = Connect("h1");

        var result = await h1.RunAsync(RemoteCommand.Create(["printf", "%s\\0", .. words]));
        var echo = await h1.RunAsync(RemoteCommand.Create("echo", $"$(touch {canary})"));

        Assert.Equal(string.Concat(words.Select(w => w + "\0")), result.Text);
        Assert.Equal($"$(touch {canary})\n", echo.Text);
        Assert.Equal(1, (await _lab.SshAsync("h1", $"test -e {canary}")).ExitCode);
    }

    [LabFact]
    public async Task StandardInputReachesTheRemoteCommand()
    {
        var h1 = Connect("h1");
        var data = Encoding.UTF8.GetBytes("line one\n$(id) `id`\n");

        var result = await h1.RunAsync(RemoteCommand.Create("cat"), new MemoryStream(data));

        Assert.Equal(data, result.StandardOutput);
        Assert.Equal("", result.StandardError);
    }

    [LabFact]
    public async Task CommandsShareOnePrivateMasterConnection()
    {
        var h1 = Connect("h1");
        await h1.OpenAsync();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_controlDirectory));
        var socket = Assert.Single(Directory.GetFileSystemEntries(_controlDirectory));
        Assert.StartsWith(_controlDirectory + "/", h1.ControlPath, StringComparison.Ordinal);
        var master = await MasterPidAsync(h1);

        for (var i = 0; i < 10; i++)
        {
            var result = await h1.RunAsync(RemoteCommand.Create("echo", i.ToString(CultureInfo.InvariantCulture)));
            Assert.Equal($"{i}\n", result.Text);
        }

        Assert.Equal(master, await MasterPidAsync(h1));
        Assert.Equal([socket], Directory.GetFileSystemEntries(_controlDirectory));
    }

    [LabFact]
    public async Task DisposingClosesTheMasterConnection()
    {
        var h1 = new SshConnection(SshDestination.Parse("h1"), Options());
        await h1.OpenAsync();
        var controlPath = h1.ControlPath!;
        await MasterPidAsync(h1);

        h1.Dispose();

        var check = await Shell.RunAsync(
            "ssh", ["-F", _lab.SshConfigPath, "-o", "ControlPath=" + controlPath, "-O", "check", "h1"], TimeSpan.FromSeconds(30));
        Assert.NotEqual(0, check.ExitCode);
        Assert.Empty(Directory.GetFileSystemEntries(_controlDirectory));
    }

    [LabFact]
    public async Task AnUnknownHostKeyIsRefusedWithoutConnecting()
    {
        // A working master to the same host shares the control directory, yet must not be borrowed.
        await Connect("h1").OpenAsync();
        var emptyKnownHosts = Path.Combine(_scratch, "known_hosts");
        await File.WriteAllTextAsync(emptyKnownHosts, "");
        var canary = "/tmp/mt-unknown-key-" + Guid.NewGuid().ToString("N");
        var h1 = Connect("h1", Options() with { KnownHostsFile = emptyKnownHosts });

        var error = await Assert.ThrowsAsync<HostKeyUnknownException>(() => h1.RunAsync(RemoteCommand.Create("touch", canary)));

        Assert.Equal("h1", error.Host);
        Assert.Contains("Host key verification failed", error.StandardError, StringComparison.Ordinal);
        Assert.Contains("ssh-keyscan -H h1", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, (await _lab.SshAsync("h1", $"test -e {canary}")).ExitCode);
        Reliability.ReliabilityLog.Record(Reliability.ReliabilityLog.Kind.BadInput, "Unknown host key",
            "refused before any command runs, naming ssh-keyscan as the fix", $"{error.GetType().Name}; the command did not run");
    }

    [LabFact]
    public async Task AChangedHostKeyIsRefusedWithoutConnecting()
    {
        var otherKey = Path.Combine(_scratch, "other");
        (await Shell.RunAsync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", otherKey], TimeSpan.FromSeconds(30))).EnsureSuccess();
        var publicKey = string.Join(' ', (await File.ReadAllTextAsync(otherKey + ".pub")).Split(' ').Take(2));
        var knownHosts = Path.Combine(_scratch, "known_hosts");
        var h1Address = _lab.Hosts.Single(h => h.Name == "h1").Address;
        await File.WriteAllTextAsync(knownHosts, $"h1,{h1Address} {publicKey}\n");
        var canary = "/tmp/mt-changed-key-" + Guid.NewGuid().ToString("N");
        var h1 = Connect("h1", Options() with { KnownHostsFile = knownHosts });

        var error = await Assert.ThrowsAsync<HostKeyChangedException>(() => h1.RunAsync(RemoteCommand.Create("touch", canary)));

        Assert.Contains("REMOTE HOST IDENTIFICATION HAS CHANGED", error.StandardError, StringComparison.Ordinal);
        Assert.Equal(1, (await _lab.SshAsync("h1", $"test -e {canary}")).ExitCode);
        Reliability.ReliabilityLog.Record(Reliability.ReliabilityLog.Kind.BadInput, "Changed host key",
            "refused, never connected", $"{error.GetType().Name}; the command did not run");
    }

    [LabFact]
    public async Task AKeyTheHostDoesNotKnowIsRefusedAsAFailedLogin()
    {
        var strangerKey = Path.Combine(_scratch, "stranger");
        (await Shell.RunAsync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", strangerKey], TimeSpan.FromSeconds(30))).EnsureSuccess();
        // The lab's own way in (its ProxyCommand into h1's namespaces), with the lab's identity swapped for the stranger's.
        var strangerConfig = Path.Combine(_scratch, "stranger_config");
        var labIdentity = "IdentityFile " + _lab.IdentityFile;
        var labConfig = await File.ReadAllTextAsync(_lab.SshConfigPath);
        Assert.Contains(labIdentity, labConfig, StringComparison.Ordinal);
        await File.WriteAllTextAsync(strangerConfig, labConfig.Replace(labIdentity, "IdentityFile " + strangerKey, StringComparison.Ordinal));
        var stranger = Connect("h1", new SshOptions
        {
            ConfigFile = strangerConfig,
            ControlDirectory = _controlDirectory,
        });

        var error = await Assert.ThrowsAsync<AuthenticationFailedException>(() => stranger.OpenAsync());

        Assert.Contains("Permission denied", error.StandardError, StringComparison.Ordinal);
        Reliability.ReliabilityLog.Record(Reliability.ReliabilityLog.Kind.BadInput, "Wrong key",
            "a failed login, typed as such", error.GetType().Name);
    }

    [LabFact]
    public async Task NothingListeningIsAConnectionRefused()
    {
        var nowhere = Connect("root@127.0.0.99", new SshOptions { KnownHostsFile = _lab.KnownHostsPath, ControlDirectory = _controlDirectory });

        var error = await Assert.ThrowsAsync<ConnectionFailedException>(() => nowhere.RunAsync(RemoteCommand.Create("true")));

        Assert.Equal(ConnectionFailure.Refused, error.Reason);
        Assert.Equal("root@127.0.0.99", error.Host);
        Reliability.ReliabilityLog.Record(Reliability.ReliabilityLog.Kind.BadInput, "Refused connection",
            "a connection failure naming the host and the reason", $"{error.GetType().Name}, reason {error.Reason}");
    }

    [LabFact]
    public async Task AnUnknownHostNameIsANameResolutionFailure()
    {
        var nowhere = Connect("root@no-such-host.invalid", new SshOptions { KnownHostsFile = _lab.KnownHostsPath, ControlDirectory = _controlDirectory });

        var error = await Assert.ThrowsAsync<ConnectionFailedException>(() => nowhere.RunAsync(RemoteCommand.Create("true")));

        Assert.Equal(ConnectionFailure.NameResolution, error.Reason);
        Assert.Contains("no-such-host.invalid", error.Message, StringComparison.Ordinal);
        Reliability.ReliabilityLog.Record(Reliability.ReliabilityLog.Kind.BadInput, "Unknown host",
            "a connection failure saying the name does not resolve", $"{error.GetType().Name}, reason {error.Reason}");
    }

    [LabFact]
    public async Task SudoAskingForAPasswordIsTyped()
    {
        var h1 = Connect("h1");

        await Assert.ThrowsAsync<SudoPasswordRequiredException>(
            () => h1.ExecuteAsync(RemoteCommand.Create("sudo", "-u", "nobody", "sudo", "-n", "true")));
    }

    [LabFact]
    public async Task SudoIsSkippedForRoot()
    {
        var h1 = Connect("h1", Options() with { UseSudo = true });

        var result = await h1.RunAsync(RemoteCommand.Create("id", "-u"));

        Assert.Equal("0\n", result.Text);
        Assert.False(h1.UsesSudo);
    }

    [LabFact]
    public async Task CancellingEndsTheRemoteCommand()
    {
        var sleep = UniqueSleep();
        var h1 = Connect("h1");
        await h1.OpenAsync();
        using var cancel = new CancellationTokenSource();
        var run = h1.ExecuteAsync(RemoteCommand.Create("sleep", sleep), cancel.Token);
        Assert.True(await WaitForRemoteSleepsAsync("h1", sleep, expected: 1, TimeSpan.FromSeconds(15)), "the remote sleep never started");

        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.True(await WaitForRemoteSleepsAsync("h1", sleep, expected: 0, Gone), $"'sleep {sleep}' still runs on h1 after cancellation");
    }

    [LabFact]
    public async Task CancellingEndsARemoteCommandThatReadsInput()
    {
        // The command is not reading yet, so end-of-file alone would not stop it.
        var sleep = UniqueSleep();
        var h1 = Connect("h1");
        using var cancel = new CancellationTokenSource();
        using var sink = await h1.StartSinkAsync(RemoteCommand.Create("sh", "-c", "sleep \"$1\"; cat >/dev/null", "sh", sleep), cancel.Token);
        Assert.True(await WaitForRemoteSleepsAsync("h1", sleep, expected: 1, TimeSpan.FromSeconds(15)), "the remote sleep never started");

        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sink.CompleteAsync());
        Assert.True(await WaitForRemoteSleepsAsync("h1", sleep, expected: 0, Gone), $"'sleep {sleep}' still runs on h1 after cancellation");
    }

    [LabFact]
    public async Task DisposingARunningSourceEndsTheRemoteCommand()
    {
        var sleep = UniqueSleep();
        var h1 = Connect("h1");
        var source = await h1.StartSourceAsync(RemoteCommand.Create("sleep", sleep));
        Assert.True(await WaitForRemoteSleepsAsync("h1", sleep, expected: 1, TimeSpan.FromSeconds(15)), "the remote sleep never started");

        source.Dispose();

        Assert.True(await WaitForRemoteSleepsAsync("h1", sleep, expected: 0, Gone), $"'sleep {sleep}' still runs on h1 after dispose");
    }

    [LabFact]
    public async Task RelaysTwoHundredMebibytesFromH1ToH2Intact()
    {
        const long Size = 200L * 1024 * 1024;
        var file = "/tmp/mt-relay-" + Guid.NewGuid().ToString("N");
        var h1 = Connect("h1");
        var h2 = Connect("h2");
        try
        {
            var sourceSum = await h1.RunAsync(RemoteCommand.Create(
                "sh", "-c", "head -c \"$2\" /dev/urandom > \"$1\" && sha256sum < \"$1\"", "sh", file, Size.ToString(CultureInfo.InvariantCulture)));

            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            using var source = await h1.StartSourceAsync(RemoteCommand.Create("cat", file), timeout.Token);
            using var sink = await h2.StartSinkAsync(RemoteCommand.Create("sha256sum"), timeout.Token);
            var counted = new CountingStream(sink.Input);
            await source.Output.CopyToAsync(counted, 1024 * 1024, timeout.Token);
            var targetSum = await sink.CompleteAsync(timeout.Token);
            await source.CompleteAsync(timeout.Token);

            Assert.Equal(Size, counted.Written);
            Assert.Equal(sourceSum.Text, targetSum.Text);
        }
        finally
        {
            await _lab.SshAsync("h1", "rm -f " + file);
        }
    }

    private SshOptions Options() => new()
    {
        ConfigFile = _lab.SshConfigPath,
        ControlDirectory = _controlDirectory,
    };

    private SshConnection Connect(string destination, SshOptions? options = null)
    {
        var connection = new SshConnection(SshDestination.Parse(destination), options ?? Options());
        _connections.Add(connection);
        return connection;
    }

    /// <summary>The master's pid as <c>ssh -O check</c> reports it ("Master running (pid=N)").</summary>
    private async Task<string> MasterPidAsync(SshConnection connection)
    {
        var check = await Shell.RunAsync(
            "ssh", ["-F", _lab.SshConfigPath, "-o", "ControlPath=" + connection.ControlPath, "-O", "check", "h1"], TimeSpan.FromSeconds(30));
        check.EnsureSuccess();
        Assert.StartsWith("Master running (pid=", check.StandardError, StringComparison.Ordinal);
        return check.StandardError.Trim();
    }

    /// <summary>Waits until exactly <paramref name="expected"/> <c>sleep DURATION</c> processes run on the host.</summary>
    private async Task<bool> WaitForRemoteSleepsAsync(string host, string duration, int expected, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var ps = (await _lab.SshAsync(host, "ps -eo args=")).EnsureSuccess();
            var count = ps.Text.Split('\n').Count(line => line.Trim() == "sleep " + duration);
            if (count == expected)
            {
                return true;
            }

            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(200);
        }
    }

    private static string UniqueSleep() => "300." + Random.Shared.Next(100000, 999999).ToString(CultureInfo.InvariantCulture);

    private sealed class CountingStream(Stream inner) : Stream
    {
        public long Written { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => Written;

        public override long Position { get => Written; set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            inner.Write(buffer, offset, count);
            Written += count;
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await inner.WriteAsync(buffer, cancellationToken);
            Written += buffer.Length;
        }
    }
}
