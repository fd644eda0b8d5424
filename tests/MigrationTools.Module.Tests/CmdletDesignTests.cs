namespace MigrationTools.Module.Tests;

/// <summary>
/// Each cmdlet's parameters as designed, spelled out: type, parameter sets, mandatory flags, positions and pipeline
/// bindings. A change to any of them is a change to the module's public interface and must show up here.
/// </summary>
/// <remarks>
/// One line per parameter and set: <c>Name Type set mandatory|optional position|named pipeline</c>, where pipeline
/// is <c>-</c>, <c>ByValue</c>, <c>ByPropertyName</c> or both.
/// </remarks>
public sealed class CmdletDesignTests(ModuleAssembly module) : IClassFixture<ModuleAssembly>
{
    private const string All = CmdletParameters.AllSets;

    /// <summary>The parameters every cmdlet that reaches hosts shares, in every set.</summary>
    private static readonly string[] ConnectionParameters =
    [
        $"Credential PSCredential {All} optional named -",
        $"KeyFilePath String {All} optional named -",
        $"SshConfigFile String {All} optional named -",
        $"UseSudo SwitchParameter {All} optional named -",
        $"UserName String {All} optional named -",
    ];

    [Fact]
    public void GetWorkloadTakesHostsByValueOrPropertyNameAndNamePatternsByPropertyName()
    {
        var cmdlet = Cmdlet("Get-Workload");

        AssertParameters(
            cmdlet,
            $"ComputerName String[] {All} optional 0 ByValue,ByPropertyName",
            $"Name String[] {All} optional 1 ByPropertyName");
        Assert.True(Parameter(cmdlet, "Name").HasAttribute("System.Management.Automation.SupportsWildcardsAttribute"));
        Assert.False(Parameter(cmdlet, "ComputerName").HasAttribute("System.Management.Automation.SupportsWildcardsAttribute"));
        Assert.Null(cmdlet.NamedArgument("DefaultParameterSetName"));
    }

    [Fact]
    public void RegisterWorkloadHasOneParameterSetPerKindOfHealthCheck()
    {
        var cmdlet = Cmdlet("Register-Workload");

        AssertParameters(
            cmdlet,
            $"CheckpointMode CheckpointMode {All} optional named -",
            $"Command String[] {All} mandatory named -",
            $"ComputerName String {All} mandatory 0 -",
            $"Dataset String[] {All} mandatory named -",
            $"Environment Hashtable {All} optional named -",
            $"Force SwitchParameter {All} optional named -",
            "HealthCommand String[] HealthCommand mandatory named -",
            "HealthPort Int32 HealthPort mandatory named -",
            "HealthTimeoutSeconds Int32 HealthCommand optional named -",
            "HealthTimeoutSeconds Int32 HealthPort optional named -",
            "HealthTimeoutSeconds Int32 HealthUrl optional named -",
            "HealthUrl Uri HealthUrl mandatory named -",
            $"MigrationPolicy MigrationPolicy {All} optional named -",
            $"Name String {All} mandatory 1 -",
            $"PassThru SwitchParameter {All} optional named -",
            $"WorkingDirectory String {All} optional named -");
        Assert.Equal("NoHealthCheck", cmdlet.NamedArgument("DefaultParameterSetName"));
        Assert.Equal(["HealthCommand", "HealthPort", "HealthUrl"], CmdletParameters.SetsOf(cmdlet.Type));
        Assert.Equal(["Datasets"], Parameter(cmdlet, "Dataset").Aliases);
        Assert.True(Parameter(cmdlet, "Dataset").HasAttribute("System.Management.Automation.AllowEmptyCollectionAttribute"));
        Assert.Equal("MigrationTools.Engine.Workloads.CheckpointMode", Parameter(cmdlet, "CheckpointMode").Type.FullName);
        Assert.Equal("MigrationTools.Engine.Workloads.MigrationPolicy", Parameter(cmdlet, "MigrationPolicy").Type.FullName);
    }

    [Theory]
    [InlineData("Start-Workload")]
    [InlineData("Stop-Workload")]
    [InlineData("Unregister-Workload")]
    public void CmdletsActingOnOneWorkloadBindComputerNameAndNameFromAWorkloadByPropertyName(string name)
    {
        var cmdlet = Cmdlet(name);
        var workload = module.Assembly.GetType("MigrationTools.Workload", throwOnError: true)!;

        var own = name switch
        {
            "Start-Workload" => new[] { $"PassThru SwitchParameter {All} optional named -" },
            "Stop-Workload" => [$"PassThru SwitchParameter {All} optional named -", $"Timeout Int32 {All} optional named -"],
            _ => [],
        };
        AssertParameters(
            cmdlet,
            [$"ComputerName String {All} mandatory 0 ByPropertyName", $"Name String {All} mandatory 1 ByPropertyName", .. own]);

        // What Get-Workload writes carries both properties, under the same names.
        Assert.Equal("String", workload.GetProperty("ComputerName")?.PropertyType.Name);
        Assert.Equal("String", workload.GetProperty("Name")?.PropertyType.Name);
    }

    [Fact]
    public void StopWorkloadTimeoutIsInSecondsFromZeroToAnHour()
    {
        var timeout = Parameter(Cmdlet("Stop-Workload"), "Timeout");

        var range = timeout.Attributes.Single(a => a.AttributeType.FullName == "System.Management.Automation.ValidateRangeAttribute");
        Assert.Equal([0, 3600], range.ConstructorArguments.Select(a => Convert.ToInt32(a.Value, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(["TimeoutSeconds"], timeout.Aliases);
    }

    [Fact]
    public void GetWorkloadWritesWorkloadsAndTheActingCmdletsWriteThemWithPassThru()
    {
        foreach (var name in new[] { "Get-Workload", "Register-Workload", "Start-Workload", "Stop-Workload" })
        {
            Assert.Equal(["MigrationTools.Workload"], Cmdlet(name).OutputTypeNames());
        }

        Assert.Equal(["System.Void"], Cmdlet("Unregister-Workload").OutputTypeNames());
    }

    private CmdletType Cmdlet(string name) => Assert.Single(module.Cmdlets, c => c.Name == name);

    private static CmdletParameter Parameter(CmdletType cmdlet, string name) =>
        Assert.Single(CmdletParameters.Of(cmdlet.Type), p => p.Name == name);

    private static void AssertParameters(CmdletType cmdlet, params string[] own)
    {
        var expected = own.Concat(ConnectionParameters).Order(StringComparer.Ordinal);
        var actual = CmdletParameters.Of(cmdlet.Type)
            .SelectMany(p => p.Sets.Select(s => Describe(p, s)))
            .Order(StringComparer.Ordinal);

        Assert.Equal(expected, actual);
    }

    private static string Describe(CmdletParameter parameter, ParameterSetBinding set)
    {
        var pipeline = string.Join(",", new[] { set.ByValue ? "ByValue" : null, set.ByPropertyName ? "ByPropertyName" : null }.OfType<string>());
        return $"{parameter.Name} {parameter.Type.Name} {set.SetName} {(set.Mandatory ? "mandatory" : "optional")} " +
            $"{set.Position?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "named"} {(pipeline.Length == 0 ? "-" : pipeline)}";
    }
}
