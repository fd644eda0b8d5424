using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Cli.Options;

/// <summary>
/// Arguments and options whose values the engine's own rules check while the command line is parsed, so that a bad
/// value is a usage error (exit code 2) naming the option, the fault and the fix, before anything runs.
/// </summary>
internal static class ValueParsers
{
    /// <summary>A workload name argument.</summary>
    /// <param name="name">The argument's name in help.</param>
    /// <param name="description">What it is.</param>
    /// <returns>The argument.</returns>
    public static Argument<WorkloadName> WorkloadArgument(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = result => Parse(result, $"<{name}>", WorkloadName.Parse),
    };

    /// <summary>A migration id argument.</summary>
    /// <returns>The argument.</returns>
    public static Argument<MigrationId> MigrationIdArgument() => new("id")
    {
        Description = "The migration's id, m- and 12 hex digits, as 'migration start' or 'migration list' printed it.",
        CustomParser = result => Parse(result, "<id>", MigrationId.Parse),
    };

    /// <summary>A host argument: an ssh destination such as <c>h1</c>, <c>root@host-a</c> or <c>ssh://admin@host:2222</c>.</summary>
    /// <param name="name">The argument's name in help.</param>
    /// <param name="description">What it is.</param>
    /// <returns>The argument.</returns>
    public static Argument<string> HostArgument(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = result => Parse(result, $"<{name}>", CheckedHost),
    };

    /// <summary>A required host option, such as <c>--from</c>.</summary>
    /// <param name="name">The option's name.</param>
    /// <param name="alias">Another name it answers to.</param>
    /// <param name="description">What it is.</param>
    /// <returns>The option.</returns>
    public static Option<string> HostOption(string name, string alias, string description) => new(name, alias)
    {
        Description = description,
        Required = true,
        HelpName = "host",
        CustomParser = result => Parse(result, name, CheckedHost),
    };

    /// <summary>An option taking whole seconds within a range.</summary>
    /// <param name="name">The option's name.</param>
    /// <param name="description">What the seconds are for.</param>
    /// <param name="minimum">The least accepted.</param>
    /// <param name="maximum">The most accepted.</param>
    /// <param name="defaultValue">The value when not given.</param>
    /// <returns>The option.</returns>
    public static Option<int> SecondsOption(string name, string description, int minimum, int maximum, int defaultValue) => new(name)
    {
        Description = description,
        HelpName = "seconds",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds >= minimum && seconds <= maximum)
            {
                return seconds;
            }

