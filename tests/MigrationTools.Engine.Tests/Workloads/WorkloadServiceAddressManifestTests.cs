using MigrationTools.Engine.Network;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Engine.Tests.Workloads;

/// <summary>
/// A manifest's service addresses: written as objects of address and interface, read back equal, and every fault
/// reported at its JSON path; the validator front ends use for ADDRESS/PREFIX@INTERFACE texts.
/// </summary>
public sealed class WorkloadServiceAddressManifestTests
{
    private const string File = "/etc/migrationtools/workloads/web.json";

    private const string Head = """{"name": "web", "command": ["x"], "checkpointMode": "criu", "serviceAddresses": """;

    private static WorkloadManifest WithAddresses(params string[] addresses) =>
        new(WorkloadName.Parse("web"), [], ["python3", "app.py"], CheckpointMode.Criu, serviceAddresses: addresses.Select(ServiceAddress.Parse));

    [Fact]
    public void AddressesAreWrittenAsAddressAndInterfaceAndReadBackEqual()
    {
        var manifest = WithAddresses("10.0.0.80/24@eth0", "fd00::80/64@br0");

        var json = WorkloadManifestJson.Serialize(manifest);
        var back = WorkloadManifestJson.Parse(json);

        Assert.Contains("\"serviceAddresses\": [", json, StringComparison.Ordinal);
        Assert.Contains("\"address\": \"10.0.0.80/24\"", json, StringComparison.Ordinal);
        Assert.Contains("\"interface\": \"br0\"", json, StringComparison.Ordinal);
        Assert.Equal(manifest, back);
        Assert.Equal(manifest.GetHashCode(), back.GetHashCode());
        Assert.Equal(["10.0.0.80/24@eth0", "fd00::80/64@br0"], back.ServiceAddresses.Select(a => a.ToString()));
        Assert.Equal(json, WorkloadManifestJson.Serialize(back));
    }

    [Fact]
    public void AManifestWithoutAddressesWritesNoProperty()
    {
        var json = WorkloadManifestJson.Serialize(WithAddresses());

        Assert.DoesNotContain("serviceAddresses", json, StringComparison.Ordinal);
        Assert.Empty(WorkloadManifestJson.Parse(json).ServiceAddresses);
    }

    [Fact]
    public void TheOrderOfAddressesMatters()
    {
        Assert.NotEqual(WithAddresses("10.0.0.80/24@eth0", "10.0.0.81/24@eth0"), WithAddresses("10.0.0.81/24@eth0", "10.0.0.80/24@eth0"));
        Assert.NotEqual(WithAddresses("10.0.0.80/24@eth0"), WithAddresses());
    }

    [Fact]
    public void AnAddressInTheManifestIsReadInCanonicalForm()
    {
        var manifest = WorkloadManifestJson.Parse(Head + """[{"address": "FD00:0::80/64", "interface": "br0"}]}""", File);

        Assert.Equal("fd00::80/64@br0", Assert.Single(manifest.ServiceAddresses).ToString());
    }

