using System.Diagnostics;
using System.Text.RegularExpressions;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Transfer;
using Renci.SshNet;

namespace MigrationTools.Bench;

/// <summary>
/// One stream read from a host, <c>head -c size /dev/zero</c>, through the OpenSSH client (as the engine runs it, over a
/// shared connection) and through SSH.NET (over one client), with the host key checked against the lab's known_hosts in both.
/// </summary>
internal sealed partial class SshNetThroughput(string sshConfig, string host)
{
    /// <summary>The cipher each side negotiated, for the report.</summary>
    public string Ciphers { get; private set; } = "";

    /// <summary>
    /// Connects through the OpenSSH client as the engine does, a shared connection (ControlMaster) of its own, timing
    /// the first, empty command (the connection's cost); then reads <paramref name="size"/> bytes
    /// <paramref name="runs"/> times over it, each read timed on its own.
    /// </summary>
    /// <param name="size">Bytes to read.</param>
    /// <param name="cipher">The cipher to ask for; null for the client's default preference.</param>
    /// <param name="runs">How many reads.</param>
    /// <param name="socket">The shared connection's socket, unique to this cipher.</param>
    public async Task<(double Connect, List<double> Reads)> OpenSshAsync(long size, string? cipher, int runs, string socket)
    {
        string[] choice = cipher is null ? [] : ["-c", cipher];
        string[] shared = ["-F", sshConfig, .. choice, "-o", "ControlMaster=auto", "-o", $"ControlPath={socket}", "-o", "ControlPersist=120", host];
        var connect = await Processes.TimeAsync(() => Processes.RunAsync("ssh", [.. shared, "true"]));
        try
        {
            var reads = new List<double>();
            for (var run = 0; run < runs; run++)
            {
                var clock = Stopwatch.StartNew();
                using var process = LocalProcess.Start(
                    new LocalCommand("ssh", [.. shared, $"head -c {size} /dev/zero"]) { PipeCapacity = RelayThroughput.BulkPipeCapacity });
                process.CloseStandardInput();
                var read = await StreamPump.CopyAsync(process.StandardOutput, Stream.Null);
                var result = await process.WaitForExitAsync();
                Expect(size, read, result.ExitCode, result.StandardError);
                reads.Add(clock.Elapsed.TotalSeconds);
            }

            return (connect, reads);
        }
        finally
        {
            await Processes.RunAsync("ssh", [.. shared[..^1], "-O", "exit", host]);
        }
    }

    /// <summary>The same through SSH.NET: one client, connected and checked by an empty command, then the reads.</summary>
    /// <param name="size">Bytes to read.</param>
    /// <param name="cipher">The only cipher to offer; null for SSH.NET's default preference.</param>
    /// <param name="runs">How many reads.</param>
    public async Task<(double Connect, List<double> Reads)> SshNetAsync(long size, string? cipher, int runs)
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
        using (var empty = client.CreateCommand("true"))
        {
            await empty.ExecuteAsync();
        }

        var connect = clock.Elapsed.TotalSeconds;
        var reads = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            clock.Restart();
            using var command = client.CreateCommand($"head -c {size} /dev/zero");
            var execution = command.ExecuteAsync();
            var read = await StreamPump.CopyAsync(command.OutputStream, Stream.Null);
            await execution;
            Expect(size, read, command.ExitStatus ?? -1, command.Error);
            reads.Add(clock.Elapsed.TotalSeconds);
        }

        if (cipher is null)
        {
            Ciphers = $"OpenSSH's default {await OpenSshCipherAsync()}, SSH.NET's default {client.ConnectionInfo.CurrentServerEncryption}";
        }

        client.Disconnect();
        return (connect, reads);
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
