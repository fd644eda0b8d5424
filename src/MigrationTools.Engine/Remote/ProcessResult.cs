using System;
using System.Text;

namespace MigrationTools.Engine.Remote;

/// <summary>How a local program ended and what it printed.</summary>
/// <param name="ExitCode">The exit code (128 + n on Unix when ended by signal n).</param>
/// <param name="StandardOutput">Its standard output; empty when the output was streamed elsewhere.</param>
/// <param name="StandardError">The tail of its standard error, decoded as UTF-8.</param>
/// <param name="StandardErrorTruncated">True when earlier standard error was dropped to stay within the limit.</param>
internal sealed record ProcessResult(int ExitCode, byte[] StandardOutput, string StandardError, bool StandardErrorTruncated)
{
    /// <summary>Standard output decoded as UTF-8.</summary>
    public string OutputText => Encoding.UTF8.GetString(StandardOutput ?? Array.Empty<byte>());
}
