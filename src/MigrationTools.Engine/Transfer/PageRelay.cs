using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Transfer;

/// <summary>
/// A TCP port of one host (the server: a CRIU page server or lazy dump listening on its 127.0.0.1) made reachable on
/// the other host's 127.0.0.1 (the client), through the controller, for hosts that cannot reach each other: an ssh
/// process on the server's connection forwards a Unix socket of the controller to the port (<c>-L</c>), and one on the
/// client's connection forwards a port its sshd picks free to that socket (<c>-R</c>). No port is fixed, so relays of
/// migrations at once never collide.
/// </summary>
/// <remarks>
/// Each forward is an ssh process of its own rather than a request to the shared connection (<c>ssh -O forward</c>):
/// ending the process ends its forwards for certain, where a forward on the master outlives the switch whenever
/// cancelling it fails (and <c>ssh -O cancel</c> needs the exact specification, which for a remote port its sshd chose
/// is not the one given). The processes also end when the controller dies (their standard input closes), once the
/// pages in flight have passed. The price is one more ssh handshake per side (about 0.18 s on the lab), both at once.
/// </remarks>
internal sealed class PageRelay : IDisposable
{
    private static readonly TimeSpan ReadyLimit = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan ExitLimit = TimeSpan.FromSeconds(5);

    private readonly LocalProcess _toServer;
    private readonly LocalProcess _fromClient;
    private int _closed;

    private PageRelay(string socket, int serverPort, int clientPort, LocalProcess toServer, LocalProcess fromClient)
    {
        Socket = socket;
        ServerPort = serverPort;
        ClientPort = clientPort;
        _toServer = toServer;
        _fromClient = fromClient;
    }

    /// <summary>The controller's socket between the two forwards.</summary>
    public string Socket { get; }

    /// <summary>The port that listens on the server's 127.0.0.1.</summary>
    public int ServerPort { get; }

    /// <summary>The port on the client's 127.0.0.1 that leads to it.</summary>
    public int ClientPort { get; }

    /// <summary>The ssh processes that hold the forwards, on the controller.</summary>
    public IReadOnlyList<int> ProcessIds => new[] { _toServer.Id, _fromClient.Id };

    /// <summary>Opens the relay and waits until both forwards listen.</summary>
    /// <param name="server">The connection to the host whose port listens.</param>
    /// <param name="serverPort">That port, on its 127.0.0.1.</param>
    /// <param name="client">The connection to the host that connects to it.</param>
    /// <param name="name">What the relay belongs to, in the socket's name (see <see cref="PortForwarding.SocketPath"/>).</param>
    /// <param name="cancellationToken">Stops opening; the processes are ended then.</param>
    /// <returns>The open relay; dispose it to end the forwards.</returns>
    /// <exception cref="RemoteException">A forward could not be set up, or the client's sshd listens on more than its loopback.</exception>
    public static async Task<PageRelay> OpenAsync(SshConnection server, int serverPort, SshConnection client, string name, CancellationToken cancellationToken)
    {
        if (server is null || client is null)
        {
            throw new ArgumentNullException(server is null ? nameof(server) : nameof(client));
        }

        PortForwarding.Port(serverPort, "The port a relay forwards to");
        if (!ControlDirectory.IsSupported)
        {
            throw new PlatformNotSupportedException("Relaying pages needs a Linux controller, whose private ssh control directory holds the relay's socket.");
        }

        var directory = server.Options.ControlDirectory ?? ControlDirectory.DefaultPath();
        ControlDirectory.EnsurePrivate(directory);
        var socket = PortForwarding.SocketPath(directory, name);
        File.Delete(socket);

        // Both handshakes at once; the processes live past this call, so they are not tied to its token.
        var toServerStart = server.StartForwardingAsync(PortForwarding.ToHost(socket, serverPort), CancellationToken.None);
        var fromClientStart = client.StartForwardingAsync(PortForwarding.FromHost(socket), CancellationToken.None);
        LocalProcess? toServer = null;
        LocalProcess? fromClient = null;
        try
        {
            await Task.WhenAll(toServerStart, fromClientStart).ConfigureAwait(false);
        }
        catch
        {
            End(toServerStart);
            End(fromClientStart);
            DeleteSocket(socket);
            throw;
        }

        toServer = await toServerStart.ConfigureAwait(false);
        fromClient = await fromClientStart.ConfigureAwait(false);
        try
        {
            var clientPort = await ReadyAsync(server, serverPort, toServer, client, fromClient, socket, cancellationToken).ConfigureAwait(false);
            var listening = await client.RunAsync(PortForwarding.ListenersCommand(clientPort), cancellationToken).ConfigureAwait(false);
            var exposed = PortForwarding.NonLoopbackListeners(listening.Text);
            if (exposed.Count > 0)
            {
                throw new RemoteException(
                    $"{client.Destination}'s sshd put the relayed pages' port on {string.Join(", ", exposed)}, not only on 127.0.0.1 " +
                    "(GatewayPorts yes in its sshd_config); set GatewayPorts to no or clientspecified there, or transfer directly (-Direct).",
                    client.Destination.ToString(), null, "");
            }

            return new PageRelay(socket, serverPort, clientPort, toServer, fromClient);
        }
        catch
        {
            await EndAsync(toServer, fromClient).ConfigureAwait(false);
            DeleteSocket(socket);
            throw;
        }
    }

