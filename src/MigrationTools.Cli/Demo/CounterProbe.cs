using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace MigrationTools.Cli.Demo;

/// <summary>
/// Reads the demo's counter service over HTTP from this machine. The lab's hosts share this machine's network, so the
/// service's loopback port answers here whichever host runs it.
/// </summary>
internal sealed class CounterProbe : IDisposable
{
    private readonly HttpClient _http;

    /// <summary>Creates a probe of the service on <paramref name="port"/>.</summary>
    /// <param name="port">The service's port on 127.0.0.1.</param>
    public CounterProbe(int port)
    {
        Url = new Uri("http://127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture) + "/");
        _http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
    }

    /// <summary>The service's URL.</summary>
    public Uri Url { get; }

    /// <summary>A port on 127.0.0.1 that nothing listens on now, from 20000 to 29999.</summary>
    /// <returns>The port.</returns>
    public static int FreePort()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var port = Random.Shared.Next(20000, 30000);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken; try another.
            }
        }

        throw new InvalidOperationException("No free port was found on 127.0.0.1 from 20000 to 29999 in 50 tries.");
    }

    /// <summary>One reading.</summary>
    /// <param name="cancellationToken">Stops the request.</param>
    /// <returns>The reading.</returns>
    public async Task<CounterReading> ReadAsync(CancellationToken cancellationToken) =>
        CounterReading.Parse(await _http.GetStringAsync(Url, cancellationToken).ConfigureAwait(false));

    /// <summary>The first reading once the service answers, trying every 100 ms.</summary>
    /// <param name="timeout">How long to keep trying.</param>
    /// <param name="cancellationToken">Stops trying.</param>
    /// <returns>The reading.</returns>
    /// <exception cref="TimeoutException">The service did not answer in time.</exception>
    public async Task<CounterReading> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                return await ReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or JsonException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                if (DateTime.UtcNow >= deadline)
                {
                    throw new TimeoutException($"The counter service did not answer on {Url} within {timeout.TotalSeconds} s: {e.Message}", e);
                }
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _http.Dispose();
}
