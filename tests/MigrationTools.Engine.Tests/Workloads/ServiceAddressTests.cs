using System.Net;
using MigrationTools.Engine.Network;

namespace MigrationTools.Engine.Tests.Workloads;

/// <summary>Service addresses read from ADDRESS/PREFIX@INTERFACE: what is accepted, what is refused and why, and the canonical text.</summary>
public class ServiceAddressTests
{
    [Theory]
    [InlineData("10.0.0.80/24@eth0", "10.0.0.80", 24, "eth0", false)]
    [InlineData("192.168.1.5/32@br0", "192.168.1.5", 32, "br0", false)]
    [InlineData("10.0.0.0/31@eth0", "10.0.0.0", 31, "eth0", false)]
    [InlineData("10.0.0.1/31@eth0", "10.0.0.1", 31, "eth0", false)]
    [InlineData("172.16.5.4/12@bond0.100", "172.16.5.4", 12, "bond0.100", false)]
    [InlineData("10.0.91.200/24@mt_front-1", "10.0.91.200", 24, "mt_front-1", false)]
    [InlineData("fd00::80/64@br0", "fd00::80", 64, "br0", true)]
    [InlineData("2001:db8::1/128@eth0", "2001:db8::1", 128, "eth0", true)]
    [InlineData("fd00::/64@eth0", "fd00::", 64, "eth0", true)]
    public void AValidAddressIsReadPartByPart(string text, string address, int prefix, string interfaceName, bool ipv6)
    {
        Assert.True(ServiceAddress.TryParse(text, out var parsed, out var error), error);

        Assert.Null(error);
        Assert.Equal(IPAddress.Parse(address), parsed!.Address);
        Assert.Equal(prefix, parsed.PrefixLength);
        Assert.Equal(interfaceName, parsed.InterfaceName);
        Assert.Equal(ipv6, parsed.IsIPv6);
        Assert.Equal($"{address}/{prefix}", parsed.Cidr);
        Assert.Equal(parsed, ServiceAddress.Parse(text));
    }

    [Theory]
    [InlineData("10.0.0.80/24@eth0", "10.0.0.80/24@eth0")]
    [InlineData("FD00:0:0::80/64@br0", "fd00::80/64@br0")]
    [InlineData("2001:0db8:0000:0000:0000:0000:0000:0001/128@eth0", "2001:db8::1/128@eth0")]
    public void TheTextIsCanonicalAndReadsBackEqual(string given, string canonical)
    {
        var address = ServiceAddress.Parse(given);

        Assert.Equal(canonical, address.ToString());
        var again = ServiceAddress.Parse(address.ToString());
        Assert.Equal(address, again);
        Assert.Equal(address.GetHashCode(), again.GetHashCode());
    }

    [Fact]
    public void AddressesThatDifferInAnyPartAreNotEqual()
    {
        var address = ServiceAddress.Parse("10.0.0.80/24@eth0");

        Assert.NotEqual(address, ServiceAddress.Parse("10.0.0.81/24@eth0"));
        Assert.NotEqual(address, ServiceAddress.Parse("10.0.0.80/25@eth0"));
        Assert.NotEqual(address, ServiceAddress.Parse("10.0.0.80/24@eth1"));
    }

