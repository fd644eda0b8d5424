using MigrationTools.Engine.Network;

namespace MigrationTools.Engine.Tests.Network;

/// <summary>The service address scripts, run on this machine against a stand-in host: what they change, print and refuse.</summary>
public sealed class ServiceAddressScriptTests : IDisposable
{
    private static readonly ServiceAddress V4 = ServiceAddress.Parse("10.0.81.200/24@eth0");
    private static readonly ServiceAddress V6 = ServiceAddress.Parse("fd00:81::80/64@br-lab.1");

    private readonly FakeNetworkHost _host = new();

    public void Dispose() => _host.Dispose();

    [NetworkScriptFact]
    public void AClaimAddsWhatIsMissingAndPrintsWhatItDid()
    {
        _host.AddInterface("eth0", "8e:70:61:4a:b8:dc");
        _host.AddInterface("br-lab.1", "66:48:72:26:f3:f5");
        _host.Hold("eth0", "10.0.81.200/24");

        var result = _host.Run(ServiceAddressHost.ClaimCommand([V4, V6], netDirectory: _host.NetDirectory));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal([V6], ServiceAddressHost.ParseChanges([V4, V6], result.Text, "added", "present", "h2"));
        Assert.Equal(["eth0 10.0.81.200/24", "br-lab.1 fd00:81::80/64"], _host.Held);
        Assert.Contains("ip addr add fd00:81::80/64 dev br-lab.1 nodad", _host.Log);
        Assert.DoesNotContain(_host.Log, line => line.StartsWith("ip addr add 10.0.81.200", StringComparison.Ordinal));
    }

    [NetworkScriptFact]
    public void AClaimAnnouncesAtOnceAndTwiceMoreDetachedPastTheLockTime()
    {
        _host.AddInterface("eth0", "8e:70:61:4a:b8:dc");

        var result = _host.Run(ServiceAddressHost.ClaimCommand([V4], netDirectory: _host.NetDirectory));

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("arping -U -c 1 -I eth0 10.0.81.200", _host.Log);
        // The fake setsid records the detached announcer instead of running it: two rounds, 1.1 s apart (locktime 1 s + 0.1 s).
        Assert.StartsWith("setsid -f sh -c ", _host.Detached, StringComparison.Ordinal);
        var expected = $" {_host.NetDirectory} 2 1.10 {ServiceAddressScripts.Neighbour} 4 eth0 10.0.81.200 24\n";
        Assert.Equal(expected, _host.Detached[^expected.Length..]);
    }

