using System;
using System.Globalization;
using System.Text.RegularExpressions;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Criu;

/// <summary>A CRIU version, as <c>criu --version</c> prints it (<c>Version: 4.2.1</c>).</summary>
/// <param name="Major">The major version.</param>
/// <param name="Minor">The minor version.</param>
/// <param name="Patch">The patch level; 0 when not printed.</param>
internal sealed record CriuVersion(int Major, int Minor, int Patch = 0) : IComparable<CriuVersion>
{
    private static readonly Regex VersionLine = new(
        @"^\s*Version:\s*(\d{1,6})\.(\d{1,6})(?:\.(\d{1,6}))?",
        RegexOptions.CultureInvariant | RegexOptions.Multiline);

    /// <summary>
    /// The first version that can dump TCP sockets on kernels from 6.16 (<see cref="KernelRelease.RefusesPassCredOnInetSockets"/>):
    /// earlier ones ask for SO_PASSCRED on every socket, which those kernels refuse on non-Unix sockets.
    /// </summary>
    public static CriuVersion TcpOnNewKernels { get; } = new(4, 2);

    /// <summary>Parses the output of <c>criu --version</c>.</summary>
    /// <param name="output">What it printed.</param>
    /// <returns>The version.</returns>
    /// <exception cref="FormatException">There is no <c>Version: X.Y[.Z]</c> line; the message quotes the output.</exception>
    public static CriuVersion Parse(string output) =>
        TryParse(output, out var version)
            ? version!
            : throw new FormatException($"criu --version printed {SafeText.Show((output ?? "").Trim())}, with no \"Version: X.Y\" line.");

    /// <summary>Parses the output of <c>criu --version</c> without throwing.</summary>
    /// <param name="output">What it printed.</param>
    /// <param name="version">The version, or <see langword="null"/>.</param>
    /// <returns>True when a version was found.</returns>
    public static bool TryParse(string? output, out CriuVersion? version)
    {
        version = null;
        var match = VersionLine.Match(output ?? "");
        if (!match.Success)
        {
            return false;
        }

        version = new CriuVersion(
            int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture),
            int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture),
            match.Groups[3].Success ? int.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture) : 0);
        return true;
    }

    /// <summary>Orders versions numerically.</summary>
    /// <param name="other">The other version.</param>
    /// <returns>Negative, zero or positive as this one is older, the same or newer.</returns>
    public int CompareTo(CriuVersion? other)
    {
        if (other is null)
        {
            return 1;
        }

        var major = Major.CompareTo(other.Major);
        if (major != 0)
        {
            return major;
        }

        var minor = Minor.CompareTo(other.Minor);
        return minor != 0 ? minor : Patch.CompareTo(other.Patch);
    }

    /// <summary>True when this version is <paramref name="other"/> or newer.</summary>
    /// <param name="other">The version to compare with.</param>
    /// <returns>True when at least <paramref name="other"/>.</returns>
    internal bool IsAtLeast(CriuVersion other) => CompareTo(other) >= 0;

    /// <summary>True when <paramref name="left"/> is older than <paramref name="right"/>.</summary>
    /// <param name="left">A version.</param>
    /// <param name="right">Another version.</param>
    /// <returns>The comparison.</returns>
    public static bool operator <(CriuVersion? left, CriuVersion? right) => Compare(left, right) < 0;

    /// <summary>True when <paramref name="left"/> is older than or the same as <paramref name="right"/>.</summary>
    /// <param name="left">A version.</param>
    /// <param name="right">Another version.</param>
    /// <returns>The comparison.</returns>
    public static bool operator <=(CriuVersion? left, CriuVersion? right) => Compare(left, right) <= 0;

    /// <summary>True when <paramref name="left"/> is newer than <paramref name="right"/>.</summary>
    /// <param name="left">A version.</param>
    /// <param name="right">Another version.</param>
    /// <returns>The comparison.</returns>
    public static bool operator >(CriuVersion? left, CriuVersion? right) => Compare(left, right) > 0;

    /// <summary>True when <paramref name="left"/> is newer than or the same as <paramref name="right"/>.</summary>
    /// <param name="left">A version.</param>
    /// <param name="right">Another version.</param>
    /// <returns>The comparison.</returns>
    public static bool operator >=(CriuVersion? left, CriuVersion? right) => Compare(left, right) >= 0;

    /// <summary>The version as <c>major.minor.patch</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => string.Format(CultureInfo.InvariantCulture, "{0}.{1}.{2}", Major, Minor, Patch);

    private static int Compare(CriuVersion? left, CriuVersion? right) =>
        left is null ? (right is null ? 0 : -1) : left.CompareTo(right);
}
