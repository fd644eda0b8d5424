using System.Collections;
using System.Management.Automation;
using System.Security;
using MigrationTools.Module.Host.Tests.Fixtures;

namespace MigrationTools.Module.Host.Tests.Errors;

/// <summary>
/// The errors every cmdlet reports for bad input before it reaches a host: their FullyQualifiedErrorId (an ErrorIds
/// constant and the cmdlet's class), category and target, and whether they end the command.
/// </summary>
public sealed class InputErrorTests(SessionFixture fixture) : IClassFixture<SessionFixture>
{
    private const string Computer = UnreachableHosts.Refusing;
    private const string NotAComputer = "-oProxyCommand=touch /tmp/x";

    public static TheoryData<string, string> ConnectionFaults()
    {
        var data = new TheoryData<string, string>();
        foreach (var command in CmdletCalls.RemoteCmdlets)
        {
            foreach (var fault in new[] { ErrorIds.KeyFileNotFound, ErrorIds.SshConfigFileNotFound, ErrorIds.ConflictingUserName, ErrorIds.InvalidConnectionOption })
            {
                data.Add(command, fault);
            }
        }

        return data;
    }

    public static TheoryData<string> RemoteCmdlets => CmdletCalls.Of(CmdletCalls.RemoteCmdlets);

    public static TheoryData<string> ComputerNameCmdlets => CmdletCalls.Of(["Get-Workload", "Register-Workload", .. CmdletCalls.WorkloadCmdlets, .. CmdletCalls.RequestCmdlets]);

    public static TheoryData<string> NamedWorkloadCmdlets => CmdletCalls.Of(["Register-Workload", .. CmdletCalls.WorkloadCmdlets, .. CmdletCalls.RequestCmdlets]);

    public static TheoryData<string> RequestCmdlets => CmdletCalls.Of(CmdletCalls.RequestCmdlets);

    [Theory]
    [MemberData(nameof(ConnectionFaults))]
    public void AConnectionParameterThatCannotBeUsedEndsTheCommand(string command, string errorId)
    {
        var parameters = Parameters(command);
        object target;
        switch (errorId)
        {
            case ErrorIds.KeyFileNotFound:
                target = parameters["KeyFilePath"] = Path.Combine(fixture.Hosts.Directory, "no-such-key");
                break;
            case ErrorIds.SshConfigFileNotFound:
                target = parameters["SshConfigFile"] = Path.Combine(fixture.Hosts.Directory, "no-such-config");
                break;
            case ErrorIds.ConflictingUserName:
                parameters["UserName"] = "root";
                parameters["Credential"] = new PSCredential("deploy", new SecureString());
                target = "deploy";
                break;
            default:
                target = parameters["UserName"] = "root;reboot";
                break;
        }

        var result = Run(command, parameters);

        Assert.Empty(result.Errors);
        Assert.NotNull(result.Terminating);
        ErrorAssert.Matches(fixture.Session, result.Terminating, errorId, command, ErrorCategory.InvalidArgument, target);
    }

