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

    /// <summary>The parameters every cmdlet that reaches hosts shares, in every set: how to reach them, where they keep workloads.</summary>
    private static readonly string[] ConnectionParameters =
    [
        $"Credential PSCredential {All} optional named -",
        $"HostHelper String {All} optional named -",
        $"KeyFilePath String {All} optional named -",
        $"KnownHostsFile String {All} optional named -",
        $"ManifestDirectory String {All} optional named -",
        $"RuntimeDirectory String {All} optional named -",
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
            $"ServiceAddress String[] {All} optional named -",
            $"WorkingDirectory String {All} optional named -");
        Assert.Equal("NoHealthCheck", cmdlet.NamedArgument("DefaultParameterSetName"));
        Assert.Equal(["HealthCommand", "HealthPort", "HealthUrl"], CmdletParameters.SetsOf(cmdlet.Type));
        Assert.Equal(["Datasets"], Parameter(cmdlet, "Dataset").Aliases);
        Assert.True(Parameter(cmdlet, "Dataset").HasAttribute("System.Management.Automation.AllowEmptyCollectionAttribute"));
        Assert.Equal(["ServiceAddresses"], Parameter(cmdlet, "ServiceAddress").Aliases);
        Assert.True(Parameter(cmdlet, "ServiceAddress").HasAttribute("System.Management.Automation.AllowEmptyCollectionAttribute"));
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

    /// <summary>What Test-Migration, Start-Migration and Move-Workload share: the workload, its hosts, its settings.</summary>
    private static readonly string[] MigrationRequestParameters =
    [
        "BandwidthLimit String Workload optional named ByPropertyName",
        "Compression StreamCompression Workload optional named ByPropertyName",
        "ComputerName String Workload mandatory 0 ByPropertyName",
        "Direct SwitchParameter Workload optional named ByPropertyName",
        "FileLocks SwitchParameter Workload optional named ByPropertyName",
        "Force SwitchParameter Workload optional named -",
        "Hook Hashtable[] Workload optional named -",
        $"JournalPath String {All} optional named ByPropertyName",
        "MemoryTransfer MemoryTransfer Workload optional named ByPropertyName",
        "Name String Workload mandatory 1 ByPropertyName",
        "Plan MigrationPlan Plan mandatory named ByValue",
        "ReleaseSourceBeforeRestore SwitchParameter Workload optional named ByPropertyName",
        "StopTimeoutSeconds Int32 Workload optional named ByPropertyName",
        "TcpEstablished SwitchParameter Workload optional named ByPropertyName",
    ];

    private static readonly string[] WorkloadBindings = ["ComputerName", "Name"];

    private static readonly string[] MigrationBindings =
        ["Source", "Workload", "Destination", "Direct", "Compression", "BandwidthLimit", "ReleaseSourceBeforeRestore", "StopTimeoutSeconds", "TcpEstablished", "FileLocks", "MemoryTransfer"];

    [Theory]
    [InlineData("Test-Migration")]
    [InlineData("Start-Migration")]
    [InlineData("Move-Workload")]
    public void CmdletsThatTakeAWorkloadToADestinationBindAWorkloadAMigrationOrAPlanByPropertyName(string name)
    {
        var cmdlet = Cmdlet(name);

        string[] own = name switch
        {
            "Move-Workload" =>
            [
                $"AsJob SwitchParameter {All} optional named -",
                $"BandwidthPerHost String {All} optional named -",
                $"Complete SwitchParameter {All} optional named -",
                $"ConvergedBytes Int64 {All} optional named -",
                "Destination String[] Workload mandatory 2 ByPropertyName",
                $"KeepSourceDataset SwitchParameter {All} optional named -",
                $"MaxMigrationsPerHost Int32 {All} optional named -",
                $"MaxSyncRounds Int32 {All} optional named -",
                $"Order DrainOrder {All} optional named -",
                $"ThrottleLimit Int32 {All} optional named -",
            ],
            "Start-Migration" =>
            [
                $"AsJob SwitchParameter {All} optional named -",
                "Destination String Workload mandatory 2 ByPropertyName",
                $"ThrottleLimit Int32 {All} optional named -",
            ],
            _ => ["Destination String Workload mandatory 2 ByPropertyName"],
        };
        AssertParameters(cmdlet, [.. MigrationRequestParameters, .. own]);
        Assert.Equal(["Source"], Parameter(cmdlet, "ComputerName").Aliases);
        Assert.Equal(["Workload"], Parameter(cmdlet, "Name").Aliases);
        Assert.Equal("MigrationTools.Engine.Replication.StreamCompression", Parameter(cmdlet, "Compression").Type.FullName);
        Assert.Equal("MigrationTools.Engine.Criu.MemoryTransfer", Parameter(cmdlet, "MemoryTransfer").Type.FullName);
        Assert.Equal(
            ["Auto", "PostCopy", "PreCopy", "StopAndCopy"],
            Parameter(cmdlet, "MemoryTransfer").Type.GetFields().Where(f => f.IsStatic).Select(f => f.Name));
        // No default set: a plan piped in must bind by value to -Plan before the Workload set could take its properties.
        Assert.Null(cmdlet.NamedArgument("DefaultParameterSetName"));
        Assert.Equal("MigrationTools.MigrationPlan", Parameter(cmdlet, "Plan").Type.FullName);

        // A Workload binds -ComputerName and -Name; a Migration and a plan read back from JSON bind -Source, -Workload,
        // -Destination and the settings.
        var workload = Type("MigrationTools.Workload");
        Assert.All(WorkloadBindings, p => Assert.NotNull(workload.GetProperty(p)));
        foreach (var source in new[] { Type("MigrationTools.Migration"), Type("MigrationTools.MigrationPlan") })
        {
            Assert.All(MigrationBindings, p => Assert.True(source.GetProperty(p) is not null, $"{source.Name} has no {p}."));
        }
    }

    [Fact]
    public void MoveWorkloadConvergesWithinTheEnginesLimits()
    {
        var cmdlet = Cmdlet("Move-Workload");

        var rounds = Parameter(cmdlet, "MaxSyncRounds").Attributes.Single(a => a.AttributeType.FullName == "System.Management.Automation.ValidateRangeAttribute");
        var bytes = Parameter(cmdlet, "ConvergedBytes").Attributes.Single(a => a.AttributeType.FullName == "System.Management.Automation.ValidateRangeAttribute");
        Assert.Equal([1L, 100L], rounds.ConstructorArguments.Select(a => Convert.ToInt64(a.Value, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal([0L, long.MaxValue], bytes.ConstructorArguments.Select(a => Convert.ToInt64(a.Value, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData("Move-Workload")]
    [InlineData("Start-Migration")]
    public void CmdletsThatStartMigrationsRunThemConcurrentlyWithinTheEnginesThrottle(string name)
    {
        var cmdlet = Cmdlet(name);

        // 1-64: DrainQueue.MaxThrottleLimit; given by hand only, so a Migration piped in never sets it.
        var throttle = Parameter(cmdlet, "ThrottleLimit");
        AssertRange(throttle, 1, 64);
        Assert.False(throttle.TakesPipelineInput);
    }

    [Fact]
    public void MoveWorkloadTakesSeveralDestinationsAnOrderAndLimitsPerHost()
    {
        var cmdlet = Cmdlet("Move-Workload");

        // An array, still bound by property name: a Migration's or a plan's single Destination binds to it as today.
        var destination = Parameter(cmdlet, "Destination");
        Assert.Equal("System.String[]", destination.Type.FullName);
        Assert.True(destination.HasAttribute("System.Management.Automation.ValidateNotNullOrEmptyAttribute"));
        var order = Parameter(cmdlet, "Order").Type;
        Assert.Equal("MigrationTools.Engine.Draining.DrainOrder", order.FullName);
        Assert.Equal(["SmallestFirst", "LargestFirst", "AsGiven"], order.GetFields().Where(f => f.IsStatic).Select(f => f.Name));
        AssertRange(Parameter(cmdlet, "MaxMigrationsPerHost"), 1, 64);
        Assert.True(Parameter(cmdlet, "BandwidthPerHost").HasAttribute("System.Management.Automation.ValidateNotNullOrEmptyAttribute"));
        Assert.All(["Order", "MaxMigrationsPerHost", "BandwidthPerHost", "Force"], p => Assert.False(Parameter(cmdlet, p).TakesPipelineInput, p));
        Assert.Null(Type("MigrationTools.Migration").GetProperty("ThrottleLimit"));
    }

    [Fact]
    public void AMigrationSaysWhyItsDestinationWasChosen()
    {
        var migration = Type("MigrationTools.Migration");

        Assert.Equal("String", migration.GetProperty("DestinationReason")?.PropertyType.Name);
        Assert.Equal("ReadOnlyCollection`1", migration.GetProperty("DestinationCandidates")?.PropertyType.Name);
        Assert.Equal("String", migration.GetProperty("DestinationCandidates")?.PropertyType.GetGenericArguments().Single().Name);
    }

    [Theory]
    [InlineData("Sync-Migration")]
    [InlineData("Switch-Migration")]
    [InlineData("Complete-Migration")]
    [InlineData("Undo-Migration")]
    [InlineData("Stop-Migration")]
    public void PhaseCmdletsBindTheIdAndJournalOfAMigrationByPropertyName(string name)
    {
        var cmdlet = Cmdlet(name);

        var own = name switch
        {
            "Complete-Migration" => new[] { $"KeepSourceDataset SwitchParameter {All} optional named -" },
            "Undo-Migration" => [$"KeepChanges SwitchParameter {All} optional named -"],
            _ => [],
        };
        AssertParameters(
            cmdlet,
            [
                $"AsJob SwitchParameter {All} optional named -",
                $"Id String[] {All} mandatory 0 ByPropertyName",
                $"JournalPath String {All} optional named ByPropertyName",
                $"ThrottleLimit Int32 {All} optional named -",
                .. own,
            ]);
        AssertRange(Parameter(cmdlet, "ThrottleLimit"), 1, 64);
        Assert.Equal("String", Type("MigrationTools.Migration").GetProperty("Id")?.PropertyType.Name);
        Assert.Equal("String", Type("MigrationTools.Migration").GetProperty("JournalPath")?.PropertyType.Name);
    }

    [Fact]
    public void OnlyCompleteAndUndoAskForConfirmationByDefault()
    {
        var impacts = module.Cmdlets.Where(c => c.Noun == "Migration" || c.Name == "Move-Workload")
            .ToDictionary(c => c.Name, c => c.NamedArgument("ConfirmImpact"));

        Assert.Equal(3, impacts["Complete-Migration"]);
        Assert.Equal(3, impacts["Undo-Migration"]);
        Assert.All(impacts.Where(i => i.Key is not ("Complete-Migration" or "Undo-Migration")), i => Assert.Null(i.Value));
        Assert.All(
            ["Start-Migration", "Sync-Migration", "Switch-Migration", "Complete-Migration", "Undo-Migration", "Stop-Migration", "Move-Workload"],
            n => Assert.Equal(true, Cmdlet(n).NamedArgument("SupportsShouldProcess")));
        Assert.All(["Get-Migration", "Test-Migration"], n => Assert.Null(Cmdlet(n).NamedArgument("SupportsShouldProcess")));
    }

    [Fact]
    public void GetMigrationReadsOnlyTheJournalAndFiltersByIdWorkloadAndState()
    {
        var cmdlet = Cmdlet("Get-Migration");

        AssertParameters(
            cmdlet,
            withConnection: false,
            $"Id String[] {All} optional 0 ByPropertyName",
            $"JournalPath String {All} optional named ByPropertyName",
            $"State MigrationState[] {All} optional named -",
            $"Workload String[] {All} optional 1 ByPropertyName");
        Assert.True(Parameter(cmdlet, "Workload").HasAttribute("System.Management.Automation.SupportsWildcardsAttribute"));
        Assert.False(Parameter(cmdlet, "Id").HasAttribute("System.Management.Automation.SupportsWildcardsAttribute"));
        Assert.Equal("MigrationTools.Engine.Migrations.MigrationState[]", Parameter(cmdlet, "State").Type.FullName);
        Assert.Equal("MigrationTools.Infrastructure.AsyncCmdlet", cmdlet.Type.BaseType?.FullName);
    }

    [Fact]
    public void TestMigrationWritesAPlanAndEveryOtherMigrationCmdletWritesMigrationsOrTheirJob()
    {
        Assert.Equal(["MigrationTools.MigrationPlan"], Cmdlet("Test-Migration").OutputTypeNames());
        Assert.Equal(["MigrationTools.Migration"], Cmdlet("Get-Migration").OutputTypeNames());
        foreach (var name in new[] { "Start-Migration", "Sync-Migration", "Switch-Migration", "Complete-Migration", "Undo-Migration", "Stop-Migration", "Move-Workload" })
        {
            // With -AsJob, the job that runs them.
            Assert.Equal(["MigrationTools.Migration", "MigrationTools.MigrationJob"], Cmdlet(name).OutputTypeNames());
        }
    }

    private CmdletType Cmdlet(string name) => Assert.Single(module.Cmdlets, c => c.Name == name);

    private Type Type(string fullName) => module.Assembly.GetType(fullName, throwOnError: true)!;

    private static CmdletParameter Parameter(CmdletType cmdlet, string name) =>
        Assert.Single(CmdletParameters.Of(cmdlet.Type), p => p.Name == name);

    private static void AssertRange(CmdletParameter parameter, long min, long max)
    {
        var range = parameter.Attributes.Single(a => a.AttributeType.FullName == "System.Management.Automation.ValidateRangeAttribute");
        Assert.Equal([min, max], range.ConstructorArguments.Select(a => Convert.ToInt64(a.Value, System.Globalization.CultureInfo.InvariantCulture)));
    }

    private static void AssertParameters(CmdletType cmdlet, params string[] own) => AssertParameters(cmdlet, withConnection: true, own);

    private static void AssertParameters(CmdletType cmdlet, bool withConnection, params string[] own)
    {
        var expected = own.Concat(withConnection ? ConnectionParameters : []).Order(StringComparer.Ordinal);
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
