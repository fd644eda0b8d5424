using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Placement;
using MigrationTools.Engine.Replication;

namespace MigrationTools.Engine.Switching;

/// <summary>Sends what the halted workload left behind: the final delta of every dataset and, in parallel, its state.</summary>
internal static class FinalStateShipping
{
    /// <summary>The final delta and the placement's state side by side; either failing stops both.</summary>
    public static async Task<FinalShipment> ShipAsync(
        MigrationHosts hosts, WorkloadPlacement placement, MigrationRecord record, IReadOnlyList<ReplicationRound> rounds,
        IProgress<MigrationProgress>? progress, CancellationToken cancellationToken)
    {
        void Report(string activity) => progress?.Report(new MigrationProgress(record.Id, MigrationPhase.Switch, activity));
        var deltaClock = Stopwatch.StartNew();
        var stateClock = Stopwatch.StartNew();
        var (delta, state) = await LinkedWork.BothAsync(
            async token =>
            {
                var result = await SendFinalRoundsAsync(hosts, record, rounds, Report, token).ConfigureAwait(false);
                deltaClock.Stop();
                return result;
            },
            async token =>
            {
                var result = await placement.ShipStateAsync(record, Report, token).ConfigureAwait(false);
                stateClock.Stop();
                return result;
            },
            cancellationToken).ConfigureAwait(false);

        return new FinalShipment(delta.Datasets, delta.Bytes, deltaClock.Elapsed, state?.Bytes ?? 0, state is null ? null : stateClock.Elapsed);
    }

    /// <summary>
    /// Sends the rounds planned before the freeze, one dataset after another: snapshot and stream in one command each,
    /// then one check per host. No progress is metered: the delta of a frozen workload is the small rest.
    /// </summary>
    private static async Task<ReplicatedDatasets> SendFinalRoundsAsync(
        MigrationHosts hosts, MigrationRecord record, IReadOnlyList<ReplicationRound> rounds, Action<string> report, CancellationToken cancellationToken)
    {
        var updated = new List<DatasetProgress>();
        long bytes = 0;
        foreach (var (dataset, round) in record.Datasets.Zip(rounds, (d, r) => (d, r)))
        {
            report($"Sending the final delta of {dataset.Source} to {record.Destination}");
            var result = await hosts.Replicator.SendRoundAsync(round, null, cancellationToken).ConfigureAwait(false);
            updated.Add(dataset with { CommonSnapshot = result.Snapshot.Value, CommonSnapshotGuid = result.Guid, BytesTotal = dataset.BytesTotal + result.Bytes });
            bytes += result.Bytes;
        }

        return new ReplicatedDatasets(updated, bytes);
    }
}
