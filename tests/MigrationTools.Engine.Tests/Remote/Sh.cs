using System.Diagnostics;

namespace MigrationTools.Engine.Tests.Remote;

/// <summary>Runs a command line through the real POSIX shell and captures what it prints.</summary>
internal static class Sh
{
    public const string Path = "/bin/sh";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static bool IsAvailable => File.Exists(Path);

    /// <summary>Runs <c>/bin/sh -c <paramref name="commandLine"/></c>; returns its standard output, byte for byte.</summary>
    public static byte[] Run(string commandLine)
    {
        var startInfo = new ProcessStartInfo(Path)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        startInfo.ArgumentList.Add("-c");
        startInfo.ArgumentList.Add(commandLine);

        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"{Path} did not start.");
        process.StandardInput.Close();

        using var stdout = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        var stderr = process.StandardError.ReadToEndAsync();

        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path} -c did not finish within {Timeout}: {commandLine}");
        }

        Task.WaitAll(copy, stderr);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Path} -c exited with {process.ExitCode}: {stderr.Result}\ncommand line: {commandLine}");
        }

        return stdout.ToArray();
    }
}

/// <summary>A fact that needs <c>/bin/sh</c>; skipped where there is none.</summary>
public sealed class ShellFactAttribute : FactAttribute
{
    public ShellFactAttribute()
    {
        if (!Sh.IsAvailable)
        {
            Skip = $"{Sh.Path} is not present on this machine.";
        }
    }
}

/// <summary>A theory that needs <c>/bin/sh</c>; skipped where there is none.</summary>
public sealed class ShellTheoryAttribute : TheoryAttribute
{
    public ShellTheoryAttribute()
    {
        if (!Sh.IsAvailable)
        {
            Skip = $"{Sh.Path} is not present on this machine.";
        }
    }
}
