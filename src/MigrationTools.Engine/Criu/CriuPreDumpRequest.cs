using System;
using System.Linq;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Engine.Criu;

/// <summary>One round of pre-copy: the memory of a running tree, or the pages it dirtied since the previous round.</summary>
internal sealed record CriuPreDumpRequest
{
    private readonly string? _previousImages;

    /// <summary>Creates a first round.</summary>
    /// <param name="process">The root of the tree; its start time is checked first.</param>
    /// <param name="images">Where this round's images go; recreated empty.</param>
    public CriuPreDumpRequest(WorkloadProcess process, CriuImageDirectory images)
    {
        Process = process ?? throw new ArgumentNullException(nameof(process));
        Images = images ?? throw new ArgumentNullException(nameof(images));
    }

    /// <summary>The root of the tree.</summary>
    public WorkloadProcess Process { get; }

    /// <summary>Where this round's images go.</summary>
    public CriuImageDirectory Images { get; }

    /// <summary>The options the final dump will use.</summary>
    public CriuOptions Options { get; init; } = CriuOptions.Default;

    /// <summary>
    /// The destination's page server to send this round's pages to (<c>--page-server --address A --port P</c>), started
    /// in the round's directory there with the same previous images; <see langword="null"/> (the default) writes them here.
    /// </summary>
    public CriuPageServer? PageServer { get; init; }

    /// <summary>
    /// The previous round's images relative to <see cref="Images"/> (such as <c>../pre-1</c>), so this round writes
    /// only the pages dirtied since; <see langword="null"/> for the first round.
    /// </summary>
    /// <exception cref="ArgumentException">Not a relative path of letters, digits, <c>. _ -</c> and '/'.</exception>
    public string? PreviousImages
    {
        get => _previousImages;
        init => _previousImages = value is null || PreviousImagesError(value) is not { } error ? value : throw new ArgumentException(error, nameof(PreviousImages));
    }

    /// <summary>Why <paramref name="path"/> cannot name a previous round's images; <see langword="null"/> when it can.</summary>
    internal static string? PreviousImagesError(string path)
    {
        const string Fix = "give the previous images relative to this dump's directory, such as ../pre-1";
        if (path.Length == 0 || path[0] == '/' || path.EndsWith("/", StringComparison.Ordinal))
        {
            return $"The previous images {SafeText.Show(path)} are not a relative directory; {Fix}.";
        }

        foreach (var component in path.Split('/'))
        {
            if (component.Length == 0 || component == "." || component[0] == '-'
                || component.Any(c => !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c is '.' or '_' or '-')))
            {
                return $"The previous images {SafeText.Show(path)} have an empty, '.', '-'-led or unusual component; {Fix}.";
            }
        }

        return null;
    }
}
