using System.Globalization;
using System.Management.Automation.Host;

namespace MigrationTools.Module.Host.Tests.Hosting;

/// <summary>A PowerShell host of the tests' own, whose user interface records what the cmdlets ask and show.</summary>
public sealed class RecordingHost : PSHost
{
    private readonly Guid _instanceId = Guid.NewGuid();

    public RecordingHostUserInterface Interface { get; } = new();

    public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;

    public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;

    public override Guid InstanceId => _instanceId;

    public override string Name => "MigrationTools.Module.Host.Tests";

    public override PSHostUserInterface UI => Interface;

    public override Version Version { get; } = new(1, 0);

    public override void EnterNestedPrompt() => throw new NotSupportedException("The test host has no nested prompt.");

    public override void ExitNestedPrompt() => throw new NotSupportedException("The test host has no nested prompt.");

    public override void NotifyBeginApplication()
    {
    }

    public override void NotifyEndApplication()
    {
    }

    public override void SetShouldExit(int exitCode)
    {
    }
}
