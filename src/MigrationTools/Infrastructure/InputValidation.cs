using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MigrationTools.Engine.Hooks;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Network;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Transfer;
using MigrationTools.Engine.Workloads;
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
            return Engine.Workloads.WorkloadName.Parse(value!);
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

    /// <summary>Where the hosts keep workload manifests and runtime files, as the engine's rule accepts them.</summary>
    public static WorkloadPaths WorkloadPaths(string? manifestDirectory, string? runtimeDirectory) =>
        WorkloadPathsValidator.Check(manifestDirectory, runtimeDirectory) is { } fault
            ? throw new InputException(ErrorIds.InvalidWorkloadPath, WorkloadFieldParameters.Paths[fault.Field], fault.Value, fault.Message)
            : new WorkloadPaths(manifestDirectory!, runtimeDirectory!);

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

    /// <summary>A migration id, such as <c>m-0123456789ab</c>.</summary>
    public static MigrationId MigrationId(string? value, string parameterName = "Id") =>
        Engine.Migrations.MigrationId.Error(value) is { } error
            ? throw new InputException(ErrorIds.InvalidMigrationId, parameterName, value, error)
            : Engine.Migrations.MigrationId.Parse(value!);

    /// <summary>
    /// A bandwidth limit: a rate in bytes per second with an optional binary suffix (<c>50M</c>, <c>1.5G</c>, <c>800K</c>)
    /// or a plain number (<c>52428800</c>, which is what PowerShell makes of <c>50MB</c>). Empty means no limit.
    /// </summary>
    public static BandwidthLimit? BandwidthLimit(string? value, string parameterName = "BandwidthLimit")
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        try
        {
            return Engine.Transfer.BandwidthLimit.Parse(value!);
        }
        catch (FormatException error)
        {
            throw new InputException(ErrorIds.InvalidBandwidthLimit, parameterName, value, error.Message, error);
        }
        catch (ArgumentException error)
        {
            throw new InputException(ErrorIds.InvalidBandwidthLimit, parameterName, value, Fault(error), error);
        }
    }

    /// <summary>
    /// Service addresses written <c>ADDRESS/PREFIX@INTERFACE</c>, as the manifest's rule accepts them: each a movable
    /// unicast address, none listed twice.
    /// </summary>
    public static IReadOnlyList<ServiceAddress> ServiceAddresses(IReadOnlyList<string>? values, string parameterName = "ServiceAddress") =>
        WorkloadManifestValidator.CheckServiceAddresses(values, out var addresses) is { } fault
            ? throw new InputException(ErrorIds.InvalidServiceAddress, parameterName, fault.Value, fault.Message)
            : addresses;

    /// <summary>
    /// Cutover hooks from PowerShell hashtables, one per hook: <c>Stage</c> (BeforeFreeze or AfterCommit) and
    /// <c>Command</c> (the program and its arguments) are required; <c>Location</c> (Controller, the default, Source
    /// or Destination) and <c>TimeoutSeconds</c> (60 by default) are optional.
    /// </summary>
    public static IReadOnlyList<CutoverHook> CutoverHooks(IEnumerable<IDictionary?>? tables, string parameterName = "Hook")
    {
        var hooks = new List<CutoverHook>();
        var number = 0;
        foreach (var table in tables ?? Enumerable.Empty<IDictionary?>())
        {
            number++;
            hooks.Add(Hook(table, number, parameterName));
        }

        return hooks;
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

    private static CutoverHook Hook(IDictionary? table, int number, string parameterName)
    {
        const string Form = "give each hook as @{ Stage = 'BeforeFreeze'; Command = 'program', 'argument' } " +
            "with Location (Controller, Source or Destination) and TimeoutSeconds where needed";
        InputException Invalid(string fault, object? value, Exception? cause = null) =>
            new(ErrorIds.InvalidCutoverHook, parameterName, value, $"Hook {number}: {fault}", cause);

        if (table is null)
        {
            throw Invalid($"it is empty; {Form}.", null);
        }

        object? stage = null, location = null, command = null, timeout = null;
        foreach (DictionaryEntry entry in table)
        {
            var key = Unwrap(entry.Key) as string;
            var value = Unwrap(entry.Value);
            switch (key?.ToUpperInvariant())
            {
                case "STAGE":
                    stage = value;
                    break;
                case "LOCATION":
                    location = value;
                    break;
                case "COMMAND":
                    command = value;
                    break;
                case "TIMEOUTSECONDS":
                    timeout = value;
                    break;
                default:
                    throw Invalid($"{Describe(Unwrap(entry.Key))} is not a key of a hook; the keys are Stage, Command, Location and TimeoutSeconds.", Unwrap(entry.Key));
            }
        }

        var when = EnumValue<CutoverStage>(stage)
            ?? throw Invalid($"Stage is {(stage is null ? "missing" : Describe(stage))}; give BeforeFreeze (before the workload is frozen; a failure cancels the switch) or AfterCommit (after it runs on the destination).", stage);
        var where = location is null
            ? CutoverHookLocation.Controller
            : EnumValue<CutoverHookLocation>(location)
                ?? throw Invalid($"Location is {Describe(location)}; give Controller (this machine), Source or Destination.", location);
        var words = Words(command)
            ?? throw Invalid($"Command is {(command is null ? "missing" : Describe(command))}; give the program and its arguments as strings, such as 'systemctl', 'reload', 'haproxy'.", command);

        var seconds = 60;
        if (timeout is not null)
        {
            try
            {
                seconds = Convert.ToInt32(timeout, CultureInfo.InvariantCulture);
            }
            catch (Exception error) when (error is FormatException or InvalidCastException or OverflowException)
            {
                throw Invalid($"TimeoutSeconds is {Describe(timeout)}; give a number of seconds from 1 to {Engine.Hooks.CutoverHook.MaxTimeoutSeconds}.", timeout, error);
            }
        }

        try
        {
            return new CutoverHook(when, where, words, seconds);
        }
        catch (ArgumentException error)
        {
            throw Invalid(Fault(error), command, error);
        }
    }

    /// <summary>An enumeration value given as itself or by its name (case-insensitive, dashes ignored); null when it is neither.</summary>
    private static T? EnumValue<T>(object? value)
        where T : struct, Enum
    {
        switch (value)
        {
            case T typed:
                return typed;
            case string text when text.Length > 0 && !char.IsDigit(text[0]) && text[0] != '-':
                return Enum.TryParse<T>(text.Replace("-", ""), ignoreCase: true, out var parsed) && Enum.IsDefined(typeof(T), parsed) ? parsed : null;
            default:
                return null;
        }
    }

    /// <summary>A command's words: one string, or a list of strings and numbers; null for anything else.</summary>
    private static IReadOnlyList<string>? Words(object? value)
    {
        switch (value)
        {
            case string single:
                return new[] { single };
            case IEnumerable many:
                var words = new List<string>();
                foreach (var item in many)
                {
                    switch (Unwrap(item))
                    {
                        case string text:
                            words.Add(text);
                            break;
                        case IFormattable formattable and not Enum:
                            words.Add(formattable.ToString(null, CultureInfo.InvariantCulture));
                            break;
                        default:
                            return null;
                    }
                }

                return words;
            default:
                return null;
        }
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
