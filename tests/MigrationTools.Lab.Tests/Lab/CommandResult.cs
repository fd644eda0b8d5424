using System.Text;

namespace MigrationTools.Lab.Tests.Lab;

/// <summary>What a finished command left behind.</summary>
public sealed record CommandResult(string Command, int ExitCode, byte[] StandardOutput, string StandardError)
{
    public string Text => Encoding.UTF8.GetString(StandardOutput);

    /// <summary>Throws with the command, exit code and stderr unless the command succeeded.</summary>
    public CommandResult EnsureSuccess()
    {
        if (ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"'{Command}' exited with {ExitCode}.\nstderr: {StandardError}\nstdout: {Text}");
        }

        return this;
    }
}
