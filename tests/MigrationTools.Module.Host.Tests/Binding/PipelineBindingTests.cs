using System.Collections;
using System.Management.Automation;
using MigrationTools.Module.Host.Tests.Fixtures;
using MigrationTools.Module.Host.Tests.Hosting;

namespace MigrationTools.Module.Host.Tests.Binding;

/// <summary>
/// Binding by property name between the cmdlets that chain, with the module's own output objects: Migration objects
/// from Get-Migration (a journal of the test's own), MigrationPlan objects from Test-Migration and Workload objects,
/// into -WhatIf runs or runs against unreachable hosts, so no host is needed. The bound values are read from the
/// what-if text, the output or the binder's trace.
/// </summary>
[Collection(BindingTraceCollection.Name)]
public sealed class PipelineBindingTests : IDisposable
{
    private const string Source = UnreachableHosts.Refusing;
    private const string Destination = UnreachableHosts.AlsoRefusing;

    private readonly UnreachableHosts _hosts = new();
    private readonly ModuleSession _session = new();
    private readonly TestJournal _journal;
    private readonly string _begun = NewId();
    private readonly string _synced = NewId();
    private readonly string _switched = NewId();
    private readonly string _aborted = NewId();
    private readonly string _addressed = NewId();

    public PipelineBindingTests()
    {
        _journal = new TestJournal(_session);
        _journal.Add(_begun, "api", Source, Destination, ["Begun"]);
        _journal.Add(_synced, "web", Source, Destination, ["Begun", "Synced"], direct: true, compression: "Zstd", bandwidthLimit: "50M", releaseSourceBeforeRestore: true, memoryTransfer: "PostCopy");
        _journal.Add(_switched, "db", Source, Destination, ["Begun", "Synced", "Switching", "Switched"]);
        _journal.Add(_aborted, "mail", Source, Destination, ["Begun", "Aborted"]);
        _journal.Add(_addressed, "proxy", Source, Destination, ["Begun", "Synced", "Switching", "Switched", "Completed"], serviceAddresses: ["10.0.0.80/24@eth0", "FD00::80/64@br0"]);
        _session.UI.Clear();
    }

    public void Dispose()
    {
        _journal.Dispose();
        _session.Dispose();
        _hosts.Dispose();
    }

