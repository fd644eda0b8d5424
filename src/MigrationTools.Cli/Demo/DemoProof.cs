using System.Globalization;
using System.Text.Json;

namespace MigrationTools.Cli.Demo;

/// <summary>What the counter service answers over HTTP: its count, the token it drew at start, and the host it runs on.</summary>
/// <param name="Counter">The count, one more every 0.1 s.</param>
/// <param name="Token">Drawn once when the process started: the same token means the same process.</param>
/// <param name="Hostname">The host that answered.</param>
internal sealed record CounterReading(long Counter, string Token, string Hostname)
{
    /// <summary>Reads the service's answer.</summary>
    /// <param name="json">The body.</param>
    /// <returns>The reading.</returns>
    /// <exception cref="JsonException">The body is not the service's answer.</exception>
    public static CounterReading Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        try
        {
            return new CounterReading(
                root.GetProperty("counter").GetInt64(), root.GetProperty("token").GetString()!, root.GetProperty("hostname").GetString()!);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new JsonException($"The counter service answered {json.Trim()}, without its counter, token and hostname.", e);
        }
    }
}

/// <summary>One thing the demo proves, and whether it held.</summary>
/// <param name="Name">A short name, such as sameProcess.</param>
/// <param name="Passed">Whether it held.</param>
/// <param name="Detail">What was seen.</param>
internal sealed record ProofCheck(string Name, bool Passed, string Detail);

/// <summary>The demo's proof that the workload moved live and whole: each check from what was read before and after.</summary>
internal static class DemoProof
{
    /// <summary>The same process answers after the move: the token it drew at start is unchanged.</summary>
    /// <param name="before">The reading on the source before the move.</param>
    /// <param name="after">The reading after it.</param>
    /// <returns>The check.</returns>
    public static ProofCheck SameProcess(CounterReading before, CounterReading after) => new(
        "sameProcess",
        before.Token == after.Token,
        before.Token == after.Token
            ? $"the service's start token {after.Token} is the same before and after: the process was restored, not restarted"
            : $"the start token changed from {before.Token} to {after.Token}: the service was restarted");

    /// <summary>The service now answers from the destination.</summary>
    /// <param name="after">The reading after the move.</param>
    /// <param name="destination">The destination's host name.</param>
    /// <returns>The check.</returns>
    public static ProofCheck RunsOn(CounterReading after, string destination) => new(
        "runsOnDestination",
        after.Hostname == destination,
        $"the service answers from {after.Hostname}" + (after.Hostname == destination ? "" : $", not {destination}"));

    /// <summary>The counter went on from where it was: not reset, and still counting.</summary>
    /// <param name="before">The reading on the source before the move.</param>
    /// <param name="after">The first reading after it.</param>
    /// <param name="later">A reading a moment later.</param>
    /// <returns>The check.</returns>
    public static ProofCheck CounterContinued(CounterReading before, CounterReading after, CounterReading later)
    {
        var passed = after.Counter >= before.Counter && later.Counter > after.Counter;
        return new(
            "counterContinued",
            passed,
            string.Create(CultureInfo.InvariantCulture, $"the counter read {before.Counter} on the source before the move, {after.Counter} after it and {later.Counter} a moment later") +
            (passed ? "" : after.Counter < before.Counter ? ": it was reset" : ": it stopped counting"));
    }

    /// <summary>
    /// The service's log on the destination holds every value from 1 on, each once and in order, up to at least the
    /// value read on the source before the move: nothing written there was lost.
    /// </summary>
    /// <param name="log">The log file's text on the destination.</param>
    /// <param name="before">The reading on the source before the move.</param>
    /// <returns>The check.</returns>
    public static ProofCheck NothingLost(string log, CounterReading before)
    {
        ArgumentNullException.ThrowIfNull(log);
        var lines = log.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        long expected = 1;
        foreach (var line in lines)
        {
            if (!long.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value != expected)
            {
                return new("nothingLost", false, $"counter.log on the destination has '{line.Trim()}' where {expected} belongs");
            }

            expected++;
        }

        var last = expected - 1;
        return last >= before.Counter
            ? new("nothingLost", true, string.Create(CultureInfo.InvariantCulture,
                $"counter.log on the destination holds 1 to {last} with no gap, including all {before.Counter} values the source had counted before the move"))
            : new("nothingLost", false, string.Create(CultureInfo.InvariantCulture,
                $"counter.log on the destination ends at {last}, before the {before.Counter} the source had counted"));
    }

    /// <summary>Nothing of the workload runs on the source any more.</summary>
    /// <param name="sourceState">The workload's state on the source.</param>
    /// <param name="sourceDatasetExists">Whether its dataset is still on the source.</param>
    /// <param name="source">The source's host name.</param>
    /// <returns>The check.</returns>
    public static ProofCheck SourceEmpty(string sourceState, bool sourceDatasetExists, string source) => new(
        "nothingOnSource",
        sourceState == "stopped",
        $"the workload is {sourceState} on {source}" + (sourceDatasetExists ? "; its dataset is kept there read-only" : "; complete destroyed its dataset there"));

    /// <summary>A client that held a connection to the service address before the move still holds the same one after it.</summary>
    /// <param name="kept">Whether the client's connection was never broken or replaced.</param>
    /// <param name="longestGapMilliseconds">The longest time between two answers on it.</param>
    /// <param name="answered">The hosts that answered on it, in order.</param>
    /// <param name="source">The source's host name.</param>
    /// <param name="destination">The destination's host name.</param>
    /// <returns>The check.</returns>
    public static ProofCheck ClientConnectionKept(bool kept, double longestGapMilliseconds, IReadOnlyList<string> answered, string source, string destination)
    {
        ArgumentNullException.ThrowIfNull(answered);
        var passed = kept && answered.SequenceEqual([source, destination]);
        var hosts = string.Join(" then ", answered);
        return new(
            "clientConnectionKept",
            passed,
            passed
                ? string.Create(CultureInfo.InvariantCulture, $"a client's one connection to the service address was answered by {hosts}, never broken, its longest pause {longestGapMilliseconds:0} ms")
                : $"the client's connection to the service address " + (kept ? $"was answered by {hosts}, not {source} then {destination}" : "broke during the move"));
    }
}
