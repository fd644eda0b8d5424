namespace MigrationTools.Engine.Remote;

/// <summary>
/// The size bulk streams move in: the pump copies this much at a time, and the pipes of an ssh stream hold one
/// chunk. Kept here, below the transfers, so the connection that sizes its pipes needs nothing from above.
/// </summary>
internal static class StreamChunk
{
    /// <summary>Large enough to amortise system calls on fast links, small enough to stay lean.</summary>
    public const int Size = 1 << 20;
}
