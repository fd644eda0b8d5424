using System.Management.Automation;
using MigrationTools.Infrastructure;

namespace MigrationTools.Module.Tests.Unit;

public sealed class JobInvocationTests
{
    [Fact]
    public void CarriesTheBoundParametersWithTheOverridesAndConfirmedButNotTheJobTheConfirmationOrTheCallersVariables()
    {
        var bound = new Dictionary<string, object?>
        {
            ["Id"] = new[] { "m-0123456789ab", "m-ba9876543210" },
            ["JournalPath"] = "journal",
            ["AsJob"] = new SwitchParameter(true),
            ["WhatIf"] = new SwitchParameter(false),
            ["Confirm"] = new SwitchParameter(true),
            ["ErrorVariable"] = "errors",
            ["Verbose"] = true,
        };
        var overrides = new Dictionary<string, object?> { ["Id"] = new[] { "m-ba9876543210" }, ["JournalPath"] = "/var/lib/journal", ["SshConfigFile"] = null };

        var invocation = JobInvocation.For("Sync-Migration", bound, overrides);

        Assert.Equal(["Confirm", "Id", "JournalPath", "Verbose"], invocation.Parameters.Keys.Cast<string>().Order(StringComparer.Ordinal));
        Assert.Equal(["m-ba9876543210"], (string[])invocation.Parameters["Id"]!);
        Assert.Equal("/var/lib/journal", invocation.Parameters["journalpath"]);
        Assert.IsType<SwitchParameter>(invocation.Parameters["Confirm"]);
        Assert.Equal("Sync-Migration -Confirm:$false -Id m-ba9876543210 -JournalPath /var/lib/journal -Verbose:$true", invocation.CommandLine);
    }

    [Fact]
    public void QuotesValuesThatAreNotPlainWordsAndNamesObjectsByTheirType()
    {
        var bound = new Dictionary<string, object?>
        {
            ["Name"] = "it's web",
            ["MaxSyncRounds"] = 3,
            ["Hook"] = new[] { new System.Collections.Hashtable() },
        };

        var invocation = JobInvocation.For("Move-Workload", bound, new Dictionary<string, object?>());

        Assert.Equal("Move-Workload -Confirm:$false -Hook <Hashtable[]> -MaxSyncRounds 3 -Name 'it''s web'", invocation.CommandLine);
    }
}
