using System.Collections;
using MigrationTools.Module.Host.Tests.Hosting;

namespace MigrationTools.Module.Host.Tests.Fixtures;

/// <summary>The module's cmdlets by family, and the smallest valid set of parameters each needs.</summary>
internal static class CmdletCalls
{
    public const string SomeMigrationId = "m-0123456789ab";

    public static readonly string[] WorkloadCmdlets = ["Start-Workload", "Stop-Workload", "Unregister-Workload"];

    public static readonly string[] RequestCmdlets = ["Test-Migration", "Start-Migration", "Move-Workload"];

    public static readonly string[] PhaseCmdlets = ["Sync-Migration", "Switch-Migration", "Complete-Migration", "Undo-Migration", "Stop-Migration"];

    /// <summary>Every cmdlet that reaches hosts (all but Get-Migration).</summary>
    public static readonly string[] RemoteCmdlets =
        ["Get-Workload", "Register-Workload", .. WorkloadCmdlets, .. RequestCmdlets, .. PhaseCmdlets];

    public static TheoryData<string> Of(params string[] commands)
    {
        var data = new TheoryData<string>();
        foreach (var command in commands)
        {
            data.Add(command);
        }

        return data;
    }

    /// <summary>
    /// Parameters that make a valid call of <paramref name="command"/> against <paramref name="computer"/>, never
    /// confirming (for the cmdlets that can ask).
    /// </summary>
    public static Hashtable Parameters(ModuleSession session, string command, string computer, string journal, string sshConfig)
    {
        Hashtable parameters = command switch
        {
            "Get-Workload" => new() { ["ComputerName"] = computer },
            "Register-Workload" => new() { ["ComputerName"] = computer, ["Name"] = "web", ["Dataset"] = Array.Empty<string>(), ["Command"] = new[] { "true" } },
            _ when WorkloadCmdlets.Contains(command) => new() { ["ComputerName"] = computer, ["Name"] = "web" },
            _ when RequestCmdlets.Contains(command) => new() { ["ComputerName"] = computer, ["Name"] = "web", ["Destination"] = UnreachableHosts.AlsoRefusing, ["JournalPath"] = journal },
            _ when PhaseCmdlets.Contains(command) => new() { ["Id"] = SomeMigrationId, ["JournalPath"] = journal },
            _ => throw new ArgumentException($"No parameters known for {command}.", nameof(command)),
        };
        parameters["SshConfigFile"] = sshConfig;
        if (session.Module.ExportedCmdlets[command].Parameters.ContainsKey("Confirm"))
        {
            parameters["Confirm"] = false;
        }

        return parameters;
    }
}
