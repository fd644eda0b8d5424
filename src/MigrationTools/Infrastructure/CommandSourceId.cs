using System.Management.Automation;
using System.Reflection;

namespace MigrationTools.Infrastructure;

/// <summary>
/// The id under which PowerShell hands a command's progress records to the host. The host keys its bars by it, and
/// PowerShell keeps it private to the command's runtime (a field it has had since PowerShell 2), so it is read by
/// reflection; where it is missing the answer is nothing and the host's bar stays as PowerShell leaves it.
/// </summary>
internal static class CommandSourceId
{
    private static readonly FieldInfo? SourceIdField =
        typeof(PSObject).Assembly.GetType("System.Management.Automation.MshCommandRuntime")
            ?.GetField("_sourceId", BindingFlags.Instance | BindingFlags.NonPublic);

    /// <summary>The source id of the command <paramref name="runtime"/> serves, or <see langword="null"/>.</summary>
    /// <param name="runtime">The cmdlet's CommandRuntime.</param>
    /// <returns>The id PowerShell passes to PSHostUserInterface.WriteProgress.</returns>
    public static long? Of(ICommandRuntime? runtime) =>
        runtime is not null && SourceIdField is { } field && field.DeclaringType!.IsInstanceOfType(runtime)
            ? field.GetValue(runtime) as long?
            : null;
}
