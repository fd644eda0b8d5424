using System.Collections;
using System.Management.Automation;
using MigrationTools.Module.Host.Tests.Fixtures;

namespace MigrationTools.Module.Host.Tests.Errors;

/// <summary>
/// Register-Workload -ServiceAddress: an address that is malformed, cannot move or is listed twice ends the command
/// with InvalidServiceAddress before any host is reached; valid ones reach the confirmation.
/// </summary>
public sealed class ServiceAddressErrorTests(SessionFixture fixture) : IClassFixture<SessionFixture>
{
    private const string Computer = UnreachableHosts.Refusing;

    [Theory]
    [InlineData("10.0.0.80/24", "10.0.0.80/24", "lacks its interface")]
    [InlineData("10.0.0.80@eth0", "10.0.0.80@eth0", "lacks its prefix length")]
    [InlineData("10.1/24@eth0", "10.1/24@eth0", "is not an IPv4 or IPv6 address")]
    [InlineData("127.0.0.5/8@lo", "127.0.0.5/8@lo", "loopback")]
    [InlineData("10.0.0.255/24@eth0", "10.0.0.255/24@eth0", "broadcast")]
    [InlineData("10.0.0.80/24@eth0;reboot", "10.0.0.80/24@eth0;reboot", "contains ';'")]
    [InlineData("10.0.0.80/24@eth0|10.0.0.80/16@eth1", "10.0.0.80/16@eth1", "listed twice")]
    public void ABadServiceAddressEndsTheCommandBeforeAnyHostIsReached(string addresses, string target, string fault)
    {
        var parameters = Parameters();
        parameters["ServiceAddress"] = addresses.Split('|');

        var result = Run(parameters);

        // Refused before the host: an attempt to reach it would have been a ConnectionFailed error.
        Assert.Empty(result.Errors);
        Assert.NotNull(result.Terminating);
        ErrorAssert.Matches(fixture.Session, result.Terminating, ErrorIds.InvalidServiceAddress, "Register-Workload", ErrorCategory.InvalidArgument, target);
        Assert.StartsWith("-ServiceAddress: ", result.Terminating.Exception.Message, StringComparison.Ordinal);
        Assert.Contains(fault, result.Terminating.Exception.Message, StringComparison.Ordinal);
        Assert.Equal("ServiceAddress", ((ArgumentException)result.Terminating.Exception).ParamName);
    }

    [Fact]
    public void ABadServiceAddressIsRefusedEvenWithWhatIf()
    {
        var parameters = Parameters();
        parameters.Remove("Confirm");
        parameters["WhatIf"] = true;
        parameters["ServiceAddress"] = new[] { "fe80::1/64@eth0" };
        fixture.Session.UI.Clear();

        var result = Run(parameters);

        Assert.NotNull(result.Terminating);
        Assert.Equal(ErrorAssert.QualifiedId(fixture.Session, ErrorIds.InvalidServiceAddress, "Register-Workload"), result.Terminating.FullyQualifiedErrorId);
        Assert.DoesNotContain(fixture.Session.UI.Lines, l => l.StartsWith("What if: ", StringComparison.Ordinal));
    }

    [Fact]
    public void ValidServiceAddressesReachTheConfirmation()
    {
        var parameters = Parameters();
        parameters.Remove("Confirm");
        parameters["WhatIf"] = true;
        parameters["ServiceAddresses"] = new[] { "10.0.0.80/24@eth0", "fd00::80/64@br0" };
        fixture.Session.UI.Clear();

        var result = Run(parameters);

        Assert.Empty(result.AllErrors);
        var line = Assert.Single(fixture.Session.UI.Lines, l => l.StartsWith("What if: ", StringComparison.Ordinal));
        Assert.Contains($"web on {Computer}", line, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidServiceAddressesGoOnToTheHost()
    {
        var parameters = Parameters();
        parameters["ServiceAddress"] = new[] { "10.0.0.80/24@eth0" };

        var result = Run(parameters);

        // The only error is the unreachable host's: the addresses passed.
        ErrorAssert.Single(fixture.Session, result, ErrorIds.ConnectionFailed, "Register-Workload", ErrorCategory.ConnectionError, $"web on {Computer}");
    }

    private Hashtable Parameters() =>
        CmdletCalls.Parameters(fixture.Session, "Register-Workload", Computer, Path.Combine(fixture.Hosts.Directory, "journal"), fixture.Hosts.ConfigPath);

    private Hosting.Invocation Run(Hashtable parameters) =>
        fixture.Session.Run(ps => ps.AddCommand("Register-Workload").AddParameters(parameters));
}