            result.AddError($"{name} takes whole seconds from {minimum} to {maximum}; '{text}' is not.");
            return defaultValue;
        },
    };

    /// <summary>An option taking a whole number within a range.</summary>
    /// <param name="name">The option's name.</param>
    /// <param name="description">What the number is.</param>
    /// <param name="minimum">The least accepted.</param>
    /// <param name="maximum">The most accepted.</param>
    /// <param name="defaultValue">The value when not given.</param>
    /// <returns>The option.</returns>
    public static Option<int> RangeOption(string name, string description, int minimum, int maximum, int defaultValue) => new(name)
    {
        Description = description + " Default: " + defaultValue.ToString(CultureInfo.InvariantCulture) + ".",
        HelpName = "n",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= minimum && number <= maximum)
            {
                return number;
            }

            result.AddError($"{name} takes a whole number from {minimum} to {maximum}; '{text}' is not.");
            return defaultValue;
        },
    };

    /// <summary>Reads hosts given comma-separated, repeated or both, each checked as an ssh destination.</summary>
    /// <param name="result">The option's tokens.</param>
    /// <param name="name">The option's name, for errors.</param>
    /// <returns>The hosts, in the order given, each once.</returns>
    public static string[] HostList(ArgumentResult result, string name)
    {
        ArgumentNullException.ThrowIfNull(result);
        var hosts = new List<string>();
        foreach (var token in result.Tokens)
        {
            foreach (var part in token.Value.Split(','))
            {
                var host = part.Trim();
                try
                {
                    CheckedHost(host);
                }
                catch (ArgumentException e)
                {
                    result.AddError($"{name}: '{host}': {EngineMessage(e)}");
                    return [];
                }

                if (!hosts.Contains(host, StringComparer.Ordinal))
                {
                    hosts.Add(host);
                }
            }
        }

        if (hosts.Count == 0)
        {
            result.AddError($"{name} takes at least one host, such as h2 or h2,h3.");
        }

        return [.. hosts];
    }

    /// <summary>Reads a bandwidth such as 50M.</summary>
    /// <param name="result">The option's tokens.</param>
    /// <param name="name">The option's name, for errors.</param>
    /// <returns>The bandwidth, or null after an error.</returns>
    public static Engine.Transfer.BandwidthLimit? Bandwidth(ArgumentResult result, string name)
    {
        ArgumentNullException.ThrowIfNull(result);
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        try
        {
            return Engine.Transfer.BandwidthLimit.Parse(text);
        }
        catch (FormatException e)
        {
            result.AddError(name + ": " + e.Message);
        }
        catch (ArgumentOutOfRangeException e)
        {
            result.AddError(name + ": " + EngineMessage(e).Split(Environment.NewLine)[0]);
        }

        return null;
    }

    /// <summary>
    /// Reads a byte count: a whole number with an optional binary suffix K, M, G or T (KiB, MiB, GiB, TiB), such as
    /// 16M; a trailing B or iB is allowed.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <returns>The bytes, or <see langword="null"/> when the text is not such a count.</returns>
    public static long? ParseSize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var value = text.Trim().ToUpperInvariant();
        foreach (var suffix in new[] { "IB", "B" })
        {
            if (value.Length > suffix.Length + 1 && value.EndsWith(suffix, StringComparison.Ordinal) && "KMGT".Contains(value[^(suffix.Length + 1)], StringComparison.Ordinal))
            {
                value = value[..^suffix.Length];
                break;
            }
        }

        var shift = 0;
        if (value.Length > 1 && "KMGT".IndexOf(value[^1], StringComparison.Ordinal) is var unit and >= 0)
        {
            shift = 10 * (unit + 1);
            value = value[..^1];
        }

        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number > long.MaxValue >> shift)
        {
            return null;
        }

        return number << shift;
    }

    /// <summary>An option taking a byte count (see <see cref="ParseSize"/>); <see langword="null"/> when not given.</summary>
    /// <param name="name">The option's name.</param>
    /// <param name="description">What the size is for, ending with its default as written on a command line.</param>
    /// <returns>The option.</returns>
    public static Option<long?> SizeOption(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "size",
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            if (ParseSize(text) is { } bytes)
            {
                return bytes;
            }

            result.AddError($"{name} takes a size in bytes with an optional K, M, G or T (binary units), such as 16M; '{text}' is not one.");
            return null;
        },
    };

    /// <summary>Runs an engine parser on the single token of <paramref name="result"/>, turning its exception into a parse error.</summary>
    private static T Parse<T>(ArgumentResult result, string what, Func<string, T> parse)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        try
        {
            return parse(text);
        }
        catch (ArgumentException e)
        {
            result.AddError($"{what}: {EngineMessage(e)}");
            return default!;
        }
    }

    private static string CheckedHost(string text)
    {
        SshDestination.Parse(text);
        return text;
    }

    /// <summary>An engine exception's message without the " (Parameter 'x')" that .NET appends: the option is named already.</summary>
    /// <param name="exception">The exception.</param>
    /// <returns>The message.</returns>
    public static string EngineMessage(ArgumentException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var message = exception.Message;
        var cut = exception.ParamName is { } parameter ? message.IndexOf($" (Parameter '{parameter}')", StringComparison.Ordinal) : -1;
        return cut >= 0 ? message[..cut] : message;
    }
}