    [Theory]
    [MemberData(nameof(RemoteCmdlets))]
    public void ARelativeHostHelperPathIsInvalidConnectionOptionAndNoHostIsReached(string command)
    {
        var parameters = Parameters(command);
        parameters["HostHelper"] = "mt-host";

        var result = Run(command, parameters);

        // Reaching the refusing host would have reported ConnectionFailed: the command ends before any host is tried.
        Assert.Empty(result.Errors);
        Assert.NotNull(result.Terminating);
        ErrorAssert.Matches(fixture.Session, result.Terminating, ErrorIds.InvalidConnectionOption, command, ErrorCategory.InvalidArgument, "mt-host");
        Assert.StartsWith("-HostHelper:", result.Terminating.Exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ComputerNameCmdlets))]
    public void AComputerNameSshWouldReadAsAnOptionIsInvalidComputerName(string command)
    {
        var parameters = Parameters(command);
        parameters["ComputerName"] = NotAComputer;

        var result = Run(command, parameters);

        // Get-Workload names the host; the cmdlets that act on one workload name the workload on it.
        var target = command == "Get-Workload" ? NotAComputer : $"web on {NotAComputer}";
        Assert.Null(result.Terminating);
        ErrorAssert.Single(fixture.Session, result, ErrorIds.InvalidComputerName, command, ErrorCategory.InvalidArgument, target);
    }

    [Theory]
    [MemberData(nameof(RequestCmdlets))]
    public void ADestinationSshWouldReadAsAnOptionIsInvalidComputerName(string command)
    {
        var parameters = Parameters(command);
        parameters["Destination"] = NotAComputer;

        var result = Run(command, parameters);

        ErrorAssert.Single(fixture.Session, result, ErrorIds.InvalidComputerName, command, ErrorCategory.InvalidArgument, $"web on {Computer}");
    }

    [Theory]
    [MemberData(nameof(NamedWorkloadCmdlets))]
    public void AWorkloadNameWithASpaceIsInvalidWorkloadName(string command)
    {
        var parameters = Parameters(command);
        parameters["Name"] = "bad name";

        var result = Run(command, parameters);

        ErrorAssert.Single(fixture.Session, result, ErrorIds.InvalidWorkloadName, command, ErrorCategory.InvalidArgument, $"bad name on {Computer}");
    }

    [Theory]
    [MemberData(nameof(RequestCmdlets))]
    public void ABandwidthLimitThatIsNoRateIsInvalidBandwidthLimit(string command)
    {
        var parameters = Parameters(command);
        parameters["BandwidthLimit"] = "fast";

        var result = Run(command, parameters);

        ErrorAssert.Single(fixture.Session, result, ErrorIds.InvalidBandwidthLimit, command, ErrorCategory.InvalidArgument, $"web on {Computer}");
    }

    [Theory]
    [MemberData(nameof(RequestCmdlets))]
    public void AHookOfAnUnknownStageEndsTheCommandWithInvalidCutoverHook(string command)
    {
        var parameters = Parameters(command);
        parameters["Hook"] = new[] { new Hashtable { ["Stage"] = "Sometime", ["Command"] = "true" } };

        var result = Run(command, parameters);

        Assert.Empty(result.Errors);
        Assert.NotNull(result.Terminating);
        ErrorAssert.Matches(fixture.Session, result.Terminating, ErrorIds.InvalidCutoverHook, command, ErrorCategory.InvalidArgument, "Sometime");
    }

    [Fact]
    public void RegisterWorkloadReportsADatasetNameWithASpaceAsInvalidDatasetName()
    {
        var parameters = Parameters("Register-Workload");
        parameters["Dataset"] = new[] { "tank/bad name" };

        var result = Run("Register-Workload", parameters);

        ErrorAssert.Single(fixture.Session, result, ErrorIds.InvalidDatasetName, "Register-Workload", ErrorCategory.InvalidArgument, $"web on {Computer}");
    }

    [Fact]
    public void RegisterWorkloadReportsARelativeWorkingDirectoryAsInvalidWorkloadDefinition()
    {
        var parameters = Parameters("Register-Workload");
        parameters["WorkingDirectory"] = "relative/dir";

        var result = Run("Register-Workload", parameters);

        ErrorAssert.Single(fixture.Session, result, ErrorIds.InvalidWorkloadDefinition, "Register-Workload", ErrorCategory.InvalidArgument, $"web on {Computer}");
    }

    [Fact]
    public void StopWorkloadReportsEachBadInputOfAPipelineAndGoesOn()
    {
        var result = fixture.Session.Script(
            "param($Config) @([pscustomobject]@{ ComputerName = 'h1'; Name = 'bad name' }, [pscustomobject]@{ ComputerName = 'h1'; Name = 'also bad!' }) | " +
            "Stop-Workload -SshConfigFile $Config -Confirm:$false",
            new Hashtable { ["Config"] = fixture.Hosts.ConfigPath });

        Assert.Null(result.Terminating);
        Assert.Equal(2, result.Errors.Count);
        ErrorAssert.Matches(fixture.Session, result.Errors[0], ErrorIds.InvalidWorkloadName, "Stop-Workload", ErrorCategory.InvalidArgument, "bad name on h1");
        ErrorAssert.Matches(fixture.Session, result.Errors[1], ErrorIds.InvalidWorkloadName, "Stop-Workload", ErrorCategory.InvalidArgument, "also bad! on h1");
    }

    private Hashtable Parameters(string command) =>
        CmdletCalls.Parameters(fixture.Session, command, Computer, Path.Combine(fixture.Hosts.Directory, "journal"), fixture.Hosts.ConfigPath);

    private Hosting.Invocation Run(string command, Hashtable parameters) =>
        fixture.Session.Run(ps => ps.AddCommand(command).AddParameters(parameters));
}
