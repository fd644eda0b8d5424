using System.Reflection;
using MigrationTools.Engine.Privilege;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Tests.Remote;

/// <summary>
/// Every script the engine keeps as a constant either runs through a helper verb, is passed to one as its own
/// constant, or is known to run as the login user: a new root script without a verb fails here, not on a host.
/// </summary>
public sealed class HostVerbCoverageTests
{
    // Scripts that need no root: they run as the login user on a least-privilege host.
    private static readonly string[] AsTheLoginUser =
    [
        "DirectTransfer.Script",        // the source's pipeline glue: dd and ssh to the peer; its stages are elevated
        "HostLink.Script",              // ssh -G and ip route get: the user's own ssh view of its peer
        "HealthProbe.Script",           // a workload's health check: a port, a URL or the operator's command, as the user
        "RemoteWrapper.WatchInputScript",
        "RemoteWrapper.WatchOutputScript",
        "RemoteWrapper.WidenInputPipe",
        "RemoteWrapper.WidenOutputPipe",
        "ZfsSendCommand.HoldGuardScript", // a send's exit status and a cat; the send it runs is elevated
    ];

    // Shell function libraries, only ever part of a script.
    private static readonly string[] Libraries = ["ProcessTreeScripts.Functions", "CriuDetachedScripts.Functions", "ServiceAddressScripts.Functions", "HostHelperLibrary.Functions"];

    [Fact]
    public void EveryEngineScriptHasAVerbOrRunsAsTheUser()
    {
        var verbScripts = HostVerbs.All.Select(v => v.Script).Where(s => s is not null).ToHashSet();
        var constants = HostVerbs.Constants.Select(c => c.Value).ToHashSet();
        var uncovered = new List<string>();
        foreach (var (name, value) in EngineScripts())
        {
            if (!verbScripts.Contains(value) && !constants.Contains(value) && !AsTheLoginUser.Contains(name) && !Libraries.Contains(name))
            {
                uncovered.Add(name);
            }
        }

        Assert.Empty(uncovered);
    }

    [Fact]
    public void TheScriptsFoundIncludeTheKnownOnes()
    {
        var names = EngineScripts().Select(s => s.Name).ToHashSet();

        Assert.Contains("CriuScripts.Dump", names);
        Assert.Contains("WorkloadRuntime.StartScript", names);
        Assert.Contains("DirectTransfer.Script", names);
    }

    // The engine's string constants named *Script or held by a *Scripts class (but not the helper's own verb checks).
    private static IEnumerable<(string Name, string Value)> EngineScripts() =>
        typeof(RemoteCommand).Assembly.GetTypes()
            .Where(t => t.Namespace?.StartsWith("MigrationTools.Engine", StringComparison.Ordinal) == true && t.Name != "HostVerbs")
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
                .Where(f => f.IsLiteral && f.FieldType == typeof(string)
                    && (f.Name.EndsWith("Script", StringComparison.Ordinal) || f.Name.EndsWith("Pipe", StringComparison.Ordinal) || t.Name.EndsWith("Scripts", StringComparison.Ordinal)))
                .Select(f => (t.Name + "." + f.Name, (string)f.GetRawConstantValue()!)))
            .Where(s => s.Item2.Length > 0 && (s.Item2.Contains(' ', StringComparison.Ordinal) || s.Item2.Contains('\n', StringComparison.Ordinal)));
}
