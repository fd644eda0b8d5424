using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace MigrationTools.Engine.Remote;

/// <summary>
/// Runs commands on one host through the OpenSSH client, sharing one authenticated connection between
/// them. Remote command lines are built only from argument lists (<see cref="RemoteCommand"/>), optionally
/// under <c>sudo -n</c>; cancelling a command ends it on the host too.
/// </summary>
/// <remarks>
/// The connection opens on first use (or <see cref="OpenAsync"/>): it learns the effective ssh_config,
/// prepares the private control directory, and runs a first cheap command that starts the shared connection
/// and proves the host key, the login and sudo. <see cref="Dispose"/> closes the shared connection.
/// Safe for concurrent commands.
/// </remarks>
public sealed class SshConnection : IDisposable
{
    // ssh creates the socket as "<path>.<16 random characters>" first; sun_path holds 107 bytes plus NUL.
    private const int MaxSocketPathBytes = 107 - 17;
    private const int ControlSocketNameBytes = 8 + 1 + 8 + 1 + 40;

    private static readonly TimeSpan ControlRequestTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The pipes of a bulk stream hold one pump chunk, here and on the host. With the default 64 KiB, ssh and sshd
    /// write a few kilobytes at every wake-up: on the lab, the switch's two streams at once (8 MB of delta, 10 MB of
    /// images) took 0.5 s instead of 0.2 s, and twice the CPU time, all of it in those wake-ups.
    /// </summary>
    private const int StreamPipeCapacity = StreamChunk.Size;
    private static readonly RemoteCommand ProbeCommand = RemoteCommand.Create("true");

    /// <summary>What a forwarding process runs on its host: it reads its standard input until that closes.</summary>
    private static readonly RemoteCommand ForwardHolder = RemoteCommand.Create("cat");

    private readonly SemaphoreSlim _openGate = new(1, 1);
    private readonly string _instance = Guid.NewGuid().ToString("N").Substring(0, 8);
    private volatile SshSettings? _settings;
    private int _disposed;

    /// <summary>Creates a connection; nothing is started until it is opened or first used.</summary>
    /// <param name="destination">The host to connect to.</param>
    /// <param name="options">How to connect; <see langword="null"/> leaves everything to ssh_config.</param>
    /// <exception cref="ArgumentException">An option is invalid; the message names it and the fix.</exception>
    public SshConnection(SshDestination destination, SshOptions? options = null)
    {
        Destination = destination ?? throw new ArgumentNullException(nameof(destination));
        Options = options ?? SshOptions.Default;
        Options.Validate();
        if (Options.ControlDirectory is not null && !Path.IsPathRooted(Options.ControlDirectory))
        {
            throw new ArgumentException(
                $"ControlDirectory {SafeText.Show(Options.ControlDirectory)} is relative; give an absolute path.", nameof(options));
        }
    }

    /// <summary>The host.</summary>
    public SshDestination Destination { get; }

    /// <summary>How the connection reaches the host.</summary>
    public SshOptions Options { get; }

    /// <summary>
    /// The control socket path as given to ssh (with ssh's <c>%C</c> token), once opened; <see langword="null"/>
    /// before that and when connections are not shared.
    /// </summary>
    public string? ControlPath => _settings?.ControlPath;

    /// <summary>True when commands run through <c>sudo -n</c> (<see cref="SshOptions.UseSudo"/> and a non-root remote user); known once opened.</summary>
    public bool UsesSudo => _settings?.Elevate ?? false;

    /// <summary>The host helper the stages that need root run through (<see cref="SshOptions.HostHelper"/> and a non-root user); known once opened.</summary>
    public string? HostHelper => _settings?.Helper;

    private string Host => Destination.ToString();

    /// <summary>Opens the connection now rather than on first use, so connection problems surface early.</summary>
    /// <param name="cancellationToken">Stops opening.</param>
    /// <returns>A task that completes when the host has answered.</returns>
    /// <exception cref="RemoteException">ssh could not connect or log in, or sudo needs a password (a subclass says which).</exception>
    /// <exception cref="InvalidOperationException">The control directory is not private.</exception>
    public Task OpenAsync(CancellationToken cancellationToken = default) => EnsureOpenAsync(cancellationToken);

