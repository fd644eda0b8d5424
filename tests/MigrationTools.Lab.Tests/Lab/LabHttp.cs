using System.Globalization;
using System.Text.Json;

namespace MigrationTools.Lab.Tests.Lab;

/// <summary>
/// HTTP GETs of a service on a lab host's own 127.0.0.1, made on that host over ssh. Each host has a network namespace
/// of its own, so the controller cannot reach a host's loopback; asking on the host is what a local client sees.
/// </summary>
public sealed class LabHttp(LabFixture lab)
{
    private const int NotListening = 7;

    /// <summary>
    /// The body of <c>GET /</c> on <paramref name="host"/>'s 127.0.0.1:<paramref name="port"/>. Throws
    /// <see cref="HttpRequestException"/> when nothing answers there (refused, or no full answer within 3 seconds).
    /// </summary>
    public async Task<string> GetAsync(string host, int port)
    {
        var portText = port.ToString(CultureInfo.InvariantCulture);
        // bash's /dev/tcp needs no client in the host image; a frozen listener accepts but never answers, hence the timeout.
        var result = await lab.SshAsync(host,
            $"exec 3<>/dev/tcp/127.0.0.1/{portText} 2>/dev/null || exit {NotListening}; " +
            "printf 'GET / HTTP/1.0\\r\\nHost: 127.0.0.1\\r\\n\\r\\n' >&3; timeout 3 cat <&3");
        var response = result.Text;
        var split = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (result.ExitCode != 0 || split < 0 || !response.StartsWith("HTTP/1.0 200", StringComparison.Ordinal))
        {
            throw new HttpRequestException(
                $"nothing answered on {host}'s 127.0.0.1:{portText} (exit {result.ExitCode}): {result.StandardError.Trim()}");
        }

        return response[(split + 4)..];
    }

    /// <summary>
    /// The answer of the one host whose 127.0.0.1:<paramref name="port"/> answers, as a client of the service sees it
    /// wherever it runs. Throws <see cref="HttpRequestException"/> when no host answers, and
    /// <see cref="InvalidOperationException"/> when more than one does (the service runs twice).
    /// </summary>
    public async Task<T> GetFromTheHostRunningItAsync<T>(int port)
    {
        var attempts = lab.Hosts.Select(async host =>
        {
            try
            {
                return (host.Name, Body: await GetAsync(host.Name, port));
            }
            catch (HttpRequestException)
            {
                return (host.Name, Body: (string?)null);
            }
        });
        var answers = (await Task.WhenAll(attempts)).Where(answer => answer.Body is not null).ToList();
        return answers.Count switch
        {
            0 => throw new HttpRequestException($"no lab host answers on 127.0.0.1:{port}"),
            1 => JsonSerializer.Deserialize<T>(answers[0].Body!) ?? throw new InvalidOperationException("empty answer"),
            _ => throw new InvalidOperationException(
                $"the service on port {port} answers on {string.Join(" and ", answers.Select(answer => answer.Name))}"),
        };
    }
}
