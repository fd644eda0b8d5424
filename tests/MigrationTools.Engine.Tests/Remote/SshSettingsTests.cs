using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Tests.Remote;

public class SshSettingsTests
{
    private const string DefaultCiphers = "chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr,aes128-gcm@openssh.com,aes256-gcm@openssh.com";

    private static readonly SshClientConfig Defaults = SshClientConfig.Parse(
        "user root\nciphers " + DefaultCiphers + "\nconnecttimeout none\nserveraliveinterval 300\nidentityfile ~/.ssh/id_rsa\nidentityfile ~/.ssh/id_ed25519\n");

    [Fact]
    public void ParsesSshDashGOutput()
    {
        Assert.Equal("root", Defaults.User);
        Assert.Equal("none", Defaults["ConnectTimeout"]);
        Assert.Equal("~/.ssh/id_rsa", Defaults["identityfile"]);
        Assert.Null(Defaults["nosuchkeyword"]);
    }

    [Fact]
    public void AddsTheEnginesDefaultsWhereSshConfigChoosesNothing()
    {
        var settings = SshSettings.Decide(SshOptions.Default, Defaults, Defaults, "/tmp/x-%C");

        Assert.Equal(SshOptions.DefaultBulkCipher, settings.BulkCipher);
        Assert.Equal(SshSettings.DefaultConnectTimeout, settings.ConnectTimeout);
        Assert.Equal(SshSettings.DefaultKeepAliveInterval, settings.KeepAliveInterval);
        Assert.Equal("/tmp/x-%C", settings.ControlPath);
        Assert.False(settings.Elevate);
    }

    [Fact]
    public void HonoursWhatSshConfigChooses()
    {
        var effective = SshClientConfig.Parse(
            "user root\nciphers aes256-ctr\nconnecttimeout 10\nserveraliveinterval 60\n");

        var settings = SshSettings.Decide(SshOptions.Default, effective, Defaults, null);

        Assert.Null(settings.BulkCipher);
        Assert.Null(settings.ConnectTimeout);
        Assert.Null(settings.KeepAliveInterval);
    }

    [Fact]
    public void ExplicitOptionsWinOverSshConfig()
    {
        var effective = SshClientConfig.Parse("user root\nciphers aes256-ctr\nconnecttimeout 10\nserveraliveinterval 60\n");
        var options = new SshOptions { ConnectTimeout = TimeSpan.FromSeconds(3), KeepAliveInterval = TimeSpan.FromSeconds(5) };

        var settings = SshSettings.Decide(options, effective, Defaults, null);

        Assert.Equal(TimeSpan.FromSeconds(3), settings.ConnectTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.KeepAliveInterval);
        Assert.Null(settings.BulkCipher);
    }

    [Fact]
    public void NoBulkCipherWhenTheCallerWantsNone()
    {
        var settings = SshSettings.Decide(new SshOptions { BulkCipher = null }, Defaults, Defaults, null);

        Assert.Null(settings.BulkCipher);
    }

    [Fact]
    public void SudoOnlyForANonRootRemoteUser()
    {
        var deploy = SshClientConfig.Parse("user deploy\n");
        var root = SshClientConfig.Parse("user root\n");
        var sudo = new SshOptions { UseSudo = true };

        Assert.True(SshSettings.Decide(sudo, deploy, Defaults, null).Elevate);
        Assert.False(SshSettings.Decide(sudo, root, Defaults, null).Elevate);
        Assert.False(SshSettings.Decide(SshOptions.Default, deploy, Defaults, null).Elevate);
    }

    [Theory]
    [InlineData("/path with space/id")]
    [InlineData("/path/%d/id")]
    [InlineData("/path/\"id\"")]
    [InlineData("/path/id'")]
    [InlineData("/path/\nid")]
    [InlineData("")]
    public void RefusesPathsThatSshWouldSplitOrExpand(string path)
    {
        var error = Assert.Throws<ArgumentException>(() => new SshConnection(SshDestination.Parse("h1"), new SshOptions { IdentityFile = path }));

        Assert.Equal("IdentityFile", error.ParamName);
    }

    [Fact]
    public void RefusesBadOptionValuesNamingTheOption()
    {
        var h1 = SshDestination.Parse("h1");

        Assert.Equal("BulkCipher", Assert.Throws<ArgumentException>(() => new SshConnection(h1, new SshOptions { BulkCipher = "-oProxyCommand=x" })).ParamName);
        Assert.Equal("User", Assert.Throws<ArgumentException>(() => new SshConnection(h1, new SshOptions { User = "a b" })).ParamName);
        Assert.Equal("ConnectTimeout", Assert.Throws<ArgumentException>(() => new SshConnection(h1, new SshOptions { ConnectTimeout = TimeSpan.Zero })).ParamName);
        Assert.Equal("KnownHostsFile", Assert.Throws<ArgumentException>(() => new SshConnection(h1, new SshOptions { KnownHostsFile = "/a b" })).ParamName);
        Assert.Throws<ArgumentException>(() => new SshConnection(h1, new SshOptions { ControlDirectory = "relative/dir" }));
    }
}
