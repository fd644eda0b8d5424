using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Tests.Remote;

public class SshArgumentsTests
{
    private static readonly SshSettings Plain = new(null, null, null, null, Elevate: false);

    private static readonly SshDestination H1 = SshDestination.Parse("h1");

    [Fact]
    public void AlwaysAsksForBatchModeAndStrictHostKeys()
    {
        var argv = SshArguments.ForCommand(H1, SshOptions.Default, Plain, "'true'");

        AssertOption(argv, "BatchMode=yes");
        AssertOption(argv, "StrictHostKeyChecking=yes");
        Assert.DoesNotContain(argv, a => a.Contains("StrictHostKeyChecking=no", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(argv, a => a.Contains("accept-new", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void EndsWithDoubleDashDestinationAndTheCommandLineAsOneWord()
    {
        var argv = SshArguments.ForCommand(H1, SshOptions.Default, Plain, "'echo' 'a b'");

        Assert.Equal(["--", "h1", "'echo' 'a b'"], argv.TakeLast(3));
        Assert.Contains("-T", argv);
        Assert.Equal("none", argv[argv.ToList().IndexOf("-e") + 1]);
    }

    [Fact]
    public void LeavesEverythingElseToSshConfigByDefault()
    {
        var argv = SshArguments.ForCommand(H1, SshOptions.Default, Plain, "'true'");

        Assert.Equal(
            ["-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes", "-T", "-e", "none", "--", "h1", "'true'"],
            argv);
    }

    [Fact]
    public void PassesEveryOptionGiven()
    {
        var options = new SshOptions
        {
            ConfigFile = "/etc/mt/ssh_config",
            IdentityFile = "/home/me/.ssh/id_mt",
            KnownHostsFile = "/etc/mt/known_hosts",
            User = "ignored-when-destination-has-one",
        };
        var settings = new SshSettings("/tmp/mt-ssh-0/abcd1234-%C", "aes128-gcm@openssh.com", TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(20), Elevate: false);
        var destination = SshDestination.Parse("deploy@[2001:db8::1]:2222");

        var argv = SshArguments.ForCommand(destination, options, settings, "'true'");

        Assert.Equal(
            [
                "-F", "/etc/mt/ssh_config",
                "-i", "/home/me/.ssh/id_mt", "-o", "IdentitiesOnly=yes",
                "-o", "UserKnownHostsFile=/etc/mt/known_hosts",
                "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes",
                "-l", "deploy", "-p", "2222",
                "-o", "ConnectTimeout=7",
                "-o", "ServerAliveInterval=20", "-o", "ServerAliveCountMax=3",
                "-c", "aes128-gcm@openssh.com",
                "-o", "ControlMaster=auto", "-o", "ControlPath=/tmp/mt-ssh-0/abcd1234-%C", "-o", "ControlPersist=60s",
                "-T", "-e", "none", "--", "2001:db8::1", "'true'",
            ],
            argv);
    }

    [Fact]
    public void OptionsUserAppliesWhenTheDestinationNamesNone()
    {
        var argv = SshArguments.ForCommand(H1, new SshOptions { User = "backup" }, Plain, "'true'");

        Assert.Equal("backup", argv[argv.ToList().IndexOf("-l") + 1]);
    }

    [Fact]
    public void ControlRequestsUseTheSameConnectionOptions()
    {
        var settings = Plain with { ControlPath = "/tmp/mt-ssh-0/x-%C" };

        var argv = SshArguments.ForControl(H1, SshOptions.Default, settings, "check");

        Assert.Equal(["-O", "check", "--", "h1"], argv.TakeLast(4));
        AssertOption(argv, "ControlPath=/tmp/mt-ssh-0/x-%C");
        AssertOption(argv, "StrictHostKeyChecking=yes");
    }

    [Fact]
    public void ConfigQueryReadsTheUsersConfigOrNone()
    {
        var options = new SshOptions { ConfigFile = "/etc/mt/ssh_config" };

        var effective = SshArguments.ForConfigQuery(SshDestination.Parse("root@h1:2200"), options, builtInDefaults: false);
        var defaults = SshArguments.ForConfigQuery(SshDestination.Parse("root@h1:2200"), options, builtInDefaults: true);

        Assert.Equal(["-F", "/etc/mt/ssh_config", "-l", "root", "-p", "2200", "-o", "BatchMode=yes", "-T", "-G", "--", "h1"], effective);
        Assert.Equal(["-F", "/dev/null", "-l", "root", "-p", "2200", "-o", "BatchMode=yes", "-T", "-G", "--", "h1"], defaults);
    }

    [Fact]
    public void RemoteCommandLineIsTheWrapperAroundTheQuotedWords()
    {
        var line = RemoteWrapper.CommandLine(RemoteCommand.Create("echo", "$(touch /tmp/pwned)", "it's"), readsInput: false, elevate: false);

        Assert.StartsWith("'sh' '-c' ", line, StringComparison.Ordinal);
        Assert.EndsWith(" 'mt-remote' 'echo' '$(touch /tmp/pwned)' 'it'\\''s'", line, StringComparison.Ordinal);
    }

    [Fact]
    public void SudoPrefixesTheWrapperNonInteractively()
    {
        var line = RemoteWrapper.CommandLine(RemoteCommand.Create("zfs", "list"), readsInput: true, elevate: true);

        Assert.StartsWith("'sudo' '-n' '--' 'sh' '-c' ", line, StringComparison.Ordinal);
        Assert.EndsWith(" 'mt-remote' 'zfs' 'list'", line, StringComparison.Ordinal);
    }

    [Fact]
    public void WrapperChoosesTheWatchdogByWhetherTheCommandReadsInput()
    {
        var output = RemoteWrapper.CommandLine(RemoteCommand.Create("true"), readsInput: false, elevate: false);
        var input = RemoteWrapper.CommandLine(RemoteCommand.Create("true"), readsInput: true, elevate: false);

        Assert.Contains(ShellQuote.Quote(RemoteWrapper.WatchInputScript), output, StringComparison.Ordinal);
        Assert.Contains(ShellQuote.Quote(RemoteWrapper.WatchOutputScript), input, StringComparison.Ordinal);
    }

    [Fact]
    public void OnlyABulkStreamWidensItsPipeFirst()
    {
        var source = RemoteWrapper.CommandLine(RemoteCommand.Create("true"), readsInput: false, elevate: false, bulk: true);
        var sink = RemoteWrapper.CommandLine(RemoteCommand.Create("true"), readsInput: true, elevate: false, bulk: true);
        var plain = RemoteWrapper.CommandLine(RemoteCommand.Create("true"), readsInput: true, elevate: false);

        Assert.Contains(ShellQuote.Quote(RemoteWrapper.WidenOutputPipe + RemoteWrapper.WatchInputScript), source, StringComparison.Ordinal);
        Assert.Contains(ShellQuote.Quote(RemoteWrapper.WidenInputPipe + RemoteWrapper.WatchOutputScript), sink, StringComparison.Ordinal);
        Assert.DoesNotContain("perl", plain, StringComparison.Ordinal);
    }

    [Fact]
    public void WrapperScriptsAreSingleLines()
    {
        // A login shell of the csh family would break a quoted newline.
        Assert.DoesNotContain('\n', RemoteWrapper.WatchInputScript);
        Assert.DoesNotContain('\n', RemoteWrapper.WatchOutputScript);
        Assert.DoesNotContain('\n', RemoteWrapper.WidenInputPipe + RemoteWrapper.WidenOutputPipe);
    }

    [Fact]
    public void HeartbeatsAreStrippedFromStandardOutput()
    {
        Assert.Equal("abc  def\n"u8.ToArray(), RemoteWrapper.StripHeartbeats("\0\0abc \0 def\n\0"u8.ToArray()));
        Assert.Equal("plain"u8.ToArray(), RemoteWrapper.StripHeartbeats("plain"u8.ToArray()));
        Assert.Empty(RemoteWrapper.StripHeartbeats([]));
    }

    private static void AssertOption(IReadOnlyList<string> argv, string option)
    {
        var index = argv.ToList().IndexOf(option);
        Assert.True(index > 0, $"'{option}' is missing from: {string.Join(' ', argv)}");
        Assert.Equal("-o", argv[index - 1]);
    }
}
