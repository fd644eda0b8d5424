using System;

namespace MigrationTools.Engine.Criu;

/// <summary>What to restore and how.</summary>
/// <param name="Images">The images, on the host that restores them.</param>
public sealed record CriuRestoreRequest(CriuImageDirectory Images)
{
    /// <summary>The checkpoint's images.</summary>
    public CriuImageDirectory Images { get; } = Images ?? throw new ArgumentNullException(nameof(Images));

    /// <summary>The options the dump used.</summary>
    public CriuOptions Options { get; init; } = CriuOptions.Default;

    /// <summary>A request that mirrors <paramref name="dump"/>'s options, for images at <paramref name="images"/>.</summary>
    /// <param name="dump">The dump the images came from.</param>
    /// <param name="images">Where the images are on the restoring host; <see langword="null"/> for where the dump put them.</param>
    /// <returns>The request.</returns>
    public static CriuRestoreRequest For(CriuDump dump, CriuImageDirectory? images = null)
    {
        if (dump is null)
        {
            throw new ArgumentNullException(nameof(dump));
        }

        return new CriuRestoreRequest(images ?? dump.Images) { Options = dump.Options };
    }
}
