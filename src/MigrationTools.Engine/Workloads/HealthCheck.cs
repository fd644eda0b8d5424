using System;
using System.Collections.Generic;
using System.Linq;

namespace MigrationTools.Engine.Workloads;

/// <summary>
/// How to tell that a workload is healthy after it started or was restored: one of a command, a TCP port or an
/// HTTP(S) URL, all on the workload's own host, with a time limit.
/// </summary>
public sealed record HealthCheck
{
    /// <summary>The timeout used when a manifest gives none, in seconds.</summary>
    public const int DefaultTimeoutSeconds = 10;

    private HealthCheck(HealthCheckKind kind, IReadOnlyList<string>? command, int? tcpPort, Uri? httpUrl, int timeoutSeconds)
    {
        Kind = kind;
        Command = command;
        TcpPort = tcpPort;
        HttpUrl = httpUrl;
        TimeoutSeconds = timeoutSeconds;
    }

    /// <summary>Which of the checks this is.</summary>
    public HealthCheckKind Kind { get; }

    /// <summary>The command's argument list, program first, for <see cref="HealthCheckKind.Command"/>.</summary>
    public IReadOnlyList<string>? Command { get; }

    /// <summary>The port, for <see cref="HealthCheckKind.TcpPort"/>.</summary>
    public int? TcpPort { get; }

    /// <summary>The URL, on a loopback address, for <see cref="HealthCheckKind.HttpUrl"/>.</summary>
    public Uri? HttpUrl { get; }

    /// <summary>The shortest time limit a check accepts, in seconds.</summary>
    public const int MinTimeoutSeconds = WorkloadManifestRules.MinTimeoutSeconds;

    /// <summary>The longest time limit a check accepts, in seconds.</summary>
    public const int MaxTimeoutSeconds = WorkloadManifestRules.MaxTimeoutSeconds;

    /// <summary>The lowest TCP port a check accepts.</summary>
    public const int MinTcpPort = WorkloadManifestRules.MinTcpPort;

    /// <summary>The highest TCP port a check accepts.</summary>
    public const int MaxTcpPort = WorkloadManifestRules.MaxTcpPort;

    /// <summary>How long the check may take before the workload counts as unhealthy, <see cref="MinTimeoutSeconds"/> to <see cref="MaxTimeoutSeconds"/> seconds.</summary>
    public int TimeoutSeconds { get; }

    /// <summary>How long the check may take.</summary>
    public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);

    /// <summary>A check that runs a command on the workload's host and expects exit status 0.</summary>
    /// <param name="argv">The program and its arguments.</param>
    /// <param name="timeoutSeconds">The time limit, 1-3600 seconds.</param>
    /// <returns>The check.</returns>
    /// <exception cref="ArgumentException">The command is empty or a word contains NUL; the timeout is out of range.</exception>
    public static HealthCheck ForCommand(IEnumerable<string> argv, int timeoutSeconds = DefaultTimeoutSeconds)
    {
        var words = (argv ?? throw new ArgumentNullException(nameof(argv))).ToArray();
        Throw(WorkloadManifestValidator.CheckCommandHealthCheck(words, timeoutSeconds), message => new ArgumentException(message, nameof(argv)), timeoutSeconds);
        return new HealthCheck(HealthCheckKind.Command, words, null, null, timeoutSeconds);
    }

    /// <summary>A check that connects to a TCP port on the workload's host.</summary>
    /// <param name="port">The port, 1-65535.</param>
    /// <param name="timeoutSeconds">The time limit, 1-3600 seconds.</param>
    /// <returns>The check.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The port or the timeout is out of range.</exception>
    public static HealthCheck ForTcpPort(int port, int timeoutSeconds = DefaultTimeoutSeconds)
    {
        Throw(WorkloadManifestValidator.CheckTcpPortHealthCheck(port, timeoutSeconds), message => new ArgumentOutOfRangeException(nameof(port), port, message), timeoutSeconds);
        return new HealthCheck(HealthCheckKind.TcpPort, null, port, null, timeoutSeconds);
    }

    /// <summary>A check that fetches an http(s) URL on the workload's host and expects a 2xx status.</summary>
    /// <param name="url">The URL; its host must be localhost or a loopback address.</param>
    /// <param name="timeoutSeconds">The time limit, 1-3600 seconds.</param>
    /// <returns>The check.</returns>
    /// <exception cref="ArgumentException">The URL is not http(s) on a loopback address, or the timeout is out of range.</exception>
    public static HealthCheck ForHttpUrl(Uri url, int timeoutSeconds = DefaultTimeoutSeconds)
    {
        if (url is null)
        {
            throw new ArgumentNullException(nameof(url));
        }

        Throw(WorkloadManifestValidator.CheckHttpUrlHealthCheck(url.OriginalString, timeoutSeconds), message => new ArgumentException(message, nameof(url)), timeoutSeconds);

        // The check parsed it the same way: an absolute http(s) URL.
        return new HealthCheck(HealthCheckKind.HttpUrl, null, null, new Uri(url.OriginalString, UriKind.Absolute), timeoutSeconds);
    }

    // A timeout out of range names the timeout; any other fault is the check's own value's.
    private static void Throw(WorkloadManifestFault? fault, Func<string, ArgumentException> valueFault, int timeoutSeconds)
    {
        if (fault is not null)
        {
            throw fault.Field == WorkloadManifestField.HealthCheckTimeout
                ? new ArgumentOutOfRangeException(nameof(timeoutSeconds), timeoutSeconds, fault.Message)
                : valueFault(fault.Message);
        }
    }

    /// <summary>True when both describe the same check (commands word by word, URLs as written).</summary>
    /// <param name="other">The other check.</param>
    /// <returns>True when equal.</returns>
    public bool Equals(HealthCheck? other) =>
        other is not null
        && Kind == other.Kind
        && TimeoutSeconds == other.TimeoutSeconds
        && TcpPort == other.TcpPort
        && string.Equals(HttpUrl?.OriginalString, other.HttpUrl?.OriginalString, StringComparison.Ordinal)
        && (Command ?? Array.Empty<string>()).SequenceEqual(other.Command ?? Array.Empty<string>(), StringComparer.Ordinal);

    /// <summary>A hash consistent with <see cref="Equals(HealthCheck)"/>.</summary>
    /// <returns>The hash.</returns>
    public override int GetHashCode()
    {
        var hash = ((int)Kind * 397) ^ TimeoutSeconds ^ (TcpPort ?? 0);
        foreach (var word in Command ?? Array.Empty<string>())
        {
            hash = (hash * 31) ^ StringComparer.Ordinal.GetHashCode(word);
        }

        return HttpUrl is null ? hash : hash ^ StringComparer.Ordinal.GetHashCode(HttpUrl.OriginalString);
    }
}
