using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Preflight;

namespace MigrationTools.Engine.Criu;

/// <summary>
/// Whether a live move between two hosts can work as far as CRIU is concerned: each host's CRIU and kernel, and
/// the target's CPU against the source's. Nothing is changed to find out.
/// </summary>
/// <param name="Source">The source host's findings.</param>
/// <param name="Target">The target host's findings.</param>
/// <param name="Cpu">The CPU comparison.</param>
internal sealed record CriuPreflight(CriuHostCheck Source, CriuHostCheck Target, CpuCompatibility Cpu)
{
    /// <summary>Every check, source first, then target, then the CPU comparison.</summary>
    public IReadOnlyList<PreflightCheck> Checks => Source.Checks.Concat(Target.Checks).Concat(new[] { Cpu.ToCheck() }).ToArray();

    /// <summary>True when every check passed.</summary>
    public bool Passed => Checks.All(c => c.Passed);

    /// <summary>
    /// True when memory can be pre-copied from the source while the workload runs (<see cref="PreCopyBlock"/>);
    /// otherwise the workload is frozen while all its memory is copied, or restored at once by post-copy.
    /// </summary>
    public bool CanPreDump => PreCopyBlock is null;

    /// <summary>
    /// Why the two hosts cannot move memory by post-copy (each host that cannot, in a sentence naming it and the fix);
    /// <see langword="null"/> when both can.
    /// </summary>
    public string? PostCopyBlock => Join(Source.PostCopyBlock, Target.PostCopyBlock);

    /// <summary>
    /// Why the two hosts cannot pre-copy memory; <see langword="null"/> when they can. Only the source pre-dumps, so
    /// only its kernel must track dirty memory (mem_dirty_track); the destination needs a CRIU that receives the
    /// rounds (its page server links each round to the previous one) and restores from the chain, which every CRIU
    /// that passes its other checks does.
    /// </summary>
    public string? PreCopyBlock => Source.PreCopyBlock ?? (Target.Version is null ? $"{Target.Host} has no usable CRIU to receive pre-copy rounds." : null);

    /// <summary>Checks both hosts (concurrently), then their CPUs.</summary>
    /// <param name="source">The source host's CRIU.</param>
    /// <param name="target">The target host's CRIU.</param>
    /// <param name="cancellationToken">Stops the checks.</param>
    /// <returns>The findings.</returns>
    public static async Task<CriuPreflight> RunAsync(CriuHost source, CriuHost target, CancellationToken cancellationToken = default)
    {
        if (source is null)
        {
            throw new ArgumentNullException(nameof(source));
        }

        if (target is null)
        {
            throw new ArgumentNullException(nameof(target));
        }

        var sourceCheck = source.CheckAsync(cancellationToken);
        var targetCheck = target.CheckAsync(cancellationToken);
        await Task.WhenAll(sourceCheck, targetCheck).ConfigureAwait(false);
        var cpu = await source.CheckCpuCompatibilityAsync(target, cancellationToken).ConfigureAwait(false);
        return new CriuPreflight(await sourceCheck.ConfigureAwait(false), await targetCheck.ConfigureAwait(false), cpu);
    }

    private static string? Join(string? source, string? target) =>
        source is null ? target : target is null || target == source ? source : source + " " + target;

}