    /// <summary>Ends both forwards at once and removes the socket; waits for the processes to exit. Safe to call more than once.</summary>
    /// <returns>A task that completes when both processes have exited.</returns>
    public async Task CloseAsync()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        await EndAsync(_toServer, _fromClient).ConfigureAwait(false);
        DeleteSocket(Socket);
    }

    /// <summary>Ends both forwards (see <see cref="CloseAsync"/>).</summary>
    public void Dispose() => CloseAsync().GetAwaiter().GetResult();

    private static async Task<int> ReadyAsync(
        SshConnection server, int serverPort, LocalProcess toServer, SshConnection client, LocalProcess fromClient, string socket, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        int? port = null;
        var listening = false;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            port ??= PortForwarding.AllocatedPort(fromClient.StandardErrorSoFar, socket);
            // ssh creates the socket once the connection is up; it accepts from then on.
            listening = listening || File.Exists(socket);
            if (port is { } allocated && listening)
            {
                return allocated;
            }

            if (toServer.HasExited || (!listening && clock.Elapsed > ReadyLimit))
            {
                throw Failed(server, toServer, $"forward the controller's socket to {PortForwarding.Loopback}:{serverPort} on {server.Destination}");
            }

            if (fromClient.HasExited || (port is null && clock.Elapsed > ReadyLimit))
            {
                throw Failed(client, fromClient, $"listen on {PortForwarding.Loopback} of {client.Destination} for the relayed pages");
            }

            await Task.Delay(Poll, cancellationToken).ConfigureAwait(false);
        }
    }

    private static RemoteException Failed(SshConnection connection, LocalProcess process, string what)
    {
        var said = process.StandardErrorSoFar.Trim();
        return new RemoteException(
            $"ssh could not {what}{(process.HasExited ? "" : $" within {ReadyLimit.TotalSeconds} s")}" +
            $"{(said.Length > 0 ? ": " + RemoteException.Excerpt(said, 400) : ".")} Allow TCP and stream-local forwarding in its sshd_config " +
            "(AllowTcpForwarding, AllowStreamLocalForwarding), or transfer directly (-Direct).",
            connection.Destination.ToString(), null, said);
    }

    private static async Task EndAsync(LocalProcess first, LocalProcess second)
    {
        first.Kill();
        second.Kill();
        foreach (var process in new[] { first, second })
        {
            try
            {
                using var limit = new CancellationTokenSource(ExitLimit);
                await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Killed already; the limit only keeps a stuck reaper from holding the switch.
            }
            finally
            {
                process.Dispose();
            }
        }
    }

    private static void End(Task<LocalProcess> started)
    {
        if (started.Status == TaskStatus.RanToCompletion)
        {
            started.Result.Dispose();
        }
    }

    private static void DeleteSocket(string socket)
    {
        try
        {
            File.Delete(socket);
        }
        catch (IOException)
        {
            // Left behind, it is replaced by the next relay of that name (StreamLocalBindUnlink) and leads nowhere.
        }
    }
}
