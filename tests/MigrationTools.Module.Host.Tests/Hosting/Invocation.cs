using System.Management.Automation;

namespace MigrationTools.Module.Host.Tests.Hosting;

/// <summary>What one pipeline produced: its output, its non-terminating errors and the error that ended it, if one did.</summary>
public sealed record Invocation(IReadOnlyList<PSObject> Output, IReadOnlyList<ErrorRecord> Errors, ErrorRecord? Terminating)
{
    /// <summary>Every error, non-terminating ones first, then the one that ended the pipeline.</summary>
    public IReadOnlyList<ErrorRecord> AllErrors => Terminating is null ? Errors : [.. Errors, Terminating];

    /// <summary>The value of property <paramref name="name"/> of every output object, as PowerShell reads it.</summary>
    public IReadOnlyList<object?> Property(string name) => [.. Output.Select(o => o.Properties[name]?.Value)];
}
