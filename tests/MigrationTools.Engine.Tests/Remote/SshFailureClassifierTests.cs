using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Tests.Remote;

/// <summary>Classification of failures on stderr recorded from OpenSSH 9.2 and sudo 1.9.</summary>
public class SshFailureClassifierTests
{
    private const string UnknownKey =
        "No ED25519 host key is known for 127.0.0.11 and you have requested strict checking.\n" +
        "Host key verification failed.\n";

    private const string ChangedKey =
        "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n" +
        "@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\n" +
        "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n" +
        "IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!\n" +
        "Someone could be eavesdropping on you right now (man-in-the-middle attack)!\n" +
        "It is also possible that a host key has just been changed.\n" +
        "The fingerprint for the ED25519 key sent by the remote host is\n" +
        "SHA256:MW6UdIYxS8tuwssoUc//EIFRi4jl8LtfPgbO+iLtu7g.\n" +
        "Please contact your system administrator.\n" +
        "Add correct host key in /tmp/rec/changed_kh to get rid of this message.\n" +
        "Offending ED25519 key in /tmp/rec/changed_kh:1\n" +
        "  remove with:\n" +
        "  ssh-keygen -f \"/tmp/rec/changed_kh\" -R \"127.0.0.11\"\n" +
        "Host key for 127.0.0.11 has changed and you have requested strict checking.\n" +
        "Host key verification failed.\n";

    private const string Denied = "root@127.0.0.11: Permission denied (publickey).\n";
    private const string Refused = "ssh: connect to host 127.0.0.99 port 22: Connection refused\n";
    private const string NoName = "ssh: Could not resolve hostname no-such-host.invalid: Name or service not known\n";
    private const string TimedOut = "ssh: connect to host 10.255.255.1 port 22: Connection timed out\n";
    private const string NoRoute = "ssh: connect to host 10.1.2.3 port 22: No route to host\n";
    private const string Closed = "kex_exchange_identification: Connection closed by remote host\nConnection closed by 127.0.0.11 port 22\n";
    private const string SudoPassword = "sudo: a password is required\n";

    [Fact]
    public void SuccessIsNoFailure()
    {
        Assert.Null(SshFailureClassifier.Classify("h1", "true", 0, ""));
        Assert.Null(SshFailureClassifier.Classify("h1", "true", 0, "some warning\n"));
    }

    [Fact]
    public void UnknownHostKey()
    {
        var failure = Assert.IsType<HostKeyUnknownException>(SshFailureClassifier.Classify("h1", "zfs list", 255, UnknownKey));

        Assert.Equal("h1", failure.Host);
        Assert.Equal("zfs list", failure.Command);
        Assert.Equal(UnknownKey, failure.StandardError);
        Assert.Contains("ssh-keyscan -H h1 >> ~/.ssh/known_hosts", failure.Message, StringComparison.Ordinal);
        Assert.Contains("fingerprint", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Never turn host-key checking off", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ChangedHostKeyWinsOverVerificationFailed()
    {
        var failure = Assert.IsType<HostKeyChangedException>(SshFailureClassifier.Classify("h1", "true", 255, ChangedKey));

        Assert.Contains("CHANGED", failure.Message, StringComparison.Ordinal);
        Assert.Contains("ssh-keygen -R h1", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AuthenticationFailed()
    {
        var failure = Assert.IsType<AuthenticationFailedException>(SshFailureClassifier.Classify("root@h1", "true", 255, Denied));

        Assert.Contains("authorized_keys", failure.Message, StringComparison.Ordinal);
        Assert.Contains("root@h1", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Refused, ConnectionFailure.Refused, "sshd")]
    [InlineData(NoName, ConnectionFailure.NameResolution, "does not resolve")]
    [InlineData(TimedOut, ConnectionFailure.TimedOut, "ConnectTimeout")]
    [InlineData(NoRoute, ConnectionFailure.Unreachable, "no route")]
    [InlineData(Closed, ConnectionFailure.Closed, "handshake")]
    public void ConnectionFailures(string standardError, ConnectionFailure reason, string advice)
    {
        var failure = Assert.IsType<ConnectionFailedException>(SshFailureClassifier.Classify("h9", null, 255, standardError));

        Assert.Equal(reason, failure.Reason);
        Assert.Contains("h9", failure.Message, StringComparison.Ordinal);
        Assert.Contains(advice, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SudoPasswordRequired()
    {
        var failure = Assert.IsType<SudoPasswordRequiredException>(SshFailureClassifier.Classify("deploy@h1", "zfs list", 1, SudoPassword));

        Assert.Contains("NOPASSWD", failure.Message, StringComparison.Ordinal);
        Assert.True(SshFailureClassifier.IsConnectionLevel(failure));
    }

    [Fact]
    public void CommandFailureKeepsExitCodeAndStandardError()
    {
        var failure = Assert.IsType<RemoteCommandFailedException>(
            SshFailureClassifier.Classify("h1", "'zfs' 'list' 'tank/x'", 1, "cannot open 'tank/x': dataset does not exist\n"));

        Assert.Equal(1, failure.ExitCode);
        Assert.Contains("dataset does not exist", failure.Message, StringComparison.Ordinal);
        Assert.Contains("exit status 1", failure.Message, StringComparison.Ordinal);
        Assert.False(SshFailureClassifier.IsConnectionLevel(failure));
    }

    [Fact]
    public void ACommandExiting255WithoutSshMessagesIsTheCommandsFailure()
    {
        var failure = SshFailureClassifier.Classify("h1", "sh -c 'exit 255'", 255, "");

        Assert.IsType<RemoteCommandFailedException>(failure);
    }

    [Fact]
    public void ACommandsOwnPermissionDeniedIsNotALoginFailure()
    {
        var failure = SshFailureClassifier.Classify("h1", "cat /root/x", 1, "cat: /root/x: Permission denied\n");

        Assert.IsType<RemoteCommandFailedException>(failure);
    }

    [Fact]
    public void CommandFailureMessageHasNoRawControlCharacters()
    {
        var failure = SshFailureClassifier.Classify("h1", "x", 2, "bad\u001b[31m thing\r\n");

        Assert.DoesNotContain("\u001b", failure!.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\r", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryTypedFailureIsARemoteException()
    {
        foreach (var (code, text) in new[] { (255, UnknownKey), (255, ChangedKey), (255, Denied), (255, Refused), (1, SudoPassword), (3, "x") })
        {
            Assert.IsAssignableFrom<RemoteException>(SshFailureClassifier.Classify("h", "c", code, text));
        }
    }
}
