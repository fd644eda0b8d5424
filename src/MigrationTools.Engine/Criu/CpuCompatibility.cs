using MigrationTools.Engine.Preflight;

namespace MigrationTools.Engine.Criu;

/// <summary>
/// Whether a tree checkpointed on the source can run on the target's CPU: <c>criu cpuinfo dump</c> on the source,
/// <c>criu cpuinfo check</c> on the target.
/// </summary>
/// <param name="Source">The source host.</param>
/// <param name="Target">The target host.</param>
/// <param name="Verified">True when CRIU could compare the CPUs; false where it does not support that.</param>
/// <param name="Compatible">True when the target's CPU has what the source's offers, or when that could not be verified.</param>
/// <param name="Message">What was found.</param>
internal sealed record CpuCompatibility(string Source, string Target, bool Verified, bool Compatible, string Message)
{
    /// <summary>The finding as a preflight check named <c>CriuCpuCompatible</c>; an unverifiable pair passes with a note.</summary>
    /// <returns>The check.</returns>
    internal PreflightCheck ToCheck() => new("CriuCpuCompatible", Compatible, Message, $"{Source} -> {Target}");
}
