using System.Diagnostics;
using System.Text;

namespace MigrationTools.Engine.Tests.Workloads;

/// <summary>Runs one of the engine's host scripts through the local <c>/bin/sh</c>, with arguments and optional input.</summary>
internal static class LocalScript
{
    private static readonly string[] Tools = ["base64", "mktemp", "tar"];

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static (int ExitCode, byte[] Output, string Error) Run(string script, IEnumerable<string> arguments, byte[]? input = null)
    {
        var startInfo = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var word in new[] { "-c", script, "sh" }.Concat(arguments))
        {
            startInfo.ArgumentList.Add(word);
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException("/bin/sh did not start.");
        using var output = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(output);
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            if (input is not null)
            {
                process.StandardInput.BaseStream.Write(input);
            }
        }
        catch (IOException)
        {
            // The script stopped reading; its exit status tells why.
        }

        process.StandardInput.Close();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("The script did not finish within " + Timeout);
        }

        Task.WaitAll(copy, error);
        return (process.ExitCode, output.ToArray(), error.Result);
    }

    public static string Text(this (int ExitCode, byte[] Output, string Error) result) => Encoding.UTF8.GetString(result.Output);

    /// <summary>Tools the scripts use beyond POSIX sh: base64, mktemp, tar, setsid.</summary>
    public static bool ToolsPresent =>
        File.Exists("/bin/sh") && Tools.All(t => File.Exists("/usr/bin/" + t) || File.Exists("/bin/" + t));
}

/// <summary>A fact that runs an engine script locally; skipped where /bin/sh, base64, mktemp or tar are missing.</summary>
public sealed class ScriptFactAttribute : FactAttribute
{
    public ScriptFactAttribute()
    {
        if (!OperatingSystem.IsLinux() || !LocalScript.ToolsPresent)
        {
            Skip = "needs Linux with /bin/sh, base64, mktemp and tar";
        }
    }
}
