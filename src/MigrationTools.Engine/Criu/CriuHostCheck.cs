using System.Collections.Generic;
using System.Linq;
using MigrationTools.Engine.Preflight;

namespace MigrationTools.Engine.Criu;

/// <summary>What one host's CRIU can do, found without changing anything, with one preflight check per finding.</summary>
/// <param name="Host">The host.</param>
/// <param name="Version">The CRIU version, or <see langword="null"/> when CRIU is missing or unrecognised.</param>
/// <param name="Kernel">The kernel release, or <see langword="null"/> when unrecognised.</param>
/// <param name="CheckPassed">True when <c>criu check</c> succeeded.</param>
/// <param name="CanPreDump">
/// True when <c>criu check --feature mem_dirty_track</c> succeeded: memory can be pre-copied while the workload
/// runs. When false, the final dump copies all memory while the workload is frozen.
/// </param>
/// <param name="Checks">One check per finding: <c>CriuVersion</c>, <c>CriuCheck</c>, <c>CriuPreDump</c> (informational).</param>
public sealed record CriuHostCheck(
    string Host, CriuVersion? Version, KernelRelease? Kernel, bool CheckPassed, bool CanPreDump, IReadOnlyList<PreflightCheck> Checks)
{
    /// <summary>True when every check passed: the host can checkpoint and restore.</summary>
    public bool Passed => Checks.All(c => c.Passed);
}
