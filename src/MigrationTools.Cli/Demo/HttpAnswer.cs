using System.Globalization;

namespace MigrationTools.Cli.Demo;

/// <summary>A raw HTTP/1.x answer as a client on a lab host reads it off the socket (bash's /dev/tcp, no HTTP client).</summary>
internal static class HttpAnswer
{
    /// <summary>
    /// The body of <paramref name="response"/> when it is a complete HTTP/1.x answer with status 200, else null
    /// (empty, cut short before the end of its headers, or another status).
    /// </summary>
    /// <param name="response">Everything the server sent: status line, headers, a blank line, the body.</param>
    /// <returns>The body, or null.</returns>
    public static string? OkBody(string response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var headersEnd = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (headersEnd < 0)
        {
            return null;
        }

        var statusLine = response[..response.IndexOf("\r\n", StringComparison.Ordinal)].Split(' ', 3);
        var ok = statusLine.Length >= 2
            && statusLine[0].StartsWith("HTTP/1.", StringComparison.Ordinal)
            && int.TryParse(statusLine[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status)
            && status == 200;
        return ok ? response[(headersEnd + 4)..] : null;
    }
}
