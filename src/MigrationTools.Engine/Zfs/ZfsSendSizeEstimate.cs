using System;
using System.Globalization;
using System.Linq;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Zfs;

/// <summary>How big a <c>zfs send</c> stream is expected to be, and what the figure rests on.</summary>
/// <param name="Bytes">The expected size, or <see langword="null"/> when unknown.</param>
/// <param name="Basis">Where the figure comes from.</param>
public sealed record ZfsSendSizeEstimate(long? Bytes, ZfsSendSizeBasis Basis)
{
    /// <summary>No estimate.</summary>
    public static ZfsSendSizeEstimate Unknown { get; } = new(null, ZfsSendSizeBasis.Unknown);

    /// <summary>True when there is a figure.</summary>
    public bool IsKnown => Bytes is not null;

    /// <summary>Parses what <see cref="ZfsSendCommand.Estimate"/> prints: the total on its <c>size</c> line.</summary>
    /// <param name="output">The dry run's standard output, such as <c>full\ttank/a@1\t4096\nsize\t4096\n</c>.</param>
    /// <returns>The estimate, based on <see cref="ZfsSendSizeBasis.DryRun"/>.</returns>
    /// <exception cref="FormatException">The output has no <c>size</c> line with a whole number.</exception>
    internal static ZfsSendSizeEstimate ParseDryRun(string output)
    {
        if (output is null)
        {
            throw new ArgumentNullException(nameof(output));
        }

        foreach (var rawLine in output.Split('\n'))
        {
            var fields = rawLine.TrimEnd('\r').Split('\t');
            if (fields.Length == 2 && fields[0] == "size")
            {
                return long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var bytes)
                    ? new ZfsSendSizeEstimate(bytes, ZfsSendSizeBasis.DryRun)
                    : throw new FormatException($"The size line of the zfs send dry run holds {SafeText.Show(fields[1])}, not a whole number.");
            }
        }

        throw new FormatException(
            "The zfs send dry run printed no 'size' line (was it run with -n -P?); it printed " + SafeText.Show(output.Trim()) + ".");
    }

    /// <summary>
    /// An estimate from space accounting, for a source that cannot do a dry run (legacy zfs), labelled with
    /// its basis: a full stream of one dataset is about the snapshot's <c>referenced</c> space; a replication or
    /// incremental stream is bounded by the <c>used</c> space of what it covers.
    /// </summary>
    /// <param name="source">A listing of the source dataset (with its children when the stream includes them).</param>
    /// <param name="request">What would be sent.</param>
    /// <returns>The estimate, or <see cref="Unknown"/> when the listing lacks the dataset or snapshot.</returns>
    public static ZfsSendSizeEstimate FromSpaceUsage(ZfsListing source, ZfsSendRequest request)
    {
        if (source is null)
        {
            throw new ArgumentNullException(nameof(source));
        }

        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        var dataset = source.Find(request.Snapshot.Dataset);
        if (dataset is null)
        {
            return Unknown;
        }

        if (!request.IsIncremental && !request.IncludeChildren)
        {
            var snapshot = dataset.FindSnapshot(request.Snapshot.ShortName);
            return snapshot is null ? Unknown : new ZfsSendSizeEstimate(snapshot.Referenced, ZfsSendSizeBasis.Referenced);
        }

        if (request.IncludeChildren)
        {
            return new ZfsSendSizeEstimate(dataset.Used, ZfsSendSizeBasis.Used);
        }

        // One dataset alone: its used space counts its children's, which the stream leaves out.
        var children = source.Datasets.Where(d => d.Name.Parent == dataset.Name).Sum(d => d.Used);
        return new ZfsSendSizeEstimate(Math.Max(0, dataset.Used - children), ZfsSendSizeBasis.Used);
    }
}
