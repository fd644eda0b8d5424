using System.Management.Automation;
using MigrationTools.Module.Host.Tests.Hosting;

namespace MigrationTools.Module.Host.Tests.Fixtures;

/// <summary>Checks an error record the way scripts see it: its FullyQualifiedErrorId, category and target.</summary>
internal static class ErrorAssert
{
    /// <summary>The FullyQualifiedErrorId PowerShell gives <paramref name="errorId"/> written by <paramref name="command"/>.</summary>
    public static string QualifiedId(ModuleSession session, string errorId, string command) =>
        $"{errorId},{session.Module.ExportedCmdlets[command].ImplementingType.FullName}";

    public static void Matches(
        ModuleSession session, ErrorRecord error, string errorId, string command, ErrorCategory category, object? target)
    {
        Assert.Equal(QualifiedId(session, errorId, command), error.FullyQualifiedErrorId);
        Assert.Equal(category, error.CategoryInfo.Category);
        Assert.Equal(target, error.TargetObject is PSObject wrapped ? wrapped.BaseObject : error.TargetObject);
    }

    /// <summary>The single error of <paramref name="invocation"/>, checked.</summary>
    public static ErrorRecord Single(
        ModuleSession session, Invocation invocation, string errorId, string command, ErrorCategory category, object? target)
    {
        var error = Assert.Single(invocation.AllErrors);
        Matches(session, error, errorId, command, category, target);
        return error;
    }

    /// <summary>Checks an error whose target is the module's Migration object for <paramref name="migrationId"/>.</summary>
    public static void MatchesMigration(
        ModuleSession session, ErrorRecord error, string errorId, string command, ErrorCategory category, string migrationId)
    {
        Assert.Equal(QualifiedId(session, errorId, command), error.FullyQualifiedErrorId);
        Assert.Equal(category, error.CategoryInfo.Category);
        var target = PSObject.AsPSObject(error.TargetObject);
        Assert.Equal("MigrationTools.Migration", target.BaseObject.GetType().FullName);
        Assert.Equal(migrationId, target.Properties["Id"].Value);
    }
}
