using System.Diagnostics;

namespace MigrationTools.Lab.Tests.Lab;

/// <summary>Runs local programs for the lab tests, with a time limit and full capture.</summary>
public static class Shell
{
    public static async Task<CommandResult> RunAsync(
        string program,
        IEnumerable<string> arguments,
        TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null,
        Stream? standardInput = null)
    {
        var startInfo = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[name] = value;
        }

        var display = string.Join(' ', startInfo.ArgumentList.Prepend(program));
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"'{display}' did not start.");
        using var output = new MemoryStream();
        var readOutput = process.StandardOutput.BaseStream.CopyToAsync(output);
        var readError = process.StandardError.ReadToEndAsync();
        var writeInput = Task.Run(async () =>
        {
            try
            {
                if (standardInput is not null)
                {
                    await standardInput.CopyToAsync(process.StandardInput.BaseStream).ConfigureAwait(false);
                }
            }
            catch (IOException)
            {
                // The program exited without reading all of its input; its exit code tells the story.
            }
            finally
            {
                process.StandardInput.Close();
            }
        });

        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancellation.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{display}' did not finish within {timeout}.");
        }

        await Task.WhenAll(readOutput, readError, writeInput).ConfigureAwait(false);
        return new CommandResult(display, process.ExitCode, output.ToArray(), await readError.ConfigureAwait(false));
    }
}