    /// <summary>Runs <paramref name="command"/> and returns its result whatever its exit status.</summary>
    /// <param name="command">The command; it gets no standard input.</param>
    /// <param name="cancellationToken">Ends the command, locally and on the host.</param>
    /// <returns>The exit status, standard output and the tail of standard error.</returns>
    /// <exception cref="RemoteException">The connection failed (not the command; a subclass says how).</exception>
    /// <exception cref="OperationCanceledException">The command was cancelled.</exception>
    public async Task<RemoteResult> ExecuteAsync(RemoteCommand command, CancellationToken cancellationToken = default)
    {
        var settings = await EnsureOpenAsync(cancellationToken).ConfigureAwait(false);
        using var source = new RemoteSource(Start(settings, command, readsInput: false, bulk: false, cancellationToken));
        using var output = new MemoryStream();
        await source.Output.CopyToAsync(output, 81920, cancellationToken).ConfigureAwait(false);
        var result = await source.FinishAsync(cancellationToken).ConfigureAwait(false);
        return result with { StandardOutput = output.ToArray() };
    }

    /// <summary>Runs <paramref name="command"/> with <paramref name="standardInput"/> as its input; returns its result whatever its exit status.</summary>
    /// <remarks>The command's standard output must be text: NUL bytes are removed from it (see <see cref="RemoteSink"/>).</remarks>
    /// <param name="command">The command, which reads its standard input.</param>
    /// <param name="standardInput">What the command reads; streamed, not buffered.</param>
    /// <param name="cancellationToken">Ends the command, locally and on the host.</param>
    /// <returns>The exit status, standard output and the tail of standard error.</returns>
    /// <exception cref="RemoteException">The connection failed (not the command; a subclass says how).</exception>
    /// <exception cref="OperationCanceledException">The command was cancelled.</exception>
    public async Task<RemoteResult> ExecuteAsync(RemoteCommand command, Stream standardInput, CancellationToken cancellationToken = default)
    {
        if (standardInput is null)
        {
            throw new ArgumentNullException(nameof(standardInput));
        }

        var settings = await EnsureOpenAsync(cancellationToken).ConfigureAwait(false);
        using var sink = new RemoteSink(Start(settings, command, readsInput: true, bulk: false, cancellationToken));
        await ProcessRunner.CopyUntilClosedAsync(standardInput, sink.Input, cancellationToken).ConfigureAwait(false);
        return await sink.FinishAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="command"/> and checks that it succeeded.</summary>
    /// <param name="command">The command; it gets no standard input.</param>
    /// <param name="cancellationToken">Ends the command, locally and on the host.</param>
    /// <returns>The result.</returns>
    /// <exception cref="RemoteCommandFailedException">The command exited with a non-zero status.</exception>
    /// <exception cref="RemoteException">The connection failed (a subclass says how).</exception>
    /// <exception cref="OperationCanceledException">The command was cancelled.</exception>
    public async Task<RemoteResult> RunAsync(RemoteCommand command, CancellationToken cancellationToken = default) =>
        (await ExecuteAsync(command, cancellationToken).ConfigureAwait(false)).EnsureSuccess();

    /// <summary>Runs <paramref name="command"/> with <paramref name="standardInput"/> as its input and checks that it succeeded.</summary>
    /// <param name="command">The command, which reads its standard input.</param>
    /// <param name="standardInput">What the command reads; streamed, not buffered.</param>
    /// <param name="cancellationToken">Ends the command, locally and on the host.</param>
    /// <returns>The result.</returns>
    /// <exception cref="RemoteCommandFailedException">The command exited with a non-zero status.</exception>
    /// <exception cref="RemoteException">The connection failed (a subclass says how).</exception>
    /// <exception cref="OperationCanceledException">The command was cancelled.</exception>
    public async Task<RemoteResult> RunAsync(RemoteCommand command, Stream standardInput, CancellationToken cancellationToken = default) =>
        (await ExecuteAsync(command, standardInput, cancellationToken).ConfigureAwait(false)).EnsureSuccess();

    /// <summary>
    /// Starts <paramref name="command"/> with its standard output streamed to the caller, as a bulk stream: its pipes
    /// here and on the host are enlarged where the systems allow it.
    /// </summary>
    /// <param name="command">The command; it gets no standard input.</param>
    /// <param name="cancellationToken">Ends the command, locally and on the host, for as long as it runs.</param>
    /// <returns>The running command.</returns>
    /// <exception cref="RemoteException">The connection could not be opened (a subclass says why).</exception>
    public async Task<RemoteSource> StartSourceAsync(RemoteCommand command, CancellationToken cancellationToken = default)
    {
        var settings = await EnsureOpenAsync(cancellationToken).ConfigureAwait(false);
        return new RemoteSource(Start(settings, command, readsInput: false, bulk: true, cancellationToken));
    }

    /// <summary>
    /// Starts <paramref name="command"/> reading the standard input the caller writes, as a bulk stream: its pipes here
    /// and on the host are enlarged where the systems allow it.
    /// </summary>
    /// <param name="command">The command, which reads its standard input.</param>
    /// <param name="cancellationToken">Ends the command, locally and on the host, for as long as it runs.</param>
    /// <returns>The running command.</returns>
    /// <exception cref="RemoteException">The connection could not be opened (a subclass says why).</exception>
    public async Task<RemoteSink> StartSinkAsync(RemoteCommand command, CancellationToken cancellationToken = default)
    {
        var settings = await EnsureOpenAsync(cancellationToken).ConfigureAwait(false);
        return new RemoteSink(Start(settings, command, readsInput: true, bulk: true, cancellationToken));
    }

    /// <summary>
    /// Starts an ssh process of its own that holds <paramref name="forwards"/> for as long as it runs (see
    /// <see cref="SshArguments.ForForwarding"/>). It runs <c>cat</c> on the host, which ends when the process's standard
    /// input closes: closing it (or this controller dying) ends the forwards once their connections have closed;
    /// killing the process ends them at once.
    /// </summary>
    /// <param name="forwards">The <c>-L</c>/<c>-R</c> arguments, already validated.</param>
    /// <param name="cancellationToken">Kills the process when cancelled, for its whole life.</param>
    /// <returns>The running process.</returns>
    /// <exception cref="RemoteException">The connection could not be opened (a subclass says why).</exception>
    internal async Task<LocalProcess> StartForwardingAsync(IReadOnlyList<string> forwards, CancellationToken cancellationToken)
    {
        var settings = await EnsureOpenAsync(cancellationToken).ConfigureAwait(false);
        var command = new LocalCommand(
            Options.SshPath, SshArguments.ForForwarding(Destination, Options, settings, forwards, ForwardHolder.CommandLine));
        return LocalProcess.Start(command, cancellationToken);
    }

    /// <summary>Closes the shared connection (<c>ssh -O exit</c>), ending any command still running on it.</summary>
    /// <param name="cancellationToken">Stops waiting for ssh.</param>
    /// <returns>A task that completes when ssh has answered.</returns>
    public async Task CloseAsync(CancellationToken cancellationToken = default)
    {
        var settings = _settings;
        _settings = null;
        if (settings?.ControlPath is null)
        {
            return;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ControlRequestTimeout);
        try
        {
            // Fails harmlessly when the shared connection already ended (ControlPersist expired).
            await ControlAsync(settings, "exit", timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // ssh did not answer in time; the shared connection ends by itself after ControlPersist.
        }
    }

    /// <summary>Closes the shared connection.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Only ConfigureAwait(false) continuations and process events run inside, so blocking cannot deadlock.
        CloseAsync(CancellationToken.None).GetAwaiter().GetResult();
        _openGate.Dispose();
    }

    private async Task<SshSettings> EnsureOpenAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            throw new ObjectDisposedException(nameof(SshConnection));
        }

