namespace MigrationTools.Module.Tests;

/// <summary>
/// The rules every cmdlet of the module follows, checked on the built assembly without PowerShell: approved verbs,
/// naming, sealed classes, declared output, confirmation for state changes, and completion of -ComputerName.
/// </summary>
public sealed class CmdletContractTests(ModuleAssembly module) : IClassFixture<ModuleAssembly>
{
    /// <summary>PowerShell's approved verbs (Get-Verb in PowerShell 7.4), hard-coded so the test needs no PowerShell.</summary>
    public static readonly IReadOnlySet<string> ApprovedVerbs = new HashSet<string>(StringComparer.Ordinal)
    {
        // Common
        "Add", "Clear", "Close", "Copy", "Enter", "Exit", "Find", "Format", "Get", "Hide", "Join", "Lock", "Move", "New",
        "Open", "Optimize", "Pop", "Push", "Redo", "Remove", "Rename", "Reset", "Resize", "Search", "Select", "Set", "Show",
        "Skip", "Split", "Step", "Switch", "Undo", "Unlock", "Watch",
        // Communications
        "Connect", "Disconnect", "Read", "Receive", "Send", "Write",
        // Data
        "Backup", "Checkpoint", "Compare", "Compress", "Convert", "ConvertFrom", "ConvertTo", "Dismount", "Edit", "Expand",
        "Export", "Group", "Import", "Initialize", "Limit", "Merge", "Mount", "Out", "Publish", "Restore", "Save", "Sync",
        "Unpublish", "Update",
        // Diagnostic
        "Debug", "Measure", "Ping", "Repair", "Resolve", "Test", "Trace",
        // Lifecycle
        "Approve", "Assert", "Build", "Complete", "Confirm", "Deny", "Deploy", "Disable", "Enable", "Install", "Invoke",
        "Register", "Request", "Restart", "Resume", "Start", "Stop", "Submit", "Suspend", "Uninstall", "Unregister", "Wait",
        // Security
        "Block", "Grant", "Protect", "Revoke", "Unblock", "Unprotect",
        // Other
        "Use",
    };

    /// <summary>Verbs whose cmdlets change state on a host or in the journal, so -WhatIf and -Confirm must work.</summary>
    public static readonly IReadOnlySet<string> StateChangingVerbs = new HashSet<string>(StringComparer.Ordinal)
    {
        "Add", "Backup", "Block", "Checkpoint", "Clear", "Complete", "Deploy", "Disable", "Dismount", "Enable", "Grant",
        "Initialize", "Install", "Invoke", "Lock", "Mount", "Move", "New", "Protect", "Publish", "Register", "Remove",
        "Rename", "Repair", "Reset", "Restart", "Restore", "Resume", "Revoke", "Set", "Start", "Stop", "Suspend", "Switch",
        "Sync", "Unblock", "Undo", "Uninstall", "Unlock", "Unprotect", "Unpublish", "Unregister", "Update",
    };

    /// <summary>Verbs whose cmdlets destroy or discard data: they ask for confirmation by default (ConfirmImpact High).</summary>
    public static readonly IReadOnlySet<string> DestructiveVerbs = new HashSet<string>(StringComparer.Ordinal) { "Complete", "Undo" };

    private const int ConfirmImpactHigh = 3;

    [Fact]
    public void TheModuleHasTheWorkloadCmdlets()
    {
        Assert.Equal(
            ["Get-Workload", "Move-Workload", "Register-Workload", "Start-Workload", "Stop-Workload", "Unregister-Workload"],
            module.Cmdlets.Select(c => c.Name).Where(n => n.EndsWith("-Workload", StringComparison.Ordinal)));
    }

    [Fact]
    public void TheModuleHasTheMigrationCmdlets()
    {
        Assert.Equal(
            ["Complete-Migration", "Get-Migration", "Start-Migration", "Stop-Migration", "Switch-Migration", "Sync-Migration", "Test-Migration", "Undo-Migration"],
            module.Cmdlets.Select(c => c.Name).Where(n => n.EndsWith("-Migration", StringComparison.Ordinal)));
    }

    [Fact]
    public void EveryCmdletThatTakesAMigrationIdCompletesItFromTheJournalAndTakesTheJournalPath()
    {
        var withId = module.Cmdlets.Where(c => CmdletParameters.Of(c.Type).Any(p => p.Name == "Id")).ToArray();

        Assert.Equal(
            ["Complete-Migration", "Get-Migration", "Stop-Migration", "Switch-Migration", "Sync-Migration", "Undo-Migration"],
            withId.Select(c => c.Name));
        Assert.All(withId, c =>
        {
            var parameters = CmdletParameters.Of(c.Type).ToDictionary(p => p.Name);
            var completer = parameters["Id"].Attributes
                .Single(a => a.AttributeType.FullName == "System.Management.Automation.ArgumentCompleterAttribute");
            Assert.Equal("MigrationTools.Completers.MigrationIdCompleter", (completer.ConstructorArguments[0].Value as Type)?.FullName);
            Assert.Contains("JournalPath", parameters.Keys);
        });
    }

