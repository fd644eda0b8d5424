using System.Diagnostics.CodeAnalysis;

namespace MigrationTools.Module.Host.Tests.Fixtures;

/// <summary>
/// Tests that read the binder's trace run alone: the ParameterBinding trace source is the process's, so a command of
/// another test's runspace would write its bindings into the same host.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
[SuppressMessage("Naming", "CA1711", Justification = "It is an xunit test collection.")]
public sealed class BindingTraceCollection
{
    public const string Name = "Binding trace";
}
