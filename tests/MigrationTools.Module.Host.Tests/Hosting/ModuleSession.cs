using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace MigrationTools.Module.Host.Tests.Hosting;

/// <summary>
/// A runspace of PowerShell's default session state (InitialSessionState.CreateDefault2) on a <see cref="RecordingHost"/>,
/// with the built module imported from the repository's manifest, as a user imports it.
/// </summary>
public sealed class ModuleSession : IDisposable
{
    private readonly Runspace _runspace;

    public ModuleSession()
    {
        Host = new RecordingHost();
        var state = InitialSessionState.CreateDefault2();
        _runspace = RunspaceFactory.CreateRunspace(Host, state);
        _runspace.Open();
        var imported = Run(ps => ps.AddCommand("Import-Module").AddParameter("Name", ModuleLocation.ManifestPath).AddParameter("PassThru"));
        if (imported.AllErrors.Count > 0 || imported.Output.Count != 1)
        {
            throw new InvalidOperationException(
                $"Import-Module {ModuleLocation.ManifestPath} failed: {string.Join("; ", imported.AllErrors.Select(e => e.ToString()))}");
        }

        Module = (PSModuleInfo)imported.Output[0].BaseObject;
        Host.Interface.Clear();
    }

    public RecordingHost Host { get; }

    public RecordingHostUserInterface UI => Host.Interface;

    public PSModuleInfo Module { get; }

    public Runspace Runspace => _runspace;

    /// <summary>A PowerShell instance on this session's runspace, for a test that drives it itself (BeginInvoke, Stop).</summary>
    public PowerShell NewPowerShell()
    {
        var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        return ps;
    }

    /// <summary>Runs the pipeline <paramref name="build"/> adds commands to, and collects what it produced.</summary>
    public Invocation Run(Action<PowerShell> build)
    {
        ArgumentNullException.ThrowIfNull(build);
        using var ps = NewPowerShell();
        build(ps);
        return Collect(ps, () => ps.Invoke());
    }

    /// <summary>Runs a script with named parameters (its param block receives them).</summary>
    public Invocation Script(string script, IDictionary? parameters = null) =>
        Run(ps =>
        {
            // A scope of its own, so the script's variables and preferences do not outlive it.
            ps.AddScript(script, useLocalScope: true);
            if (parameters is not null)
            {
                ps.AddParameters(parameters);
            }
        });

    /// <summary>Collects a pipeline's output and errors; a terminating error is caught and returned.</summary>
    public static Invocation Collect(PowerShell ps, Func<IEnumerable<PSObject>> invoke)
    {
        ArgumentNullException.ThrowIfNull(ps);
        ArgumentNullException.ThrowIfNull(invoke);
        List<PSObject> output = [];
        ErrorRecord? terminating = null;
        try
        {
            output.AddRange(invoke().Where(o => o is not null));
        }
        catch (RuntimeException error)
        {
            terminating = error.ErrorRecord;
        }

        return new Invocation(output, [.. ps.Streams.Error], terminating);
    }

    public void Dispose() => _runspace.Dispose();
}
