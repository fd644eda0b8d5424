namespace MigrationTools.Bench;

/// <summary>How the memory benchmark moved the workload.</summary>
internal enum MemoryMethod
{
    /// <summary>By hand: criu dump to tmpfs, the images through the controller, criu restore.</summary>
    Raw,

    /// <summary>The engine's live switch asked for post-copy.</summary>
    PostCopy,

    /// <summary>The engine's live switch asked for (streamed) stop-and-copy.</summary>
    StopAndCopy,
}

/// <summary>One move of a memhold workload and its memory's checksum before and after.</summary>
/// <param name="SizeMib">The memory it held.</param>
/// <param name="WriteMibPerSecond">The rate it rewrote its memory at; 0 when idle.</param>
/// <param name="Method">How it moved.</param>
/// <param name="Run">The run (1-based).</param>
/// <param name="Downtime">The engine's recorded downtime; by hand, from the dump's start to the restore's return.</param>
/// <param name="UntilEveryPage">
/// From the freeze until every page was on the destination: the downtime less the health check, plus the post-copy
/// part after the restore; by hand, the same as the downtime.
/// </param>
/// <param name="Recorded">The memory transfer the engine's record names (what it did, whatever was asked).</param>
/// <param name="Parts">Where the time went, as text.</param>
/// <param name="ChecksumBefore">The memory's checksum on the source before the move; empty for a writing workload, whose memory changes anyway.</param>
/// <param name="ChecksumAfter">The memory's checksum on the destination after the move (asked for also when writing: the restored workload answers).</param>
/// <param name="Load">The one-minute load average at the move.</param>
internal sealed record MemorySample(
    int SizeMib, double WriteMibPerSecond, MemoryMethod Method, int Run, double Downtime, double UntilEveryPage, string Recorded, string Parts,
    string ChecksumBefore, string ChecksumAfter, string Load)
{
    public bool Idle => WriteMibPerSecond <= 0;

    /// <summary>Whether the memory arrived intact; only an idle workload's memory must be unchanged.</summary>
    public bool? ChecksumMatches => Idle ? ChecksumBefore == ChecksumAfter : null;

    public string LoadName => Idle ? "idle" : $"writing {WriteMibPerSecond:0.#} MiB/s";

    public override string ToString() =>
        $"{Method,-11} {SizeMib} MiB {LoadName} run {Run}: downtime {Downtime:0.000} s, until every page {UntilEveryPage:0.000} s ({Recorded}; {Parts}); " +
        $"checksum {(ChecksumMatches switch { true => "matches", false => $"MISMATCH: {ChecksumBefore} before, {ChecksumAfter} after", null => "not compared (writing)" })}; " +
        $"load {Load}";
}