    [Fact]
    public void EveryMigrationCmdletTakesTheJournalPathFromTheMigrationsItIsGiven()
    {
        var migrationCmdlets = module.Cmdlets.Where(c => c.Noun == "Migration" || c.Name == "Move-Workload").ToArray();

        Assert.Equal(9, migrationCmdlets.Length);
        Assert.All(migrationCmdlets, c =>
        {
            var journalPath = Assert.Single(CmdletParameters.Of(c.Type), p => p.Name == "JournalPath");
            Assert.Equal("String", journalPath.Type.Name);
            Assert.All(journalPath.Sets, s => Assert.True(s.ByPropertyName, $"{c.Name} -JournalPath is not bound by property name."));
        });
    }

    [Fact]
    public void EveryPipelineBoundParameterOfAMigrationCmdletIsAPropertyOfAMigration()
    {
        // Property names match downstream parameter names: a Migration piped into any of them binds by property name.
        var migration = module.Assembly.GetType("MigrationTools.Migration", throwOnError: true)!;
        var migrationCmdlets = module.Cmdlets.Where(c => c.Noun == "Migration" || c.Name == "Move-Workload");

        Assert.All(migrationCmdlets, c => Assert.All(CmdletParameters.Of(c.Type).Where(p => p.Sets.Any(s => s.ByPropertyName)), p =>
            Assert.True(
                new[] { p.Name }.Concat(p.Aliases).Any(name => migration.GetProperty(name) is not null),
                $"{c.Name} binds -{p.Name} by property name, but a Migration has no property by that name or its aliases.")));
    }

    [Fact]
    public void EveryCmdletWithADestinationCompletesItFromSshConfig()
    {
        var withDestination = module.Cmdlets.Where(c => CmdletParameters.Of(c.Type).Any(p => p.Name == "Destination")).ToArray();

        Assert.Equal(["Move-Workload", "Start-Migration", "Test-Migration"], withDestination.Select(c => c.Name));
        Assert.All(withDestination, c =>
        {
            var completer = CmdletParameters.Of(c.Type).Single(p => p.Name == "Destination").Attributes
                .Single(a => a.AttributeType.FullName == "System.Management.Automation.ArgumentCompleterAttribute");
            Assert.Equal("MigrationTools.Completers.ComputerNameCompleter", (completer.ConstructorArguments[0].Value as Type)?.FullName);
        });
    }

    [Fact]
    public void EveryCmdletUsesAnApprovedVerb()
    {
        Assert.NotEmpty(module.Cmdlets);
        Assert.All(module.Cmdlets, c => Assert.True(ApprovedVerbs.Contains(c.Verb), $"{c.Name}: '{c.Verb}' is not an approved verb (Get-Verb)."));
    }

    [Fact]
    public void EveryCmdletIsASealedVerbNounCommandClassInItsOwnFile()
    {
        Assert.All(module.Cmdlets, c =>
        {
            Assert.True(c.Type.IsSealed, $"{c.Type.FullName} is not sealed.");
            Assert.Equal($"{c.Verb}{c.Noun}Command", c.Type.Name);
            Assert.Equal("MigrationTools.Commands", c.Type.Namespace);
            var file = Path.Combine(RepositoryLayout.Root, "src", "MigrationTools", "Cmdlets", c.Type.Name + ".cs");
            Assert.True(File.Exists(file), $"{c.Name} has no file of its own at {file}.");
        });
    }

    [Fact]
    public void EveryCmdletDeclaresItsOutputType()
    {
        Assert.All(module.Cmdlets, c =>
        {
            var outputTypes = c.OutputTypeNames();
            Assert.True(outputTypes.Count > 0, $"{c.Name} has no [OutputType].");

            // A cmdlet with -PassThru writes something when asked, so it must name what.
            if (CmdletParameters.Of(c.Type).Any(p => p.Name == "PassThru"))
            {
                Assert.DoesNotContain("System.Void", outputTypes);
            }
        });
    }

    [Fact]
    public void CmdletsThatChangeStateSupportShouldProcessAndDestructiveOnesConfirmByDefault()
    {
        Assert.Contains(module.Cmdlets, c => StateChangingVerbs.Contains(c.Verb));
        Assert.All(module.Cmdlets, c =>
        {
            var supports = c.NamedArgument("SupportsShouldProcess") is true;
            Assert.True(
                supports == StateChangingVerbs.Contains(c.Verb),
                $"{c.Name}: SupportsShouldProcess is {supports}; it must be true exactly for verbs that change state.");
            if (DestructiveVerbs.Contains(c.Verb))
            {
                Assert.Equal(ConfirmImpactHigh, c.NamedArgument("ConfirmImpact"));
            }
        });
    }