    public static TheoryData<string, string, string> Faults => new()
    {
        { """[{"address": "10.0.0.80/24", "interface": "eth0"}, {"address": "10.0.0.80/24", "interface": "eth1"}]}""", "$.serviceAddresses[1]", "listed twice" },
        { """[{"address": "10.0.0.80/24", "interface": "eth0"}, {"address": "10.0.0.80/16", "interface": "eth0"}]}""", "$.serviceAddresses[1]", "listed twice" },
        { """[{"address": "10.0.0.80/24", "interface": "eth0", "gateway": "10.0.0.1"}]}""", "$.serviceAddresses[0].gateway", "'gateway' is not a property of a service address" },
        { """[{"address": "10.0.0.80/24"}]}""", "$.serviceAddresses[0]", "\"interface\" is missing" },
        { """[{"interface": "eth0"}]}""", "$.serviceAddresses[0]", "\"address\" is missing" },
        { """[{"address": "10.0.0.80/24", "interface": "eth0", "interface": "eth1"}]}""", "$.serviceAddresses[0].interface", "given twice" },
        { """[{"address": "10.0.0.80", "interface": "eth0"}]}""", "$.serviceAddresses[0]", "lacks its prefix length" },
        { """[{"address": "10.1/24", "interface": "eth0"}]}""", "$.serviceAddresses[0]", "is not an IPv4 or IPv6 address" },
        { """[{"address": "127.0.0.5/8", "interface": "lo"}]}""", "$.serviceAddresses[0]", "loopback" },
        { """[{"address": "10.0.0.255/24", "interface": "eth0"}]}""", "$.serviceAddresses[0]", "broadcast" },
        { """[{"address": "10.0.0.80/24", "interface": "eth0:1"}]}""", "$.serviceAddresses[0]", "contains ':'" },
        { """[{"address": "10.0.0.80/24", "interface": 7}]}""", "$.serviceAddresses[0].interface", "Expected a string, found a number" },
        { """["10.0.0.80/24@eth0"]}""", "$.serviceAddresses[0]", "Expected an object (a service address)" },
        { """{"address": "10.0.0.80/24", "interface": "eth0"}}""", "$.serviceAddresses", "Expected an array" },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public void EachFaultIsReportedAtItsPath(string addresses, string path, string fault)
    {
        var error = Assert.Throws<WorkloadManifestException>(() => WorkloadManifestJson.Parse(Head + addresses, File));

        Assert.Equal(File, error.File);
        Assert.Equal(path, error.JsonPath);
        Assert.Contains(fault, error.Fault, StringComparison.Ordinal);
    }

    [Fact]
    public void MoreThanTheMostAddressesAreRefusedAtTheFirstOneTooMany()
    {
        var items = Enumerable.Range(1, 17).Select(i => $$"""{"address": "10.0.0.{{i}}/24", "interface": "eth0"}""");

        var error = Assert.Throws<WorkloadManifestException>(() => WorkloadManifestJson.Parse(Head + "[" + string.Join(", ", items) + "]}", File));

        Assert.Equal("$.serviceAddresses[16]", error.JsonPath);
        Assert.Contains("at most 16 service addresses", error.Fault, StringComparison.Ordinal);
    }

    [Fact]
    public void TheValidatorReadsTextsAsFrontEndsReceiveThem()
    {
        Assert.Null(WorkloadManifestValidator.CheckServiceAddresses(["10.0.0.80/24@eth0", "fd00::80/64@br0"], out var addresses));

        Assert.Equal(["10.0.0.80/24@eth0", "fd00::80/64@br0"], addresses.Select(a => a.ToString()));
        Assert.Null(WorkloadManifestValidator.CheckServiceAddresses(null, out var none));
        Assert.Empty(none);
    }

    [Theory]
    [InlineData("10.0.0.80/24", "10.0.0.80/24", "lacks its interface")]
    [InlineData("10.0.0.80/24@eth0;reboot", "10.0.0.80/24@eth0;reboot", "contains ';'")]
    [InlineData("FD00::80/64@br0|fd00::80/64@eth0", "fd00::80/64@eth0", "listed twice")]
    public void TheValidatorNamesTheFieldAndTheValue(string texts, string value, string fault)
    {
        var found = WorkloadManifestValidator.CheckServiceAddresses(texts.Split('|'), out _);

        Assert.NotNull(found);
        Assert.Equal(WorkloadManifestField.ServiceAddresses, found.Field);
        Assert.Equal(value, found.Value);
        Assert.Contains(fault, found.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheManifestRefusesWhatTheValidatorFaults()
    {
        var twice = new[] { ServiceAddress.Parse("10.0.0.80/24@eth0"), ServiceAddress.Parse("10.0.0.80/24@eth1") };

        var fault = WorkloadManifestValidator.Check([], ["x"], CheckpointMode.Criu, null, null, MigrationPolicy.Allowed, twice);
        var error = Assert.Throws<ArgumentException>(() => new WorkloadManifest(WorkloadName.Parse("web"), [], ["x"], CheckpointMode.Criu, serviceAddresses: twice));

        Assert.NotNull(fault);
        Assert.Equal(WorkloadManifestField.ServiceAddresses, fault.Field);
        Assert.Equal("serviceAddresses", error.ParamName);
    }
}
