using System.Collections;
using System.Text.RegularExpressions;
using MigrationTools.Module.Host.Tests.Hosting;

namespace MigrationTools.Module.Host.Tests.Fixtures;

/// <summary>
/// What PowerShell's parameter binder bound from the pipeline, read from Trace-Command -Name ParameterBinding -PSHost
/// (which writes to the host): for each pipeline object a command received, the parameters and the values bound.
/// </summary>
internal static partial class BindingTrace
{
    /// <summary>Runs <paramref name="pipeline"/> (a script using the variables of <paramref name="parameters"/>) under the trace.</summary>
    /// <returns>The run, and for each object <paramref name="command"/> received from the pipeline, parameter name to value text.</returns>
    public static (Invocation Result, IReadOnlyList<IReadOnlyDictionary<string, string>> Bindings) Run(
        ModuleSession session, string command, string pipeline, Hashtable parameters)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(parameters);
        RequireRunningAlone(new System.Diagnostics.StackFrame(1).GetMethod()?.DeclaringType);

        // The PowerShell SDK ships Trace-Command's module beside the test assembly, outside the module path.
        var utility = Path.Combine(AppContext.BaseDirectory, "runtimes", "unix", "lib", "net10.0", "Modules", "Microsoft.PowerShell.Utility", "Microsoft.PowerShell.Utility.psd1");
        var imported = session.Run(ps => ps.AddCommand("Import-Module").AddParameter("Name", utility));
        Assert.Empty(imported.AllErrors);

        session.UI.Clear();
        var names = string.Join(", ", parameters.Keys.Cast<string>().Select(k => "$" + k));
        var result = session.Script(
            $"param({names}) Trace-Command -Name ParameterBinding -PSHost -Expression {{ {pipeline} }}", parameters);
        return (result, Parse(session.UI.Lines, command));
    }

    /// <summary>
    /// The trace source is the process's: a test class that reads it outside <see cref="BindingTraceCollection"/> runs
    /// beside one that does, and either trace may end the other's (seen as a binding missing now and then).
    /// </summary>
    private static void RequireRunningAlone(Type? testClass)
    {
        var alone = testClass?.GetCustomAttributesData().Any(a =>
            a.AttributeType == typeof(CollectionAttribute) && a.ConstructorArguments is [{ Value: BindingTraceCollection.Name }]) ?? false;
        if (!alone)
        {
            throw new InvalidOperationException(
                $"{testClass?.FullName ?? "The caller"} reads the binder's trace, so it must be in [Collection(BindingTraceCollection.Name)].");
        }
    }

    private static List<IReadOnlyDictionary<string, string>> Parse(IReadOnlyList<string> lines, string command)
    {
        List<IReadOnlyDictionary<string, string>> bindings = [];
        Dictionary<string, string>? current = null;
        foreach (var line in lines.SelectMany(l => l.Split('\n')))
        {
            if (line.Contains("BIND PIPELINE object to parameters: [", StringComparison.Ordinal))
            {
                current = line.Contains($"[{command}]", StringComparison.Ordinal) ? new Dictionary<string, string>(StringComparer.Ordinal) : null;
                if (current is not null)
                {
                    bindings.Add(current);
                }
            }
            else if (line.Contains("CALLING ProcessRecord", StringComparison.Ordinal))
            {
                current = null;
            }
            else if (current is not null && Bound().Match(line) is { Success: true } bound)
            {
                current[bound.Groups["parameter"].Value] = bound.Groups["value"].Value;
            }
        }

        return bindings;
    }

    [GeneratedRegex(@"BIND arg \[(?<value>.*)\] to param \[(?<parameter>\w+)\] SUCCESSFUL")]
    private static partial Regex Bound();
}