    [NetworkScriptFact]
    public void TheAnnouncerWaitsBeforeEachRound()
    {
        _host.AddInterface("eth0", "8e:70:61:4a:b8:dc");
        var started = DateTime.UtcNow;

        var result = _host.Run(Announce(rounds: "2", spacing: "0.3"));

        Assert.Equal(0, result.ExitCode);
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromSeconds(0.6), "the announcer did not wait before each round");
        Assert.Equal(["arping -U -c 1 -I eth0 10.0.81.200", "arping -U -c 1 -I eth0 10.0.81.200"], _host.Log);
    }

    [NetworkScriptFact]
    public void AnAnnouncerWithoutSpacingSendsAtOnce()
    {
        _host.AddInterface("eth0", "8e:70:61:4a:b8:dc");

        var result = _host.Run(Announce(rounds: "1", spacing: "0"));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["arping -U -c 1 -I eth0 10.0.81.200"], _host.Log);
    }

    [NetworkScriptFact]
    public void AClaimRunTwiceAddsNothingTheSecondTime()
    {
        _host.AddInterface("eth0", "8e:70:61:4a:b8:dc");
        var command = ServiceAddressHost.ClaimCommand([V4], netDirectory: _host.NetDirectory);

        var first = _host.Run(command);
        var second = _host.Run(command);

        Assert.Equal([V4], ServiceAddressHost.ParseChanges([V4], first.Text, "added", "present", "h2"));
        Assert.Empty(ServiceAddressHost.ParseChanges([V4], second.Text, "added", "present", "h2"));
        Assert.Equal(["eth0 10.0.81.200/24"], _host.Held);
    }

    [NetworkScriptFact]
    public void AClaimOnAMissingInterfaceChangesNothingAndSaysWhich()
    {
        _host.AddInterface("eth0", "8e:70:61:4a:b8:dc");

        var result = _host.Run(ServiceAddressHost.ClaimCommand([V4, V6], netDirectory: _host.NetDirectory));

        Assert.Equal(ServiceAddressScripts.InterfaceMissing, result.ExitCode);
        Assert.Contains("interface br-lab.1 does not exist", result.StandardError, StringComparison.Ordinal);
        Assert.Empty(_host.Held);
        Assert.DoesNotContain(_host.Log, line => line.StartsWith("arping", StringComparison.Ordinal));
    }

    [NetworkScriptFact]
    public void AClaimOnAnInterfaceThatIsDownChangesNothing()
    {
        _host.AddInterface("eth0", "8e:70:61:4a:b8:dc", up: false);

        var result = _host.Run(ServiceAddressHost.ClaimCommand([V4], netDirectory: _host.NetDirectory));

        Assert.Equal(ServiceAddressScripts.InterfaceDown, result.ExitCode);
        Assert.Contains("interface eth0 is down", result.StandardError, StringComparison.Ordinal);
        Assert.Empty(_host.Held);
    }

    [NetworkScriptFact]
    public void AnInterfaceWithoutCarrierCountsAsDown()
    {
        _host.AddInterface("eth0", "8e:70:61:4a:b8:dc", up: true, operstate: "lowerlayerdown");

        var result = _host.Run(ServiceAddressHost.ClaimCommand([V4], netDirectory: _host.NetDirectory));

        Assert.Equal(ServiceAddressScripts.InterfaceDown, result.ExitCode);
    }

    [NetworkScriptFact]
    public void AnAddressTheKernelRefusesFailsTheClaim()
    {
        _host.AddInterface("eth0", "8e:70:61:4a:b8:dc");
        _host.RefuseAdds();

        var result = _host.Run(ServiceAddressHost.ClaimCommand([V4], netDirectory: _host.NetDirectory));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("10.0.81.200/24 could not be added to eth0", result.StandardError, StringComparison.Ordinal);
    }

    [NetworkScriptFact]
    public void AReleaseRemovesOnlyWhatIsHeldAndRunsAgainHarmlessly()
    {
        _host.AddInterface("eth0", "8e:70:61:4a:b8:dc");
        _host.Hold("eth0", "10.0.81.200/24");
        _host.Hold("eth0", "10.0.81.1/24");
        var command = ServiceAddressHost.ReleaseCommand([V4, V6], _host.NetDirectory);

        var first = _host.Run(command);
        var second = _host.Run(command);

        Assert.Equal(0, first.ExitCode);
        Assert.Equal([V4], ServiceAddressHost.ParseChanges([V4, V6], first.Text, "removed", "absent", "h1"));
        Assert.Empty(ServiceAddressHost.ParseChanges([V4, V6], second.Text, "removed", "absent", "h1"));
        Assert.Equal(["eth0 10.0.81.1/24"], _host.Held);
    }

    [NetworkScriptFact]
    public void InspectingReportsTheInterfaceItsAddressAndWhetherItIsHeld()
    {
        _host.AddInterface("eth0", "8E:70:61:4A:B8:DC");
        _host.Hold("eth0", "10.0.81.200/24");
        var missing = ServiceAddress.Parse("10.0.81.201/24@eth9");

        var result = _host.Run(ServiceAddressHost.InspectCommand([V4, missing], probe: false, _host.NetDirectory));
        var states = ServiceAddressHost.ParseInspect([V4, missing], result.Text, "h2");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(new ServiceAddressState(V4, InterfaceState.Up, "8e:70:61:4a:b8:dc", true, [], null) with { Answers = states[0].Answers }, states[0]);
        Assert.Empty(states[0].Answers);
        Assert.Equal(InterfaceState.Missing, states[1].Interface);
        Assert.Null(states[1].InterfaceMac);
        Assert.False(states[1].Held);
        Assert.DoesNotContain(_host.Log, line => line.StartsWith("arping", StringComparison.Ordinal));
    }

    [NetworkScriptFact]
    public void AHeldAddressWithAnotherPrefixIsNotThisOne()
    {
        _host.AddInterface("eth0", "8e:70:61:4a:b8:dc");
        _host.Hold("eth0", "10.0.81.200/32");
        _host.Hold("eth0", "10.0.81.2000/24");

        var states = ServiceAddressHost.ParseInspect([V4], _host.Run(ServiceAddressHost.InspectCommand([V4], false, _host.NetDirectory)).Text, "h2");

        Assert.False(states[0].Held);
    }

    [NetworkScriptFact]
    public void ProbingGivesTheHardwareAddressOfEveryoneWhoAnswers()
    {
        _host.AddInterface("eth0", "8e:70:61:4a:b8:dc");
        _host.Neighbour("10.0.81.200", "66:48:72:26:F3:F5");

        var result = _host.Run(ServiceAddressHost.InspectCommand([V4], probe: true, _host.NetDirectory));
        var state = Assert.Single(ServiceAddressHost.ParseInspect([V4], result.Text, "h2"));

        Assert.Equal(["66:48:72:26:f3:f5"], state.Answers);
        Assert.Null(state.Unprobed);
        Assert.Empty(state.AnswersOtherThan("66:48:72:26:F3:F5"));
        Assert.Equal(["66:48:72:26:f3:f5"], state.AnswersOtherThan("8e:70:61:4a:b8:dc"));
        Assert.Contains("python3 probe4 10.0.81.200 eth0", _host.Log);
    }

    [NetworkScriptFact]
    public void WithoutPythonIPv4IsProbedWithArpingAndIPv6IsNotProbed()
    {
        _host.WithoutPython();
        _host.AddInterface("eth0", "8e:70:61:4a:b8:dc");
        _host.AddInterface("br-lab.1", "8e:70:61:4a:b8:dd");
        _host.Neighbour("10.0.81.200", "66:48:72:26:F3:F5");

        var result = _host.Run(ServiceAddressHost.InspectCommand([V4, V6], probe: true, _host.NetDirectory));
        var states = ServiceAddressHost.ParseInspect([V4, V6], result.Text, "h2");

        Assert.Equal(["66:48:72:26:f3:f5"], states[0].Answers);
        Assert.Contains("arping -D -c 2 -w 2 -I eth0 10.0.81.200", _host.Log);
        Assert.Equal("no-python3", states[1].Unprobed);
    }

    [NetworkScriptFact]
    public void AnIPv6AddressIsProbedAndAnnouncedByTheNeighbourProgram()
    {
        _host.AddInterface("br-lab.1", "8e:70:61:4a:b8:dd");
        _host.Neighbour("fd00:81::80", "66:48:72:26:f3:f5");

        var probed = ServiceAddressHost.ParseInspect([V6], _host.Run(ServiceAddressHost.InspectCommand([V6], true, _host.NetDirectory)).Text, "h2");
        var claimed = _host.Run(ServiceAddressHost.ClaimCommand([V6], netDirectory: _host.NetDirectory));

        Assert.Equal(["66:48:72:26:f3:f5"], probed[0].Answers);
        Assert.Equal(0, claimed.ExitCode);
        Assert.Equal(["ip -o addr show dev br-lab.1", "python3 probe6 fd00:81::80 br-lab.1", "ip -o addr show dev br-lab.1", "ip addr add fd00:81::80/64 dev br-lab.1 nodad",
            "ip -o addr show dev br-lab.1", "python3 announce6 fd00:81::80 br-lab.1"], _host.Log);
    }

    [NetworkScriptFact]
    public void ProbingANetworkWhereNobodyAnswersSucceedsWithNoAnswers()
    {
        _host.AddInterface("eth0", "8e:70:61:4a:b8:dc");
        _host.Neighbour("10.0.81.201", "66:48:72:26:f3:f5");

        var result = _host.Run(ServiceAddressHost.InspectCommand([V4], probe: true, _host.NetDirectory));

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(Assert.Single(ServiceAddressHost.ParseInspect([V4], result.Text, "h2")).Answers);
    }

    [NetworkScriptFact]
    public void AnInterfaceThatIsDownIsNotProbed()
    {
        _host.AddInterface("eth0", "8e:70:61:4a:b8:dc", up: false);

        var state = Assert.Single(ServiceAddressHost.ParseInspect([V4], _host.Run(ServiceAddressHost.InspectCommand([V4], true, _host.NetDirectory)).Text, "h2"));

        Assert.Equal(InterfaceState.Down, state.Interface);
        Assert.Equal("interface-down", state.Unprobed);
    }

    private Engine.Remote.RemoteCommand Announce(string rounds, string spacing) =>
        Engine.Remote.RemoteCommand.Create(
            new[] { "sh", "-c", ServiceAddressScripts.Announce, "sh", _host.NetDirectory, rounds, spacing, ServiceAddressScripts.Neighbour }
                .Concat(ServiceAddressHost.AddressWords([V4])));

    [Fact]
    public void EachAddressIsPassedAsFourWordsAfterTheScriptsOwnParameters()
    {
        var command = ServiceAddressHost.ReleaseCommand([V4, V6]);

        Assert.Equal(
            ["sh", "-c", ServiceAddressScripts.Release, "sh", "/sys/class/net", "4", "eth0", "10.0.81.200", "24", "6", "br-lab.1", "fd00:81::80", "64"],
            Assert.Single(command.Stages));
    }

    [Theory]
    [InlineData("address 10.0.81.200/24 eth0 up 8e:70:61:4a:b8:dc maybe")]
    [InlineData("address 10.0.81.201/24 eth0 up 8e:70:61:4a:b8:dc held")]
    [InlineData("address 10.0.81.200/24 eth1 up 8e:70:61:4a:b8:dc held")]
    [InlineData("address 10.0.81.200/24 eth0 sideways 8e:70:61:4a:b8:dc held")]
    [InlineData("answer 66:48:72:26:f3:f5")]
    [InlineData("address 10.0.81.200/24 eth0 up - free\nanswer $(reboot)")]
    [InlineData("")]
    public void UnexpectedInspectOutputIsRefused(string output)
    {
        Assert.Throws<FormatException>(() => ServiceAddressHost.ParseInspect([V4], output, "h2"));
    }

    [Theory]
    [InlineData("added 10.0.81.200/24 eth0\nadded 10.0.81.200/24 eth0")]
    [InlineData("grabbed 10.0.81.200/24 eth0")]
    [InlineData("added 10.0.81.201/24 eth0")]
    [InlineData("")]
    public void UnexpectedChangeOutputIsRefused(string output)
    {
        Assert.Throws<FormatException>(() => ServiceAddressHost.ParseChanges([V4], output, "added", "present", "h2"));
    }
}
