using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Workloads;

/// <summary>
/// Runs a workload's <see cref="HealthCheck"/> on its host, retrying until it passes or its timeout ends. The loop
/// runs on the host in one command, so a check costs one round trip however often it is retried.
/// </summary>
internal static class HealthProbe
{
    /// <summary>$1 timeout in seconds, $2 kind; then the port, the URL or the command's argv.</summary>
    internal const string Script = """
        t=$1; kind=$2; shift 2
        # Whole seconds: one more so that the check always gets at least its full timeout.
        end=$(( $(date +%s) + t + 1 ))
        out=
        while :; do
            case $kind in
                command) out=$(timeout "$t" "$@" 2>&1 </dev/null) && exit 0 ;;
                tcp) out=$(timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"' bash "$1" 2>&1) && exit 0 ;;
                http)
                    if command -v curl >/dev/null 2>&1; then out=$(curl -fsS -o /dev/null --max-time 2 -- "$1" 2>&1) && exit 0
                    elif command -v wget >/dev/null 2>&1; then out=$(wget -q -O /dev/null -T 2 -- "$1" 2>&1) && exit 0
                    else out=$(python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2).read()' "$1" 2>&1) && exit 0
                    fi ;;
            esac
            if [ "$(date +%s)" -ge "$end" ]; then printf '%s\n' "$out" | tail -n 5 >&2; exit 1; fi
            sleep 0.2
        done
        """;

    /// <summary>Waits until <paramref name="check"/> passes on the host of <paramref name="connection"/>, or its timeout ends.</summary>
    /// <param name="connection">The host the workload runs on; the check runs there (a TCP port is tried on 127.0.0.1).</param>
    /// <param name="check">The check.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>Whether it passed, and what it said last when it did not.</returns>
    public static async Task<HealthResult> WaitAsync(SshConnection connection, HealthCheck check, CancellationToken cancellationToken = default)
    {
        if (connection is null)
        {
            throw new ArgumentNullException(nameof(connection));
        }

        var clock = Stopwatch.StartNew();
        var result = await connection.ExecuteAsync(Command(check), cancellationToken).ConfigureAwait(false);
        var detail = result.Succeeded ? "" : RemoteException.Excerpt(result.StandardError, 500);
        if (!result.Succeeded && detail.Length == 0)
        {
            detail = $"{Describe(check)} did not pass within {check.TimeoutSeconds} s.";
        }

        return new HealthResult(result.Succeeded, clock.Elapsed, detail);
    }

    /// <summary>Describes a check for messages, e.g. "TCP port 8080".</summary>
    /// <param name="check">The check.</param>
    /// <returns>The description.</returns>
    public static string Describe(HealthCheck check) => (check ?? throw new ArgumentNullException(nameof(check))).Kind switch
    {
        HealthCheckKind.TcpPort => "TCP port " + check.TcpPort!.Value.ToString(CultureInfo.InvariantCulture),
        HealthCheckKind.HttpUrl => "HTTP " + check.HttpUrl,
        _ => "the health command " + string.Join(" ", check.Command!),
    };

    internal static RemoteCommand Command(HealthCheck check)
    {
        if (check is null)
        {
            throw new ArgumentNullException(nameof(check));
        }

        var argv = new List<string> { "sh", "-c", Script, "sh", check.TimeoutSeconds.ToString(CultureInfo.InvariantCulture) };
        switch (check.Kind)
        {
            case HealthCheckKind.TcpPort:
                argv.Add("tcp");
                argv.Add(check.TcpPort!.Value.ToString(CultureInfo.InvariantCulture));
                break;
            case HealthCheckKind.HttpUrl:
                argv.Add("http");
                argv.Add(check.HttpUrl!.AbsoluteUri);
                break;
            default:
                argv.Add("command");
                argv.AddRange(check.Command!);
                break;
        }

        return RemoteCommand.Create(argv);
    }
}
