using System;
using System.Collections.Generic;
using System.Linq;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Engine.Criu;

/// <summary>What to checkpoint, where to, and how.</summary>
internal sealed record CriuDumpRequest
{
    private IReadOnlyList<string> _carriedFiles = Array.Empty<string>();
    private string? _previousImages;

    /// <summary>Creates a request that leaves the tree stopped, with default options and no carried files.</summary>
    /// <param name="process">The root of the tree; its start time is checked before dumping.</param>
    /// <param name="images">Where the images go; recreated empty.</param>
    public CriuDumpRequest(WorkloadProcess process, CriuImageDirectory images)
    {
        Process = process ?? throw new ArgumentNullException(nameof(process));
        Images = images ?? throw new ArgumentNullException(nameof(images));
    }

    /// <summary>The root of the tree to dump.</summary>
    public WorkloadProcess Process { get; }

    /// <summary>Where the images go.</summary>
    public CriuImageDirectory Images { get; }

    /// <summary>
    /// True (the default) to leave the tree stopped on the source after the dump (<c>--leave-stopped</c>), so undo is
    /// an instant resume; false to let CRIU end it, for moves that never go back.
    /// </summary>
    public bool LeaveStopped { get; init; } = true;

    /// <summary>Options for sockets, locks and external resources; the restore must use the same.</summary>
    public CriuOptions Options { get; init; } = CriuOptions.Default;

    /// <summary>
    /// Files the tree holds open outside its datasets, such as its output log, archived with the images after the dump
    /// and put back in place (with their mode) before the restore: CRIU reopens every file by path and refuses one that
    /// is missing or has another mode. Absolute paths.
    /// </summary>
    /// <exception cref="ArgumentException">A path is not absolute or holds a control character.</exception>
    public IReadOnlyList<string> CarriedFiles
    {
        get => _carriedFiles;
        init
        {
            var paths = (value ?? throw new ArgumentNullException(nameof(value))).ToArray();
            foreach (var path in paths)
            {
                if (path is null || path.Length < 2 || path[0] != '/' || path.Any(char.IsControl))
                {
                    throw new ArgumentException($"A carried file must be an absolute path without control characters; got {SafeText.Show(path)}.", nameof(value));
                }
            }

            _carriedFiles = paths;
        }
    }

    /// <summary>
    /// The destination's page server to stream the pages to (<c>--page-server --address A --port P</c>), from
    /// <see cref="CriuHost.StartPageServerAsync"/>; the other images stay in <see cref="Images"/> on this host.
    /// <see langword="null"/> (the default) writes the pages with the other images.
    /// </summary>
    public CriuPageServer? PageServer { get; init; }

    /// <summary>
    /// The last pre-dump's images, relative to <see cref="Images"/> (such as <c>../pre-2</c>): the dump then writes only
    /// the pages dirtied since (<c>--track-mem --prev-images-dir REL</c>). <see langword="null"/> (the default) for none.
    /// </summary>
    /// <exception cref="ArgumentException">Not a relative path of letters, digits, <c>. _ -</c> and '/'.</exception>
    public string? PreviousImages
    {
        get => _previousImages;
        init => _previousImages = value is null || CriuPreDumpRequest.PreviousImagesError(value) is not { } error
            ? value
            : throw new ArgumentException(error, nameof(PreviousImages));
    }

    /// <summary>True when both ask for the same dump.</summary>
    /// <param name="other">The other request.</param>
    /// <returns>True when equal.</returns>
    public bool Equals(CriuDumpRequest? other) =>
        other is not null && Process == other.Process && Images == other.Images && LeaveStopped == other.LeaveStopped
        && Options == other.Options && CarriedFiles.SequenceEqual(other.CarriedFiles, StringComparer.Ordinal)
        && PageServer == other.PageServer && string.Equals(PreviousImages, other.PreviousImages, StringComparison.Ordinal);

    /// <summary>A hash consistent with <see cref="Equals(CriuDumpRequest)"/>.</summary>
    /// <returns>The hash.</returns>
    public override int GetHashCode() => Process.GetHashCode() ^ Images.GetHashCode() ^ (LeaveStopped ? 1 : 0);
}
