using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Network;
using MigrationTools.Engine.Phases;

namespace MigrationTools.Engine.Tests.Network;

/// <summary>The verdicts on moving service addresses, from what the source and the destination said about them.</summary>
public sealed class ServiceAddressPreflightTests
{
    private const string SourceMac = "8e:70:61:4a:b8:dc";
    private const string DestinationMac = "66:48:72:26:f3:f5";
    private static readonly ServiceAddress Address = ServiceAddress.Parse("10.0.81.200/24@eth0");

    [Fact]
    public void AnAddressOnlyTheSourceAnswersMayMove()
    {
        var checks = Verdicts(Destination() with { Answers = [SourceMac] });

        Assert.All(checks, check => Assert.True(check.Passed, check.Message));
        Assert.Equal([MigrationChecks.ServiceAddressInterface, MigrationChecks.ServiceAddressFree], checks.Select(c => c.Name));
        Assert.All(checks, check => Assert.Equal("10.0.81.200/24@eth0", check.Target));
    }

    [Fact]
    public void AnAddressSomeoneElseAnswersIsRefusedNamingTheirHardwareAddress()
    {
        var check = Verdicts(Destination() with { Answers = [SourceMac, "02:00:00:00:00:01"] })[1];

        Assert.False(check.Passed);
        Assert.Contains("10.0.81.200 is already answered on h2's network by 02:00:00:00:00:01", check.Message, StringComparison.Ordinal);
        Assert.Contains("not h1's eth0 (" + SourceMac + ")", check.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnAddressTheDestinationHoldsIsRefusedWithTheCommandThatFreesIt()
    {
        var check = Verdicts(Destination() with { Held = true })[1];

        Assert.False(check.Passed);
        Assert.Contains("h2 already holds the service address 10.0.81.200/24@eth0", check.Message, StringComparison.Ordinal);
        Assert.Contains("ip address del 10.0.81.200/24 dev eth0", check.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(InterfaceState.Missing, "which h2 does not have")]
    [InlineData(InterfaceState.Down, "which is down on h2")]
    public void AnInterfaceMissingOrDownOnTheDestinationIsRefused(InterfaceState state, string expected)
    {
        var check = Verdicts(Destination() with { Interface = state, Unprobed = "interface-" + state.ToString().ToLowerInvariant() })[0];

        Assert.False(check.Passed);
        Assert.Equal(MigrationChecks.ServiceAddressInterface, check.Name);
        Assert.Contains(expected, check.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ANetworkThatCouldNotBeAskedPassesAndSaysWhy()
    {
        var check = Verdicts(Destination() with { Unprobed = "no-arping" })[1];

        Assert.True(check.Passed);
        Assert.Contains("could not be asked who answers it (no-arping)", check.Message, StringComparison.Ordinal);
    }

    private static ServiceAddressState Destination() => new(Address, InterfaceState.Up, DestinationMac, false, [], null);

    private static IReadOnlyList<Preflight.PreflightCheck> Verdicts(ServiceAddressState destination) =>
        ServiceAddressPreflight.Verdicts([new ServiceAddressState(Address, InterfaceState.Up, SourceMac, true, [], null)], [destination], "h1", "h2");
}
