using System.Globalization;
using System.Text.Json;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Cli.Demo;

/// <summary>
/// Reads the demo's counter service on the lab host that runs it. Each lab host has a network namespace of its own, so
/// the service's 127.0.0.1 port answers only on its host: the probe asks on every host, over the engine's ssh, what a
/// client there sees, and expects exactly one to answer.
/// </summary>
internal sealed class CounterProbe
{
    /// <summary>The exit status of <see cref="GetScript"/> when nothing listens on the port.</summary>
    private const int NotListening = 7;

    /// <summary>
    /// $1 port. GET / on the host's own 127.0.0.1 with bash's /dev/tcp, which needs no client in the host image; a frozen
    /// listener accepts but never answers, hence the timeout.
    /// </summary>
    private const string GetScript =
        "exec 3<>/dev/tcp/127.0.0.1/\"$1\" 2>/dev/null || exit 7\n" +
        "printf 'GET / HTTP/1.0\\r\\nHost: 127.0.0.1\\r\\n\\r\\n' >&3\n" +
        "timeout 3 cat <&3";

    /// <summary>$1 port. Succeeds when nothing accepts a connection on the host's 127.0.0.1 port.</summary>
    private const string FreeScript = "! (exec 3<>/dev/tcp/127.0.0.1/\"$1\") 2>/dev/null";

    private const int FirstPort = 20000;
    private const int EndPort = 30000;

    private readonly IReadOnlyList<SshConnection> _hosts;
    private readonly string _portText;

    /// <summary>Creates a probe of the service on <paramref name="port"/> of whichever of <paramref name="hosts"/> runs it.</summary>
    /// <param name="hosts">The hosts the service may run on.</param>
    /// <param name="port">The service's port on each host's 127.0.0.1.</param>
    public CounterProbe(IReadOnlyList<SshConnection> hosts, int port)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, HealthCheck.MinTcpPort);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, HealthCheck.MaxTcpPort);
        _hosts = hosts;
        Port = port;
        _portText = port.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The service's port on its host's 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>Where the service answers, in words.</summary>
    public string Where => $"127.0.0.1:{_portText} of the host it runs on";

    /// <summary>
    /// A port from 20000 to 29999 that nothing listens on now on any of <paramref name="hosts"/>: the service binds it on
    /// the source, and the restore binds it again on the destination.
    /// </summary>
    /// <param name="hosts">The hosts the service will run on.</param>
    /// <param name="cancellationToken">Stops the search.</param>
    /// <returns>The port.</returns>
    public static async Task<int> FreePortAsync(IReadOnlyList<SshConnection> hosts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var port = Random.Shared.Next(FirstPort, EndPort).ToString(CultureInfo.InvariantCulture);
            var free = await Task.WhenAll(hosts.Select(async host =>
                (await host.ExecuteAsync(RemoteCommand.Create("bash", "-c", FreeScript, "bash", port), cancellationToken).ConfigureAwait(false)).Succeeded))
                .ConfigureAwait(false);
            if (free.All(f => f))
            {
                return int.Parse(port, CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException(
            $"No port from {FirstPort} to {EndPort - 1} was free on 127.0.0.1 of every one of {string.Join(", ", hosts.Select(h => h.Destination))} in 20 tries.");
    }

    /// <summary>One reading, from the one host where the service answers.</summary>
    /// <param name="cancellationToken">Stops the request.</param>
    /// <returns>The reading.</returns>
    /// <exception cref="HttpRequestException">The service answers on no host.</exception>
    /// <exception cref="InvalidOperationException">The service answers on more than one host: it runs twice.</exception>
    public async Task<CounterReading> ReadAsync(CancellationToken cancellationToken)
    {
        var answers = await Task.WhenAll(_hosts.Select(host => GetAsync(host, cancellationToken))).ConfigureAwait(false);
        var answered = answers.Where(a => a.Body is not null).ToList();
        return answered.Count switch
        {
            0 => throw new HttpRequestException(
                $"The counter service answers on 127.0.0.1:{_portText} of none of {string.Join(", ", answers.Select(a => $"{a.Host} ({a.Why})"))}."),
            1 => CounterReading.Parse(answered[0].Body!),
            _ => throw new InvalidOperationException(
                $"The counter service answers on 127.0.0.1:{_portText} of {string.Join(" and ", answered.Select(a => a.Host))}: it runs more than once."),
        };
    }

    /// <summary>The first reading once the service answers on one host, trying every 100 ms.</summary>
    /// <param name="timeout">How long to keep trying.</param>
    /// <param name="cancellationToken">Stops trying.</param>
    /// <returns>The reading.</returns>
    /// <exception cref="TimeoutException">The service did not answer in time.</exception>
    /// <exception cref="InvalidOperationException">The service answers on more than one host.</exception>
    public async Task<CounterReading> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                return await ReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or JsonException)
            {
                if (DateTime.UtcNow >= deadline)
                {
                    throw new TimeoutException($"The counter service did not answer on {Where} within {timeout.TotalSeconds} s: {e.Message}", e);
                }
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<(string Host, string? Body, string Why)> GetAsync(SshConnection host, CancellationToken cancellationToken)
    {
        var result = await host.ExecuteAsync(RemoteCommand.Create("bash", "-c", GetScript, "bash", _portText), cancellationToken).ConfigureAwait(false);
        var body = result.Succeeded ? HttpAnswer.OkBody(result.Text) : null;
        var why = result.ExitCode == NotListening ? "nothing listens"
            : body is null ? $"no complete answer, exit {result.ExitCode.ToString(CultureInfo.InvariantCulture)}"
            : "";
        return (host.Destination.ToString(), body, why);
    }
}