    [Theory]
    [InlineData("Sync-Migration", "Begun,Synced")]
    [InlineData("Switch-Migration", "Synced")]
    [InlineData("Complete-Migration", "Switched")]
    [InlineData("Undo-Migration", "Switched")]
    [InlineData("Stop-Migration", "Begun,Synced")]
    public void GetMigrationOfAStateBindsTheIdAndJournalOfEachMigrationToAPhaseCmdlet(string command, string states)
    {
        var expected = states.Split(',').Select(IdIn).ToArray();

        var (result, bindings) = BindingTrace.Run(
            _session, command, $"Get-Migration -JournalPath $Journal -State $States | {command} -WhatIf",
            new Hashtable { ["Journal"] = _journal.Directory, ["States"] = states.Split(',') });

        // Without -JournalPath of its own, a phase cmdlet finds the migration only in the journal bound from the object.
        Assert.Empty(result.AllErrors);
        // The trace shows an array's type, not its elements; the what-if text below names the ids.
        Assert.Equal(expected.Length, bindings.Count);
        Assert.All(bindings, b => Assert.True(b.ContainsKey("Id")));
        Assert.All(bindings, b => Assert.Equal(_journal.Directory, b["JournalPath"]));
        var whatIf = _session.UI.Lines.Where(l => l.StartsWith("What if: ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(expected.Length, whatIf.Length);
        Assert.All(expected.Zip(whatIf), pair => Assert.Contains($"migration {pair.First} (", pair.Second, StringComparison.Ordinal));
    }

    [Fact]
    public void GetMigrationBindsTheIdWorkloadAndJournalOfAMigrationToGetMigration()
    {
        var (result, bindings) = BindingTrace.Run(
            _session, "Get-Migration", "Get-Migration -JournalPath $Journal -Id $Id | Get-Migration",
            new Hashtable { ["Journal"] = _journal.Directory, ["Id"] = _synced });

        Assert.Empty(result.AllErrors);
        Assert.Equal([_synced], result.Property("Id"));
        var binding = Assert.Single(bindings);
        Assert.True(binding.ContainsKey("Id"));
        Assert.True(binding.ContainsKey("Workload"));
        Assert.Equal(_journal.Directory, binding["JournalPath"]);
    }

    [Theory]
    [InlineData("Start-Migration")]
    [InlineData("Move-Workload")]
    public void AMigrationBindsItsWorkloadHostsSettingsAndJournalToStartingAnother(string command)
    {
        var (result, bindings) = BindingTrace.Run(
            _session, command, $"Get-Migration -JournalPath $Journal -Id $Id | {command} -SshConfigFile $Config -WhatIf",
            new Hashtable { ["Journal"] = _journal.Directory, ["Id"] = _synced, ["Config"] = _hosts.ConfigPath });

        Assert.Empty(result.AllErrors);
        var binding = Assert.Single(bindings);
        Assert.Equal(Source, binding["ComputerName"]);
        Assert.Equal("web", binding["Name"]);
        // Move-Workload takes several destinations: the trace shows the array's type, the what-if text below its value.
        Assert.Equal(command == "Move-Workload" ? "System.String[]" : Destination, binding["Destination"]);
        Assert.Equal("True", binding["Direct"]);
        Assert.Equal("Zstd", binding["Compression"]);
        Assert.Equal("50M", binding["BandwidthLimit"]);
        Assert.Equal("True", binding["ReleaseSourceBeforeRestore"]);
        Assert.Equal("PostCopy", binding["MemoryTransfer"]);
        Assert.Equal(_journal.Directory, binding["JournalPath"]);
        var whatIf = Assert.Single(_session.UI.Lines, l => l.StartsWith("What if: ", StringComparison.Ordinal));
        Assert.Contains($"on target \"web on {Source}\"", whatIf, StringComparison.Ordinal);
        Assert.Contains("sent directly, compression Zstd, at most 50M/s, memory by PostCopy", whatIf, StringComparison.Ordinal);
        Assert.Contains($" to {Destination}: ", whatIf, StringComparison.Ordinal);
        Assert.DoesNotContain("Chosen among", whatIf, StringComparison.Ordinal);
    }

    [Fact]
    public void AMigrationShowsItsServiceAddressesInCanonicalTextAndTheListViewShowsThem()
    {
        var result = _session.Script(
            "param($Journal, $Id) $m = Get-Migration -JournalPath $Journal -Id $Id; $m; $m | Format-List | Out-String -Width 120",
            new Hashtable { ["Journal"] = _journal.Directory, ["Id"] = _addressed });

        Assert.Empty(result.AllErrors);
        var migration = Assert.Single(result.Output, IsMigration);
        Assert.Equal(["10.0.0.80/24@eth0", "fd00::80/64@br0"], Strings(migration.Properties["ServiceAddresses"].Value));
        var text = Assert.Single(result.Output, o => o.BaseObject is string).BaseObject.ToString();
        // One address a line, so that none is cut in two at the console's edge.
        Assert.Matches(@"(?m)^ServiceAddresses\s*: 10\.0\.0\.80/24@eth0\r?\n\s+fd00::80/64@br0\s*$", text);
    }

    [Fact]
    public void AMigrationWithoutServiceAddressesListsNoneAndItsListViewLeavesThemOut()
    {
        var result = _session.Script(
            "param($Journal, $Id) $m = Get-Migration -JournalPath $Journal -Id $Id; $m; $m | Format-List | Out-String -Width 120",
            new Hashtable { ["Journal"] = _journal.Directory, ["Id"] = _synced });

        Assert.Empty(result.AllErrors);
        Assert.Empty(Strings(Assert.Single(result.Output, IsMigration).Properties["ServiceAddresses"].Value));
        Assert.DoesNotContain("ServiceAddresses", Assert.Single(result.Output, o => o.BaseObject is string).BaseObject.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Start-Migration")]
    [InlineData("Move-Workload")]
    public void AMigrationsServiceAddressesBindToNothingWhenItIsStartedAgain(string command)
    {
        // The addresses are the workload's, read from its manifest as the migration begins; none is a setting to carry over.
        var (result, bindings) = BindingTrace.Run(
            _session, command, $"Get-Migration -JournalPath $Journal -Id $Id | {command} -SshConfigFile $Config -WhatIf",
            new Hashtable { ["Journal"] = _journal.Directory, ["Id"] = _addressed, ["Config"] = _hosts.ConfigPath });

        Assert.Empty(result.AllErrors);
        var binding = Assert.Single(bindings);
        Assert.Equal("proxy", binding["Name"]);
        Assert.DoesNotContain(binding.Keys, k => k.StartsWith("ServiceAddress", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void AMigrationBindsToTestMigrationWhosePlanCarriesEveryBoundSetting()
    {
        var result = _session.Script(
            "param($Journal, $Id, $Config) Get-Migration -JournalPath $Journal -Id $Id | Test-Migration -SshConfigFile $Config",
            new Hashtable { ["Journal"] = _journal.Directory, ["Id"] = _synced, ["Config"] = _hosts.ConfigPath });

        Assert.Empty(result.AllErrors);
        var plan = Assert.Single(result.Output);
        Assert.Equal("web", plan.Properties["Workload"].Value);
        Assert.Equal(Source, plan.Properties["Source"].Value);
        Assert.Equal(Destination, plan.Properties["Destination"].Value);
        Assert.Equal(true, plan.Properties["Direct"].Value);
        Assert.Equal("Zstd", plan.Properties["Compression"].Value);
        Assert.Equal("50M", plan.Properties["BandwidthLimit"].Value);
        Assert.Equal(true, plan.Properties["ReleaseSourceBeforeRestore"].Value);
        Assert.Equal("PostCopy", plan.Properties["MemoryTransfer"].Value);
    }

    [Theory]
    [InlineData("Start-Migration")]
    [InlineData("Move-Workload")]
    public void APlanOfTestMigrationBindsToStartingTheMigration(string command)
    {
        var (result, bindings) = BindingTrace.Run(
            _session, command,
            "Test-Migration -SshConfigFile $Config -ComputerName $Source -Name cache -Destination $Destination -Direct -Compression Lz4 -BandwidthLimit 20M -TcpEstablished -FileLocks -MemoryTransfer StopAndCopy | " +
            $"{command} -SshConfigFile $Config -JournalPath $Journal -WhatIf",
            new Hashtable { ["Config"] = _hosts.ConfigPath, ["Source"] = Source, ["Destination"] = Destination, ["Journal"] = _journal.Directory });

        // The live plan binds whole, by value, to -Plan (its settings travel in it), not property by property.
        Assert.Empty(result.AllErrors);
        var binding = Assert.Single(bindings);
        Assert.True(binding.ContainsKey("Plan"), $"Bound: {string.Join(", ", binding.Keys)}");
        Assert.False(binding.ContainsKey("ComputerName"), $"Bound: {string.Join(", ", binding.Keys)}");
        Assert.Contains(_session.UI.Lines, l => l.StartsWith("What if: ", StringComparison.Ordinal) &&
            l.Contains("cache on " + Source, StringComparison.Ordinal) && l.Contains("compression Lz4, at most 20M/s, memory by StopAndCopy", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Start-Migration")]
    [InlineData("Move-Workload")]
    public void APlanReadBackFromItsJsonBindsTheMemoryTransferItWasTestedWith(string command)
    {
        var (result, bindings) = BindingTrace.Run(
            _session, command,
            "Test-Migration -SshConfigFile $Config -ComputerName $Source -Name cache -Destination $Destination -MemoryTransfer PreCopy | " +
            $"ConvertTo-Json -Depth 3 | ConvertFrom-Json | {command} -SshConfigFile $Config -JournalPath $Journal -WhatIf",
            new Hashtable { ["Config"] = _hosts.ConfigPath, ["Source"] = Source, ["Destination"] = Destination, ["Journal"] = _journal.Directory });

        // The manifest's MemoryTransfer is the setting asked for (not the method it came to), so it binds as asked.
        Assert.Empty(result.AllErrors);
        var binding = Assert.Single(bindings);
        Assert.Equal("cache", binding["Name"]);
        Assert.Equal("PreCopy", binding["MemoryTransfer"]);
        Assert.Contains(_session.UI.Lines, l => l.StartsWith("What if: ", StringComparison.Ordinal) &&
            l.Contains("cache on " + Source, StringComparison.Ordinal) && l.Contains("memory by PreCopy", StringComparison.Ordinal));
    }

    [Fact]
    public void AnUnknownMemoryTransferIsRefusedBeforeAnyHostIsAsked()
    {
        var result = _session.Script(
            "param($Config, $Source, $Destination) Test-Migration -SshConfigFile $Config -ComputerName $Source -Name cache -Destination $Destination -MemoryTransfer Lazy",
            new Hashtable { ["Config"] = _hosts.ConfigPath, ["Source"] = Source, ["Destination"] = Destination });

        var error = Assert.Single(result.AllErrors);
        Assert.Equal("CannotConvertArgumentNoMessage,MigrationTools.Commands.TestMigrationCommand", error.FullyQualifiedErrorId);
        Assert.Contains("Auto", error.Exception.Message, StringComparison.Ordinal);
        Assert.Contains("StopAndCopy", error.Exception.Message, StringComparison.Ordinal);
        Assert.Empty(result.Output);
    }

    [Theory]
    [InlineData("Start-Workload")]
    [InlineData("Stop-Workload")]
    [InlineData("Unregister-Workload")]
    public void AWorkloadBindsItsHostAndNameToAWorkloadCmdlet(string command)
    {
        var result = _session.Script(
            WorkloadParameters + WorkloadScript + $" | {command} -SshConfigFile $Config -Confirm:$false",
            new Hashtable { ["Computer"] = Source, ["Name"] = "web", ["Config"] = _hosts.ConfigPath });

        // The host is unreachable: the error names the workload and host bound from the object.
        ErrorAssert.Single(_session, result, ErrorIds.ConnectionFailed, command, ErrorCategory.ConnectionError, $"web on {Source}");
    }

    [Fact]
    public void AWorkloadBindsItsHostAndNameToGetWorkload()
    {
        var (result, bindings) = BindingTrace.Run(
            _session, "Get-Workload", WorkloadScript + " | Get-Workload -SshConfigFile $Config",
            new Hashtable { ["Computer"] = Source, ["Name"] = "web", ["Config"] = _hosts.ConfigPath });

        // (It also reports the name as not found, see HostAndJournalErrorTests.)
        ErrorAssert.Matches(_session, result.Errors[0], ErrorIds.ConnectionFailed, "Get-Workload", ErrorCategory.ConnectionError, Source);
        // Both are arrays, which the trace shows by type; the error's target shows the host's value.
        var binding = Assert.Single(bindings);
        Assert.True(binding.ContainsKey("ComputerName"));
        Assert.True(binding.ContainsKey("Name"));
    }

    [Theory]
    [InlineData("Start-Migration")]
    [InlineData("Move-Workload")]
    public void AWorkloadBindsToStartingItsMigrationWithADestinationGiven(string command)
    {
        var result = _session.Script(
            WorkloadParameters + WorkloadScript + $" | {command} -Destination $Destination -SshConfigFile $Config -JournalPath $Journal -WhatIf",
            new Hashtable { ["Computer"] = Source, ["Name"] = "web", ["Destination"] = Destination, ["Config"] = _hosts.ConfigPath, ["Journal"] = _journal.Directory });

        Assert.Empty(result.AllErrors);
        var whatIf = Assert.Single(_session.UI.Lines, l => l.StartsWith("What if: ", StringComparison.Ordinal));
        Assert.Contains($"on target \"web on {Source}\"", whatIf, StringComparison.Ordinal);
        Assert.Contains(Destination, whatIf, StringComparison.Ordinal);
    }

    [Fact]
    public void AWorkloadBindsToTestMigration()
    {
        var result = _session.Script(
            WorkloadParameters + WorkloadScript + " | Test-Migration -Destination $Destination -SshConfigFile $Config -JournalPath $Journal",
            new Hashtable { ["Computer"] = Source, ["Name"] = "web", ["Destination"] = Destination, ["Config"] = _hosts.ConfigPath, ["Journal"] = _journal.Directory });

        Assert.Empty(result.AllErrors);
        var plan = Assert.Single(result.Output);
        Assert.Equal("web", plan.Properties["Workload"].Value);
        Assert.Equal(Source, plan.Properties["Source"].Value);
    }

    /// <summary>
    /// A Workload object as Get-Workload writes it, made from the engine's types ($Computer, $Name); its constructor is
    /// internal, so it is called through reflection.
    /// </summary>
    private const string WorkloadScript = """
        $workloadName = [MigrationTools.Engine.Workloads.WorkloadName]::Parse($Name)
        $manifest = [MigrationTools.Engine.Workloads.WorkloadManifest]::new(
            $workloadName, [MigrationTools.Engine.Zfs.DatasetName[]]@(), [string[]]@('true'), [MigrationTools.Engine.Workloads.CheckpointMode]::Criu)
        $status = [MigrationTools.Engine.Workloads.WorkloadStatus]::new($workloadName, [MigrationTools.Engine.Workloads.WorkloadState]::Stopped, $null)
        $summary = [MigrationTools.Engine.Workloads.WorkloadSummary]::new($Computer, $manifest, $status, [MigrationTools.Engine.Workloads.WorkloadDatasetUsage[]]@())
        $constructor = [MigrationTools.Workload].GetConstructors([System.Reflection.BindingFlags]'NonPublic,Instance')[0]
        $constructor.Invoke(@($summary, [MigrationTools.Engine.Workloads.WorkloadPaths]::Default))
        """;

    private const string WorkloadParameters = "param($Computer, $Name, $Config, $Destination, $Journal)\n";

    private static bool IsMigration(PSObject o) => o.BaseObject.GetType().FullName == "MigrationTools.Migration";

    private static string[] Strings(object? values) => [.. ((IEnumerable)values!).Cast<object>().Select(v => (string)v)];

    private static string NewId() => "m-" + Guid.NewGuid().ToString("N")[..12];

    private string IdIn(string state) => state switch
    {
        "Begun" => _begun,
        "Synced" => _synced,
        "Switched" => _switched,
        _ => _aborted,
    };
}