        if (_settings is { } open)
        {
            return open;
        }

        await _openGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_settings is { } openedMeanwhile)
            {
                return openedMeanwhile;
            }

            var settings = await ResolveAsync(cancellationToken).ConfigureAwait(false);

            // Alone, so that it becomes the shared connection rather than racing another command to it.
            using (var probe = new RemoteSource(Start(settings, ProbeCommand, readsInput: false, bulk: false, cancellationToken)))
            {
                (await probe.FinishAsync(cancellationToken).ConfigureAwait(false)).EnsureSuccess();
            }

            _settings = settings;
            return settings;
        }
        finally
        {
            _openGate.Release();
        }
    }

    private async Task<SshSettings> ResolveAsync(CancellationToken cancellationToken)
    {
        string? controlPath = null;
        if (Options.Multiplexing && ControlDirectory.IsSupported)
        {
            var directory = Options.ControlDirectory ?? ControlDirectory.DefaultPath();
            var length = Encoding.UTF8.GetByteCount(directory);
            if (length + 1 + ControlSocketNameBytes > MaxSocketPathBytes)
            {
                throw new ArgumentException(
                    $"The ssh control directory {SafeText.Show(directory)} is {length} bytes long; control sockets inside it would exceed " +
                    "the Unix socket path limit. Set SshOptions.ControlDirectory to a private directory of at most " +
                    $"{MaxSocketPathBytes - 1 - ControlSocketNameBytes} bytes, such as /tmp/mt-ssh.");
            }

            ControlDirectory.EnsurePrivate(directory);
            // Each connection has a master of its own: disposing one must never cut off another's commands in flight.
            controlPath = directory.TrimEnd('/') + "/" + OptionsFingerprint() + "-" + _instance + "-%C";
        }

        var effective = QueryConfigAsync(builtInDefaults: false, cancellationToken);
        var defaults = QueryConfigAsync(builtInDefaults: true, cancellationToken);
        return SshSettings.Decide(
            Options,
            await effective.ConfigureAwait(false),
            await defaults.ConfigureAwait(false),
            controlPath);
    }

    private async Task<SshClientConfig> QueryConfigAsync(bool builtInDefaults, CancellationToken cancellationToken)
    {
        var command = new LocalCommand(Options.SshPath, SshArguments.ForConfigQuery(Destination, Options, builtInDefaults));
        var result = await ProcessRunner.RunAsync(command, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new RemoteException(
                $"ssh could not read its configuration for {Host} (exit status {result.ExitCode}); fix the ssh_config it names:\n" +
                RemoteException.Excerpt(result.StandardError),
                Host,
                null,
                result.StandardError);
        }

        return SshClientConfig.Parse(result.OutputText);
    }

    /// <summary>Starts ssh with the wrapped command; a bulk stream gets large pipes on both ends (see <see cref="StreamPipeCapacity"/>).</summary>
    private RemoteRun Start(SshSettings settings, RemoteCommand command, bool readsInput, bool bulk, CancellationToken cancellationToken)
    {
        if (command is null)
        {
            throw new ArgumentNullException(nameof(command));
        }

        if (settings.Helper is { } helper)
        {
            command = HostElevation.Elevate(command, helper);
        }

        var remoteLine = RemoteWrapper.CommandLine(command, readsInput, settings.Elevate, bulk);
        // ssh, or the shared connection it hands its descriptors to, writes into and reads from these pipes directly.
        var local = new LocalCommand(Options.SshPath, SshArguments.ForCommand(Destination, Options, settings, remoteLine))
        {
            PipeCapacity = bulk ? StreamPipeCapacity : null,
        };
        return new RemoteRun(LocalProcess.Start(local, cancellationToken), Host, command.CommandLine, readsInput, settings.User);
    }

    private Task<ProcessResult> ControlAsync(SshSettings settings, string operation, CancellationToken cancellationToken) =>
        ProcessRunner.RunAsync(
            new LocalCommand(Options.SshPath, SshArguments.ForControl(Destination, Options, settings, operation)),
            cancellationToken: cancellationToken);

    /// <summary>
    /// Part of the socket name, so that connections made with different keys, known_hosts or configuration
    /// never share one another's authenticated master.
    /// </summary>
    private string OptionsFingerprint()
    {
        var identity = string.Join(
            "\n",
            Destination.ToString(),
            Options.User ?? "",
            Options.IdentityFile ?? "",
            Options.ConfigFile ?? "",
            Options.KnownHostsFile ?? "",
            Options.BulkCipher ?? "",
            Options.SshPath);
        using var sha = SHA256.Create();
        var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(identity));
        var hex = new StringBuilder(8);
        for (var i = 0; i < 4; i++)
        {
            hex.Append(hash[i].ToString("x2", CultureInfo.InvariantCulture));
        }

        return hex.ToString();
    }
}