    [Fact]
    public void EveryRemoteCmdletCompletesComputerNameFromSshConfigAndTakesTheConnectionParameters()
    {
        var remote = module.Cmdlets.Where(c => CmdletParameters.Of(c.Type).Any(p => p.Name == "ComputerName")).ToArray();

        Assert.NotEmpty(remote);
        Assert.All(remote, c =>
        {
            var parameters = CmdletParameters.Of(c.Type).ToDictionary(p => p.Name);
            var completer = parameters["ComputerName"].Attributes
                .Single(a => a.AttributeType.FullName == "System.Management.Automation.ArgumentCompleterAttribute");
            Assert.Equal("MigrationTools.Completers.ComputerNameCompleter", (completer.ConstructorArguments[0].Value as Type)?.FullName);
            Assert.Superset(new HashSet<string>(["UserName", "Credential", "KeyFilePath", "SshConfigFile", "KnownHostsFile", "UseSudo", "HostHelper", "ManifestDirectory", "RuntimeDirectory"]), parameters.Keys.ToHashSet());
        });
    }

    [Fact]
    public void EveryCmdletThatRunsAMigrationPhaseTakesAsJobAndOnlyThose()
    {
        // -AsJob belongs where a phase may run for minutes: Start-Migration, Move-Workload and the phase cmdlets. Their
        // confirmation is asked before the job starts, so each of them supports ShouldProcess.
        var withAsJob = module.Cmdlets.Where(c => CmdletParameters.Of(c.Type).Any(p => p.Name == "AsJob")).Select(c => c.Name).Order(StringComparer.Ordinal);

        Assert.Equal(
            ["Complete-Migration", "Move-Workload", "Start-Migration", "Stop-Migration", "Switch-Migration", "Sync-Migration", "Undo-Migration"],
            withAsJob);
        Assert.All(withAsJob, name =>
        {
            var cmdlet = module.Cmdlets.Single(c => c.Name == name);
            var asJob = CmdletParameters.Of(cmdlet.Type).Single(p => p.Name == "AsJob");
            Assert.Equal("SwitchParameter", asJob.Type.Name);
            Assert.Equal([CmdletParameters.AllSets], asJob.Sets.Select(s => s.SetName));
            Assert.All(asJob.Sets, s => Assert.False(s.Mandatory || s.ByValue || s.ByPropertyName, $"{name} -AsJob is only ever given by hand."));
            Assert.Equal(true, cmdlet.NamedArgument("SupportsShouldProcess"));
        });
    }

    [Fact]
    public void TheJobOfAsJobIsASealedPublicJobOfTheModule()
    {
        var job = module.Assembly.GetType("MigrationTools.MigrationJob", throwOnError: true)!;

        Assert.True(job.IsPublic && job.IsSealed);
        Assert.Equal("System.Management.Automation.Job", job.BaseType?.FullName);
        Assert.Equal("MigrationJob", job.GetField("JobTypeName")?.GetRawConstantValue());
        Assert.Empty(job.GetConstructors());
    }

    [Fact]
    public void TheModuleKeepsNoMutableStaticStateSoCommandsCanRunInParallelThreadJobs()
    {
        // Thread jobs, and the jobs of -AsJob, run commands of one module in several runspaces of one process at once:
        // a static field may only hold what is fixed once initialised.
        var mutable = module.Assembly.GetTypes()
            .Where(t => !t.Name.StartsWith('<') && !t.GetCustomAttributesData().Any(a => a.AttributeType.Name == "CompilerGeneratedAttribute"))
            .SelectMany(t => t.GetFields(System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.DeclaredOnly))
            .Where(f => !f.IsLiteral && !f.IsInitOnly && !f.Name.StartsWith('<'))
            .Select(f => $"{f.DeclaringType!.FullName}.{f.Name}");

        Assert.Empty(mutable);
    }

    [Fact]
    public void NoParameterShadowsACommonParameter()
    {
        var reserved = CmdletParameters.CommonParameters.Concat(["WhatIf", "Confirm"]).ToHashSet(StringComparer.OrdinalIgnoreCase);

        Assert.All(module.Cmdlets, c => Assert.All(CmdletParameters.Of(c.Type), p =>
        {
            Assert.DoesNotContain(p.Name, reserved);
            Assert.All(p.Aliases, alias => Assert.DoesNotContain(alias, reserved));
        }));
    }
}
