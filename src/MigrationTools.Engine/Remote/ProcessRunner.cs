using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace MigrationTools.Engine.Remote;

/// <summary>Runs a local program to completion, feeding and collecting its standard streams concurrently.</summary>
internal static class ProcessRunner
{
    private const int CopyBufferSize = 128 * 1024;

    /// <summary>
    /// Runs <paramref name="command"/>, copying <paramref name="standardInput"/> to it (then end-of-file) while
    /// its standard output and standard error are read, so no pipe can fill up and deadlock.
    /// </summary>
    /// <param name="command">The program and its arguments.</param>
    /// <param name="standardInput">What to feed the program; <see langword="null"/> for immediate end-of-file.</param>
    /// <param name="standardOutput">
    /// Where to stream the program's standard output; <see langword="null"/> collects it into
    /// <see cref="ProcessResult.StandardOutput"/> (use a stream for large output).
    /// </param>
    /// <param name="cancellationToken">Kills the program when cancelled.</param>
    /// <returns>The exit code, standard output (when collected) and the tail of standard error.</returns>
    /// <exception cref="OperationCanceledException">The program was killed because the token was cancelled.</exception>
    /// <exception cref="InvalidOperationException">The program could not be started.</exception>
    public static async Task<ProcessResult> RunAsync(
        LocalCommand command,
        Stream? standardInput = null,
        Stream? standardOutput = null,
        CancellationToken cancellationToken = default)
    {
        using var process = LocalProcess.Start(command, cancellationToken);
        using var collected = standardOutput is null ? new MemoryStream() : null;
        var output = process.StandardOutput.CopyToAsync(standardOutput ?? collected!, CopyBufferSize, cancellationToken);
        var input = FeedAsync(process, standardInput, cancellationToken);

        // A failed pump (a broken destination stream, say) would leave the program blocked on a pipe.
        KillOnFault(output, process);
        KillOnFault(input, process);
        try
        {
            await Task.WhenAll(output, input).ConfigureAwait(false);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            throw;
        }

        var result = await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return collected is null ? result : result with { StandardOutput = collected.ToArray() };
    }

    /// <summary>Copies <paramref name="source"/> to the program, then closes its standard input.</summary>
    private static async Task FeedAsync(LocalProcess process, Stream? source, CancellationToken cancellationToken)
    {
        try
        {
            if (source is not null)
            {
                await CopyUntilClosedAsync(source, process.StandardInput, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            process.CloseStandardInput();
        }
    }

    /// <summary>
    /// Copies <paramref name="source"/> into a process's input <paramref name="destination"/>. A destination that
    /// closes early (the program exited without reading everything) ends the copy quietly, since the program's
    /// exit status tells why; an error reading <paramref name="source"/> is the caller's and is rethrown.
    /// </summary>
    /// <returns>True when all of <paramref name="source"/> was written; false when the destination closed first.</returns>
    internal static async Task<bool> CopyUntilClosedAsync(Stream source, Stream destination, CancellationToken cancellationToken)
    {
        var buffer = new byte[CopyBufferSize];
        int read;
        while ((read = await source.ReadAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false)) > 0)
        {
            try
            {
                await destination.WriteAsync(buffer, 0, read, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException)
            {
                return false;
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }

        return true;
    }

    private static void KillOnFault(Task pump, LocalProcess process) =>
        _ = pump.ContinueWith(
            _ => process.Kill(),
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
}
