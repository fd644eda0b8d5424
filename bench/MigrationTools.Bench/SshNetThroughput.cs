using System.Diagnostics;
using System.Text.RegularExpressions;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Transfer;
using Renci.SshNet;

namespace MigrationTools.Bench;

/// <summary>
/// One stream read from a host, <c>head -c size /dev/zero</c>, through the OpenSSH client (as the engine runs it) and
/// through SSH.NET, each on a new connection, with the host key checked against the lab's known_hosts in both.
/// </summary>
internal sealed partial class SshNetThroughput(string sshConfig, string host)
{
    /// <summary>The cipher each side negotiated, for the report.</summary>
    public string Ciphers { get; private set; } = "";

    /// <summary>Seconds to read <paramref name="size"/> bytes through the OpenSSH client, connection included.</summary>
    /// <param name="size">Bytes to read.</param>
    /// <param name="cipher">The cipher to ask for; null for the client's default preference.</param>
    public async Task<double> OpenSshAsync(long size, string? cipher)
    {
        var clock = Stopwatch.StartNew();
        string[] choice = cipher is null ? [] : ["-c", cipher];
        using var process = LocalProcess.Start(
            new LocalCommand("ssh", ["-F", sshConfig, .. choice, host, $"head -c {size} /dev/zero"]) { PipeCapacity = RelayThroughput.BulkPipeCapacity });
        process.CloseStandardInput();
        var read = await StreamPump.CopyAsync(process.StandardOutput, Stream.Null);
        var result = await process.WaitForExitAsync();
        Expect(size, read, result.ExitCode, result.StandardError);
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>Seconds to read <paramref name="size"/> bytes through SSH.NET, connection included.</summary>
    /// <param name="size">Bytes to read.</param>
    /// <param name="cipher">The only cipher to offer; null for SSH.NET's default preference.</param>
    public async Task<double> SshNetAsync(long size, string? cipher)
    {
        var settings = await ResolveAsync();
        var clock = Stopwatch.StartNew();
        using var key = new PrivateKeyFile(settings.IdentityFile);
        var connection = new ConnectionInfo(settings.HostName, settings.Port, settings.User, new PrivateKeyAuthenticationMethod(settings.User, key));
        if (cipher is not null)
        {
            foreach (var name in connection.Encryptions.Keys.Where(name => name != cipher).ToList())
            {
                connection.Encryptions.Remove(name);
            }
        }

        using var client = new SshClient(connection);
        client.HostKeyReceived += (_, e) => e.CanTrust = settings.KnownKeys.Contains(Convert.ToBase64String(e.HostKey));
        await client.ConnectAsync(CancellationToken.None);
        using var command = client.CreateCommand($"head -c {size} /dev/zero");
        var execution = command.ExecuteAsync();
        var read = await StreamPump.CopyAsync(command.OutputStream, Stream.Null);
        await execution;
        Expect(size, read, command.ExitStatus ?? -1, command.Error);
        if (cipher is null)
        {
            Ciphers = $"OpenSSH's default {await OpenSshCipherAsync()}, SSH.NET's default {client.ConnectionInfo.CurrentServerEncryption}";
        }

        client.Disconnect();
        return clock.Elapsed.TotalSeconds;
    }

    private static void Expect(long size, long read, int exitCode, string error)
    {
        if (read != size || exitCode != 0)
        {
            throw new InvalidOperationException($"read {read} of {size} bytes, exit status {exitCode}: {error}");
        }
    }

    private async Task<string> OpenSshCipherAsync()
    {
        var log = await Processes.RunAsync("bash", ["-c", $"ssh -v -F '{sshConfig}' {host} true 2>&1 >/dev/null"]);
        return CipherLine().Match(log) is { Success: true } match ? match.Groups[1].Value : "unknown";
    }

    /// <summary>The host's address, port, user, key and known host keys as the lab's ssh_config gives them to ssh.</summary>
    private async Task<(string HostName, int Port, string User, string IdentityFile, HashSet<string> KnownKeys)> ResolveAsync()
    {
        var lines = (await Processes.RunAsync("ssh", ["-G", "-F", sshConfig, host])).Split('\n');
        string Value(string name) => lines.First(l => l.StartsWith(name + " ", StringComparison.Ordinal))[(name.Length + 1)..].Trim();
        var knownHosts = Value("userknownhostsfile").Split(' ')[0];
        var hostName = Value("hostname");
        var known = File.ReadAllLines(knownHosts)
            .Select(l => l.Split(' '))
            .Where(f => f.Length >= 3 && f[0].Split(',').Any(name => name == host || name == hostName))
            .Select(f => f[2])
            .ToHashSet(StringComparer.Ordinal);
        return (hostName, int.Parse(Value("port"), System.Globalization.CultureInfo.InvariantCulture), Value("user"), Value("identityfile"), known);
    }

    [GeneratedRegex(@"kex: server->client cipher: (\S+)")]
    private static partial Regex CipherLine();
}
