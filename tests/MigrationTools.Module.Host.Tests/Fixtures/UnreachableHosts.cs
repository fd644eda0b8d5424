using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace MigrationTools.Module.Host.Tests.Fixtures;

/// <summary>
/// An ssh_config of the test's own naming hosts no cmdlet can reach: <see cref="Refusing"/> and
/// <see cref="AlsoRefusing"/> on a loopback port nobody listens on (ssh fails at once), and <see cref="Stuck"/>, whose
/// ProxyCommand only sleeps, so ssh waits for a banner that never comes and never reaches a host key check.
/// </summary>
internal sealed class UnreachableHosts : IDisposable
{
    public const string Refusing = "nowhere";
    public const string AlsoRefusing = "nowhere-else";
    public const string Stuck = "stuck";

    public UnreachableHosts()
    {
        Directory = Path.Combine(Path.GetTempPath(), "mt-host-ssh-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(Directory);
        ConfigPath = Path.Combine(Directory, "ssh_config");
        var knownHosts = Path.Combine(Directory, "known_hosts");
        File.WriteAllText(knownHosts, "");

        // A sleep of a length of this test's own, so its process is told apart from any other's.
        SleepSeconds = Random.Shared.Next(700_000, 800_000).ToString(CultureInfo.InvariantCulture);
        var port = FreeLoopbackPort().ToString(CultureInfo.InvariantCulture);
        File.WriteAllText(ConfigPath, $"""
            Host {Refusing} {AlsoRefusing}
                HostName 127.0.0.1
                Port {port}
                UserKnownHostsFile {knownHosts}
            Host {Stuck}
                HostName 127.0.0.1
                ProxyCommand sleep {SleepSeconds}
                UserKnownHostsFile {knownHosts}

            """);
    }

    public string Directory { get; }

    public string ConfigPath { get; }

    /// <summary>The argument of the stuck host's ProxyCommand sleep: its processes' marker.</summary>
    public string SleepSeconds { get; }

    public string ProxyMarker => "sleep " + SleepSeconds;

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

    /// <summary>A loopback port that was free a moment ago: bound by the system's choice, then released.</summary>
    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
