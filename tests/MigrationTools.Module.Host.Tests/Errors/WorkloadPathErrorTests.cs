using System.Collections;
using System.Management.Automation;
using MigrationTools.Module.Host.Tests.Fixtures;

namespace MigrationTools.Module.Host.Tests.Errors;

/// <summary>
/// -ManifestDirectory and -RuntimeDirectory as a script sees them: on every cmdlet that reaches hosts, a directory the
/// engine's rule refuses ends the command with InvalidWorkloadPath naming the parameter; a good one is used.
/// </summary>
public sealed class WorkloadPathErrorTests(SessionFixture fixture) : IClassFixture<SessionFixture>
{
    private const string Computer = UnreachableHosts.Refusing;

    public static TheoryData<string, string, string, string> BadDirectories()
    {
        var data = new TheoryData<string, string, string, string>();
        foreach (var command in CmdletCalls.RemoteCmdlets)
        {
            data.Add(command, "ManifestDirectory", "relative/dir", "-ManifestDirectory: The manifest directory 'relative/dir' is not an absolute path");
            data.Add(command, "RuntimeDirectory", "/run/../etc", "-RuntimeDirectory: The runtime directory '/run/../etc' has a '..' component");
        }

        return data;
    }

    public static TheoryData<string> WorkloadCmdlets => CmdletCalls.Of(["Register-Workload", .. CmdletCalls.WorkloadCmdlets]);

    [Theory]
    [MemberData(nameof(BadDirectories))]
    public void ADirectoryTheEngineRefusesEndsTheCommandNamingTheParameter(string command, string parameter, string value, string message)
    {
        var parameters = Parameters(command);
        parameters[parameter] = value;

        var result = Run(command, parameters);

        Assert.Empty(result.Errors);
        Assert.NotNull(result.Terminating);
        ErrorAssert.Matches(fixture.Session, result.Terminating, ErrorIds.InvalidWorkloadPath, command, ErrorCategory.InvalidArgument, value);
        Assert.Equal(parameter, Assert.IsAssignableFrom<ArgumentException>(result.Terminating.Exception).ParamName);
        Assert.StartsWith(message, result.Terminating.Exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(WorkloadCmdlets))]
    public void GoodDirectoriesGetPastTheChecksToTheHost(string command)
    {
        var parameters = Parameters(command);
        parameters["ManifestDirectory"] = "/srv/mt/manifests";
        parameters["RuntimeDirectory"] = "/run/mt";

        var result = Run(command, parameters);

        // The only error is the host's: nothing was refused on the way there.
        ErrorAssert.Single(fixture.Session, result, ErrorIds.ConnectionFailed, command, ErrorCategory.ConnectionError, $"web on {Computer}");
    }

    [Fact]
    public void RegisterWorkloadWritesTheManifestIntoTheGivenDirectory()
    {
        var parameters = Parameters("Register-Workload");
        parameters.Remove("Confirm");
        parameters["WhatIf"] = true;
        parameters["ManifestDirectory"] = "/srv/mt/manifests/";
        fixture.Session.UI.Clear();

        var result = Run("Register-Workload", parameters);

        Assert.Empty(result.AllErrors);
        var line = Assert.Single(fixture.Session.UI.Lines, l => l.StartsWith("What if: ", StringComparison.Ordinal));
        Assert.Contains("(/srv/mt/manifests/web.json)", line, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutTheParametersTheManifestGoesIntoTheDefaultDirectory()
    {
        var parameters = Parameters("Register-Workload");
        parameters.Remove("Confirm");
        parameters["WhatIf"] = true;
        fixture.Session.UI.Clear();

        Run("Register-Workload", parameters);

        var line = Assert.Single(fixture.Session.UI.Lines, l => l.StartsWith("What if: ", StringComparison.Ordinal));
        Assert.Contains("(/etc/migrationtools/workloads/web.json)", line, StringComparison.Ordinal);
    }

    private Hashtable Parameters(string command) =>
        CmdletCalls.Parameters(fixture.Session, command, Computer, Path.Combine(fixture.Hosts.Directory, "journal"), fixture.Hosts.ConfigPath);

    private Hosting.Invocation Run(string command, Hashtable parameters) =>
        fixture.Session.Run(ps => ps.AddCommand(command).AddParameters(parameters));
}
