using MigrationTools.Module.Host.Tests.Hosting;

namespace MigrationTools.Module.Host.Tests.Fixtures;

/// <summary>
/// One session with the module imported and one set of unreachable hosts for every test of a class (xunit runs a
/// class's tests one after another, so they never share it at the same time).
/// </summary>
public sealed class SessionFixture : IDisposable
{
    internal ModuleSession Session { get; } = new();

    internal UnreachableHosts Hosts { get; } = new();

    public void Dispose()
    {
        Session.Dispose();
        Hosts.Dispose();
    }
}
