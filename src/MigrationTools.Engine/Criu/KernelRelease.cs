using System;
using System.Globalization;
using System.Text.RegularExpressions;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Criu;

/// <summary>A Linux kernel release as <c>uname -r</c> prints it, such as <c>6.18.44-fc-v595</c>.</summary>
/// <param name="Text">The release as printed.</param>
/// <param name="Major">The major version.</param>
/// <param name="Minor">The minor version.</param>
/// <param name="Patch">The patch level; 0 when not printed.</param>
internal sealed record KernelRelease(string Text, int Major, int Minor, int Patch)
{
    private static readonly Regex Release = new(@"^(\d{1,6})\.(\d{1,6})(?:\.(\d{1,6}))?", RegexOptions.CultureInvariant);

    /// <summary>
    /// True from 6.16 on: the kernel refuses SO_PASSCRED on non-Unix sockets, so CRIU older than
    /// <see cref="CriuVersion.TcpOnNewKernels"/> cannot dump a process holding a TCP socket.
    /// </summary>
    public bool RefusesPassCredOnInetSockets => Major > 6 || (Major == 6 && Minor >= 16);

    /// <summary>Parses the output of <c>uname -r</c>.</summary>
    /// <param name="text">What it printed.</param>
    /// <returns>The release.</returns>
    /// <exception cref="FormatException">It does not begin with <c>X.Y</c>.</exception>
    public static KernelRelease Parse(string text)
    {
        var trimmed = (text ?? "").Trim();
        var match = Release.Match(trimmed);
        if (!match.Success)
        {
            throw new FormatException($"uname -r printed {SafeText.Show(trimmed)}, which is not a kernel release such as 6.1.0.");
        }

        return new KernelRelease(
            trimmed,
            int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture),
            int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture),
            match.Groups[3].Success ? int.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture) : 0);
    }

    /// <summary>The release as printed.</summary>
    /// <returns><see cref="Text"/>.</returns>
    public override string ToString() => Text;
}
