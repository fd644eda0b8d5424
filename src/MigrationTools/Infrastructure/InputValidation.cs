using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Zfs;

namespace MigrationTools.Infrastructure;

/// <summary>
/// Turns cmdlet parameter values into the engine's validated types. Each failure is an <see cref="InputException"/>
/// that names the parameter and carries the engine's message (the fault and the fix) and the error identifier.
/// </summary>
internal static class InputValidation
{
    /// <summary>A workload name, as the engine accepts it.</summary>
    public static WorkloadName WorkloadName(string? value, string parameterName = "Name")
    {
        try
        {
            return Engine.Zfs.WorkloadName.Parse(value!);
        }
        catch (ArgumentException error)
        {
            throw new InputException(ErrorIds.InvalidWorkloadName, parameterName, value, Fault(error), error);
        }
    }

    /// <summary>Dataset names, as the engine accepts them; nesting and duplicates are the manifest's to check.</summary>
    public static IReadOnlyList<DatasetName> DatasetNames(IEnumerable<string>? values, string parameterName = "Dataset")
    {
        var names = new List<DatasetName>();
        foreach (var value in values ?? Enumerable.Empty<string>())
        {
            try
            {
                names.Add(DatasetName.Parse(value));
            }
            catch (ArgumentException error)
            {
                throw new InputException(ErrorIds.InvalidDatasetName, parameterName, value, Fault(error), error);
            }
        }

        return names;
    }

    /// <summary>
    /// A computer name as an ssh destination: an ssh_config alias, host name or address, optionally with
    /// <c>user@</c> and <c>:port</c>.
    /// </summary>
    public static SshDestination ComputerName(string? value, string parameterName = "ComputerName")
    {
        if (string.IsNullOrEmpty(value))
        {
            throw new InputException(
                ErrorIds.InvalidComputerName, parameterName, value,
                "The computer name is empty; give an ssh_config alias, a host name or an address, such as 'h1' or 'root@server1:2222'.");
        }

        try
        {
            return SshDestination.Parse(value!);
        }
        catch (ArgumentException error)
        {
            throw new InputException(ErrorIds.InvalidComputerName, parameterName, value, Fault(error), error);
        }
    }

    /// <summary>
    /// Environment variables from a PowerShell hashtable: each key a variable name, each value a string or a value
    /// with an invariant text form (numbers, booleans). Names and values are checked by the manifest.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> EnvironmentVariables(IDictionary? table, string parameterName = "Environment")
    {
        var variables = new List<KeyValuePair<string, string>>();
        if (table is null)
        {
            return variables;
        }

        foreach (DictionaryEntry entry in table)
        {
            var key = Unwrap(entry.Key);
            if (key is not string name)
            {
                throw new InputException(
                    ErrorIds.InvalidWorkloadDefinition, parameterName, key,
                    $"The environment key {Describe(key)} is not a string; give variable names as strings, such as @{{ PORT = '8080' }}.");
            }

            var value = Unwrap(entry.Value);
            if (value is null)
            {
                throw new InputException(
                    ErrorIds.InvalidWorkloadDefinition, parameterName, name,
                    $"The environment variable {name} has no value; give a string (an empty one, '', is allowed).");
            }

            var text = value switch
            {
                string s => s,
                bool b => b ? "true" : "false",
                IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
                _ => throw new InputException(
                    ErrorIds.InvalidWorkloadDefinition, parameterName, name,
                    $"The environment variable {name} is a {value.GetType().Name}; give a string, a number or a boolean."),
            };
            variables.Add(new KeyValuePair<string, string>(name, text));
        }

        return variables;
    }

    /// <summary>
    /// The message of an <see cref="ArgumentException"/> without the parameter name .NET appends to it (the engine's
    /// parameter names mean nothing to a PowerShell user; <see cref="InputException"/> names the cmdlet's instead).
    /// </summary>
    public static string Fault(ArgumentException error)
    {
        var message = error.Message;
        if (error.ParamName is { Length: > 0 } name)
        {
            // .NET appends " (Parameter 'x')" (and, for a value out of range, "Actual value was ..." after it);
            // .NET Framework appends a line "Parameter name: x".
            foreach (var suffix in new[] { $" (Parameter '{name}')", $"{Environment.NewLine}Parameter name: {name}" })
            {
                var at = message.IndexOf(suffix, StringComparison.Ordinal);
                if (at > 0)
                {
                    return message.Substring(0, at);
                }
            }
        }

        return message;
    }

    // PowerShell may hand over values wrapped in a PSObject; the value is its base object.
    private static object? Unwrap(object? value) => value is System.Management.Automation.PSObject wrapped ? wrapped.BaseObject : value;

    private static string Describe(object? value) => value is null ? "$null" : $"'{value}' ({value.GetType().Name})";
}
