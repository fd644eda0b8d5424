using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Transfer;

namespace MigrationTools.Engine.Tests.Transfer;

public class PortForwardingTests
{
    private const string Socket = "/tmp/mt-ssh-0/pf-m-0123456789ab-a1b2c3.sock";

    private static readonly SshDestination H1 = SshDestination.Parse("h1");

    [Fact]
    public void TheForwardToAHostLeadsTheControllersSocketToItsLoopbackPort()
    {
        Assert.Equal(["-L", Socket + ":127.0.0.1:40123"], PortForwarding.ToHost(Socket, 40123));
    }

    [Fact]
    public void TheForwardFromAHostListensOnItsLoopbackOnAPortItsSshdChooses()
    {
        Assert.Equal(["-R", "127.0.0.1:0:" + Socket], PortForwarding.FromHost(Socket));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(65536)]
    public void APortOutsideOneTo65535IsRefused(int port)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PortForwarding.ToHost(Socket, port));
        Assert.Throws<ArgumentOutOfRangeException>(() => PortForwarding.ListenersCommand(port));
        Assert.Throws<ArgumentOutOfRangeException>(() => PortForwarding.Port(port, "A port"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(65535)]
    public void APortFromOneTo65535IsTaken(int port) => Assert.Equal(port, PortForwarding.Port(port, "A port"));

    [Fact]
    public void TheSocketLiesInTheControlDirectoryNamedAfterTheRelay()
    {
        Assert.Equal(Socket, PortForwarding.SocketPath("/tmp/mt-ssh-0/", "m-0123456789ab-a1b2c3"));
    }

    [Theory]
    [InlineData("tmp/mt-ssh", "m-1")]
    [InlineData("/tmp/mt:ssh", "m-1")]
    [InlineData("/tmp/mt ssh", "m-1")]
    [InlineData("/tmp/mt-ssh", "M-1")]
    [InlineData("/tmp/mt-ssh", "m_1")]
    [InlineData("/tmp/mt-ssh", "../x")]
    [InlineData("/tmp/mt-ssh", "")]
    public void ASocketPathSshsForwardSyntaxCannotCarryIsRefused(string directory, string name)
    {
        Assert.Throws<ArgumentException>(() => PortForwarding.SocketPath(directory, name));
    }

    [Fact]
    public void ASocketPathLongerThanAUnixSocketMayBeIsRefused()
    {
        var directory = "/" + new string('d', 90);

        var error = Assert.Throws<ArgumentException>(() => PortForwarding.SocketPath(directory, "m-0123456789ab-a1b2c3"));
        Assert.Contains("longer than a Unix socket path", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("relative.sock")]
    [InlineData("/tmp/x:y.sock")]
    [InlineData("/tmp/x.socket")]
    [InlineData("/tmp/x y.sock")]
    public void AForwardToAnythingButASocketPathIsRefused(string socket)
    {
        Assert.Throws<ArgumentException>(() => PortForwarding.ToHost(socket, 1));
        Assert.Throws<ArgumentException>(() => PortForwarding.FromHost(socket));
    }

    [Fact]
    public void ThePortTheHostAllocatedIsReadFromSshsLogForThisSocketOnly()
    {
        var log = "Warning: something\r\nAllocated port 4000 for remote forward to /tmp/other.sock:-2\r\n" +
                  $"Allocated port 45559 for remote forward to {Socket}:-2\r\n";

        Assert.Equal(45559, PortForwarding.AllocatedPort(log, Socket));
        Assert.Null(PortForwarding.AllocatedPort("Allocated port 4000 for remote forward to /tmp/other.sock:-2\n", Socket));
        Assert.Null(PortForwarding.AllocatedPort("", Socket));
    }

    [Fact]
    public void AnAllocatedPortThatIsNoTcpPortIsRefused()
    {
        Assert.Throws<FormatException>(() => PortForwarding.AllocatedPort($"Allocated port 70000 for remote forward to {Socket}:-2\n", Socket));
        Assert.Throws<FormatException>(() => PortForwarding.AllocatedPort($"Allocated port 0 for remote forward to {Socket}:-2\n", Socket));
    }

    [Fact]
    public void TheListenersCheckAsksSsForTheOnePort()
    {
        Assert.Equal("'ss' '-Hltn' 'sport' '=' ':45559'", PortForwarding.ListenersCommand(45559).CommandLine);
    }

    [Fact]
    public void ListenersOnLoopbackAddressesPassAndAnyOtherIsNamed()
    {
        const string loopback = "LISTEN 0      128        127.0.0.1:45559      0.0.0.0:*\nLISTEN 0 128 [::1]:45559 [::]:*\n";
        const string gatewayPorts = "LISTEN 0 128 0.0.0.0:45559 0.0.0.0:*\nLISTEN 0 128 [::]:45559 [::]:*\nLISTEN 0 128 127.0.0.1:45559 0.0.0.0:*\n";

        Assert.Empty(PortForwarding.NonLoopbackListeners(loopback));
        Assert.Empty(PortForwarding.NonLoopbackListeners(""));
        Assert.Equal(["0.0.0.0:45559", "[::]:45559"], PortForwarding.NonLoopbackListeners(gatewayPorts));
    }

    [Fact]
    public void AForwardingSshIsStrictNeverJoinsASharedConnectionAndEndsWhenAForwardFails()
    {
        var settings = new SshSettings("/tmp/mt-ssh-0/abcd1234-%C", "aes128-gcm@openssh.com", TimeSpan.FromSeconds(7), null, Elevate: false);
        var options = new SshOptions { ConfigFile = "/etc/mt/ssh_config", KnownHostsFile = "/etc/mt/known_hosts" };

        var argv = SshArguments.ForForwarding(H1, options, settings, PortForwarding.FromHost(Socket), "'cat'");

        Assert.Equal(["-F", "/etc/mt/ssh_config"], argv.Take(2));
        foreach (var option in new[]
        {
            "BatchMode=yes", "StrictHostKeyChecking=yes", "UserKnownHostsFile=/etc/mt/known_hosts", "ControlMaster=no", "ControlPath=none",
            "ExitOnForwardFailure=yes", "StreamLocalBindUnlink=yes", "LogLevel=INFO", "ConnectTimeout=7",
        })
        {
            Assert.Contains(option, argv);
            Assert.Equal("-o", argv[argv.ToList().IndexOf(option) - 1]);
        }

        Assert.DoesNotContain(argv, a => a.StartsWith("ControlPath=/", StringComparison.Ordinal) || a == "ControlMaster=auto");
        Assert.DoesNotContain("-N", argv);
        Assert.Equal("aes128-gcm@openssh.com", argv[argv.ToList().IndexOf("-c") + 1]);
        Assert.Equal("127.0.0.1:0:" + Socket, argv[argv.ToList().IndexOf("-R") + 1]);
        Assert.Equal(["-T", "-e", "none", "--", "h1", "'cat'"], argv.TakeLast(6));
    }

    [Fact]
    public async Task TheForwardingArgumentsAreAcceptedBySsh()
    {
        // ssh -G parses every option and forward without connecting: a spelling ssh does not know fails here.
        var argv = SshArguments.ForForwarding(H1, SshOptions.Default, new SshSettings(null, null, null, null, false),
            PortForwarding.ToHost(Socket, 40123).Concat(PortForwarding.FromHost(Socket)).ToArray(), "'cat'").ToList();
        argv.Insert(argv.IndexOf("--"), "-G");

        var result = await ProcessRunner.RunAsync(new LocalCommand("ssh", argv));

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Contains("exitonforwardfailure yes", result.OutputText, StringComparison.Ordinal);
        Assert.Contains($"localforward {Socket} [127.0.0.1]:40123", result.OutputText, StringComparison.Ordinal);
        Assert.Contains($"remoteforward [127.0.0.1]:0 {Socket}", result.OutputText, StringComparison.Ordinal);
    }
}