    public static TheoryData<string?, string> Refusals => new()
    {
        // The form.
        { null, "is empty" },
        { "", "is empty" },
        { "10.0.0.80@eth0", "lacks its prefix length" },
        { "10.0.0.80/24", "lacks its interface" },
        { "10.0.0.80", "lacks its interface" },
        { "10.0.0.80/24@", "The interface is missing" },
        { "10.0.0.80/@eth0", "is not a prefix length" },
        { "10.0.0.80/x@eth0", "'x' is not a prefix length" },
        { "10.0.0.80/+24@eth0", "is not a prefix length" },
        { "10.0.0.80/0024@eth0", "is not a prefix length" },
        // The prefix's range.
        { "10.0.0.80/0@eth0", "prefix length 0 is out of range; give 1-32" },
        { "10.0.0.80/33@eth0", "prefix length 33 is out of range; give 1-32" },
        { "fd00::80/129@eth0", "prefix length 129 is out of range; give 1-128" },
        { "fd00::80/0@eth0", "prefix length 0 is out of range" },
        // IPv4 written in forms IPAddress also takes.
        { "10.1/24@eth0", "'10.1' is not an IPv4 or IPv6 address" },
        { "10/8@eth0", "'10' is not an IPv4 or IPv6 address" },
        { "010.0.0.1/24@eth0", "'010.0.0.1' is not an IPv4 or IPv6 address" },
        { "0x0a.0.0.1/24@eth0", "is not an IPv4 or IPv6 address" },
        { "10.0.0.256/24@eth0", "is not an IPv4 or IPv6 address" },
        { "fe80::1%eth0/64@eth0", "is not an IPv4 or IPv6 address" },
        { "web.example.com/24@eth0", "is not an IPv4 or IPv6 address" },
        // Addresses that are no host's, or cannot move.
        { "127.0.0.5/8@lo", "is a loopback address" },
        { "0.0.0.0/8@eth0", "is not a host address" },
        { "0.1.2.3/24@eth0", "is not a host address" },
        { "224.0.0.5/24@eth0", "multicast or reserved" },
        { "255.255.255.254/24@eth0", "multicast or reserved" },
        { "::/64@eth0", "is not a host address" },
        { "::1/128@lo", "is not a host address" },
        { "ff02::1/64@eth0", "is a multicast address" },
        { "fe80::1/64@eth0", "is link-local" },
        { "::ffff:10.0.0.80/120@eth0", "give it as IPv4 (10.0.0.80)" },
        // The network's own and broadcast addresses.
        { "10.0.0.0/24@eth0", "is the network's own address" },
        { "10.0.0.255/24@eth0", "is the network's broadcast address" },
        { "10.0.0.4/30@eth0", "is the network's own address" },
        { "10.0.0.7/30@eth0", "is the network's broadcast address" },
        { "10.255.255.255/8@eth0", "broadcast" },
        // Interface names.
        { "10.0.0.80/24@abcdefghijklmnop", "is 16 characters long; Linux names have at most 15" },
        { "10.0.0.80/24@eth0/1", "contains '/'" },
        { "10.0.0.80/24@eth0:1", "contains ':'" },
        { "10.0.0.80/24@eth 0", "contains" },
        { "10.0.0.80/24@ eth0", "contains" },
        { "10.0.0.80/24@-eth0", "is not an interface name" },
        { "10.0.0.80/24@.", "is not an interface name" },
        { "10.0.0.80/24@..", "is not an interface name" },
        { "10.0.0.80/24@eth0;reboot", "contains ';'" },
        { "10.0.0.80/24@eth0\n", "contains" },
        { "10.0.0.80/24@eth0$(id)", "contains '$'" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void AnInvalidAddressIsRefusedWithItsFault(string? text, string fault)
    {
        Assert.False(ServiceAddress.TryParse(text, out var address, out var error));

        Assert.Null(address);
        Assert.Contains(fault, error, StringComparison.Ordinal);
        var thrown = Assert.Throws<ArgumentException>(() => ServiceAddress.Parse(text!));
        Assert.Contains(fault, thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFormFaultSaysHowToWriteOne()
    {
        Assert.False(ServiceAddress.TryParse("10.0.0.80/24", out _, out var error));

        Assert.Contains("ADDRESS/PREFIX@INTERFACE, such as 10.0.0.80/24@eth0", error, StringComparison.Ordinal);
    }

    [Fact]
    public void AHostileInterfaceNameIsShownSafely()
    {
        Assert.False(ServiceAddress.TryParse("10.0.0.80/24@a\u001b[2Jb", out _, out var error));

        Assert.DoesNotContain("\u001b", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TheConstructorChecksEachPartAndNamesIt()
    {
        var address = IPAddress.Parse("10.0.0.80");

        Assert.Equal("address", Assert.Throws<ArgumentException>(() => new ServiceAddress(IPAddress.Loopback, 8, "lo")).ParamName);
        Assert.Equal("prefixLength", Assert.Throws<ArgumentOutOfRangeException>(() => new ServiceAddress(address, 33, "eth0")).ParamName);
        Assert.Equal("prefixLength", Assert.Throws<ArgumentOutOfRangeException>(() => new ServiceAddress(IPAddress.Parse("10.0.0.0"), 24, "eth0")).ParamName);
        Assert.Equal("interfaceName", Assert.Throws<ArgumentException>(() => new ServiceAddress(address, 24, "eth0:1")).ParamName);
        Assert.Equal("interfaceName", Assert.Throws<ArgumentException>(() => new ServiceAddress(address, 24, "")).ParamName);
        Assert.Throws<ArgumentNullException>(() => new ServiceAddress(null!, 24, "eth0"));
        Assert.Equal("10.0.0.80/24@eth0", new ServiceAddress(address, 24, "eth0").ToString());
    }
}
