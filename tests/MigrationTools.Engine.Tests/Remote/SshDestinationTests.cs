using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Tests.Remote;

public class SshDestinationTests
{
    public static TheoryData<string, string?, string, int?> Valid => new()
    {
        { "h1", null, "h1", null },
        { "server1.example.com", null, "server1.example.com", null },
        { "root@h1", "root", "h1", null },
        { "deploy@10.0.0.5:2222", "deploy", "10.0.0.5", 2222 },
        { "h1:22", null, "h1", 22 },
        { "[::1]:22", null, "::1", 22 },
        { "admin@[2001:db8::1]:65535", "admin", "2001:db8::1", 65535 },
        { "[::1]", null, "::1", null },
        { "2001:db8::2", null, "2001:db8::2", null },
        { "my_alias", null, "my_alias", null },
        { "a.b-c_d@x-1.y", "a.b-c_d", "x-1.y", null },
    };

    public static TheoryData<string, string> Invalid => new()
    {
        { "", "empty" },
        { "-oProxyCommand=touch /tmp/pwned", "starts with '-'" },
        { "root@-oProxyCommand=x", "starts with '-'" },
        { "-root@h1", "starts with '-'" },
        { "h1 -p 2", "a space" },
        { "h 1", "a space" },
        { "h1\nh2", "a line break" },
        { "h1\t", "a tab" },
        { "h1;reboot", "';'" },
        { "h1|x", "'|'" },
        { "h1&", "'&'" },
        { "$(id)", "'$'" },
        { "`id`", "'`'" },
        { "h1'", "'''" },
        { "h1\"", "'\"'" },
        { "h1>x", "'>'" },
        { "h*", "'*'" },
        { "h%h", "'%'" },
        { "ro ot@h1", "a space" },
        { "root$@h1", "'$'" },
        { "a@b@c", "more than one '@'" },
        { "@h1", "user name before '@' is empty" },
        { "h1:", "port after ':' is empty" },
        { "h1:0", "out of range" },
        { "h1:65536", "out of range" },
        { "h1:99999999999", "out of range" },
        { "h1:-1", "not a number" },
        { "h1:22a", "not a number" },
        { "h1:+22", "not a number" },
        { "[::1", "without closing" },
        { "[h1]:22", "not an IPv6 address" },
        { "[::1]x", "not ':port'" },
        { "[fe80::1%eth0]:22", "not an IPv6 address" },
        { "1:2:zz", "not an IPv6 address" },
        { ".h1", "empty label" },
        { "h1..x", "empty label" },
        { "h\u0000", "U+0000" },
        { "h\u001b[31m", "U+001B" },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void ParsesValidDestinations(string text, string? user, string host, int? port)
    {
        var destination = SshDestination.Parse(text);

        Assert.Equal(user, destination.User);
        Assert.Equal(host, destination.Host);
        Assert.Equal(port, destination.Port);
        Assert.True(SshDestination.TryParse(text, out var again));
        Assert.Equal(destination, again);
    }

    [Theory]
    [MemberData(nameof(Valid))]
    public void ToStringParsesBackToTheSameDestination(string text, string? user, string host, int? port)
    {
        _ = (user, host, port);
        var destination = SshDestination.Parse(text);

        Assert.Equal(destination, SshDestination.Parse(destination.ToString()));
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public void RefusesHostileOrMalformedDestinationsNamingTheFault(string text, string fault)
    {
        var error = Assert.Throws<ArgumentException>(() => SshDestination.Parse(text));

        Assert.Contains(fault, error.Message, StringComparison.Ordinal);
        Assert.False(SshDestination.TryParse(text, out var none));
        Assert.Null(none);
    }

    [Fact]
    public void MessagesSayHowToFixTheDestination()
    {
        var error = Assert.Throws<ArgumentException>(() => SshDestination.Parse("h1;reboot"));

        Assert.Contains("use only letters, digits", error.Message, StringComparison.Ordinal);
        Assert.Equal("value", error.ParamName);
    }

    [Fact]
    public void MessagesShowControlCharactersEscaped()
    {
        var error = Assert.Throws<ArgumentException>(() => SshDestination.Parse("h1\nFAKE LINE"));

        Assert.DoesNotContain("\n", error.Message, StringComparison.Ordinal);
        Assert.Contains("\\u000a", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RefusesVeryLongHostNames()
    {
        var error = Assert.Throws<ArgumentException>(() => SshDestination.Parse(new string('a', 254)));

        Assert.Contains("longer than 253", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConstructorValidatesEachPart()
    {
        Assert.Throws<ArgumentException>(() => new SshDestination("-x"));
        Assert.Throws<ArgumentException>(() => new SshDestination("h1", "bad user"));
        Assert.Throws<ArgumentException>(() => new SshDestination("h1", "root", 0));
        Assert.Throws<ArgumentNullException>(() => new SshDestination(null!));
        Assert.Equal("root@[::1]:2222", new SshDestination("::1", "root", 2222).ToString());
    }

    [Fact]
    public void TryParseOfNullIsFalse()
    {
        Assert.False(SshDestination.TryParse(null, out var none));
        Assert.Null(none);
        Assert.Throws<ArgumentNullException>(() => SshDestination.Parse(null!));
    }
}
