using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Journal;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Zfs;

namespace MigrationTools.Engine.Phases;

public sealed partial class MigrationEngine
{
    /// <summary>
    /// Begins a migration: preflight, a record in the journal, the workload claimed on its source, and the first full
    /// copy of its datasets while it keeps running. Run again after an interruption, it continues the same migration.
    /// </summary>
    /// <param name="request">The migration.</param>
    /// <param name="progress">Receives progress; may be <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the copy; running begin again continues it.</param>
    /// <returns>The record, Begun.</returns>
    /// <exception cref="MigrationPlanFailedException">The request carries out a plan that failed; nothing changed.</exception>
    /// <exception cref="MigrationRefusedException">A check failed or the workload is already being migrated; nothing changed.</exception>
    /// <exception cref="MigrationFailedException">The copy failed; the record says why, the workload runs on as before.</exception>
    public async Task<MigrationRecord> BeginAsync(
        MigrationRequest request, IProgress<MigrationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        RefuseFailedPlan(request);
        var record = Journal.FindActive(request.Workload);
        var createdHere = record is null;
        if (record is not null)
        {
            if (record.State != MigrationState.Created || record.Source != request.SourceHost.ToString() ||
                record.Destination != request.DestinationHost.ToString())
            {
                throw new MigrationRefusedException(
                    $"Workload {request.Workload} already has migration {record.Id} ({record.State}) from {record.Source} to {record.Destination}; " +
                    NextStep(record));
            }
        }
        else
        {
            record = await CreateAsync(request, cancellationToken).ConfigureAwait(false);
        }

        await ClaimAsync(record, discardWhenRefused: createdHere, cancellationToken).ConfigureAwait(false);
        var created = record;
        return await WithHostSlotsAsync(created, MigrationPhase.Begin, progress,
            () => ReplicatePhaseAsync(Get(created.Id), MigrationPhase.Begin, MigrationState.Begun, progress, null, cancellationToken),
            cancellationToken).ConfigureAwait(false);
    }

    private async Task<MigrationRecord> CreateAsync(MigrationRequest request, CancellationToken cancellationToken)
    {
        using var hosts = Open(request.SourceHost, request.DestinationHost);
        var (plan, manifest) = await _preflight.RunAsync(hosts, request, cancellationToken).ConfigureAwait(false);
        if (!plan.Passed || manifest is null)
        {
            throw new MigrationRefusedException(
                $"The migration of {request.Workload} from {plan.Source} to {plan.Destination} was refused; nothing was changed:{Environment.NewLine}" +
                plan.DescribeFailures(), plan);
        }

        if (request.Plan is { } tested && ChangedSinceTested(tested, plan) is { } change)
        {
            throw new MigrationRefusedException(
                $"The migration of {request.Workload} from {plan.Source} to {plan.Destination} was refused; nothing was changed: " +
                $"the workload changed since its plan was tested ({change}). Test it again.", plan);
        }

        try
        {
            return Journal.Create(new MigrationRecord(MigrationId.New(), manifest.Name, plan.Source, plan.Destination, manifest.CheckpointMode, _clock())
            {
                Settings = request.Settings,
                ServiceAddresses = manifest.ServiceAddresses,
                Datasets = manifest.Datasets.Select(d => new DatasetProgress(d, d, null, null, 0)).ToArray(),
            });
        }
        catch (Exception e) when (e is JournalConflictException or JournalCorruptException or System.IO.IOException or UnauthorizedAccessException)
        {
            throw new MigrationRefusedException($"The migration of {manifest.Name} could not be recorded in {Journal.Directory}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Claims the workload on its source for the recorded migration and marks its datasets. The record comes first and
    /// every begin repeats this, so a claim whose answer was lost (the command ran, its connection did not) is known as
    /// this migration's own. A claim held by another migration discards a record this begin created: nothing changed.
    /// </summary>
    private async Task ClaimAsync(MigrationRecord record, bool discardWhenRefused, CancellationToken cancellationToken)
    {
        var start = _clock();
        using var hosts = Open(record);
        try
        {
            await MigrationClaim.ClaimAsync(hosts.SourceConnection, Paths, record.Workload, record.Id, cancellationToken).ConfigureAwait(false);
            foreach (var dataset in record.Datasets)
            {
                await hosts.Source.Zfs.SetUserPropertyAsync(
                    dataset.Source, MigrationClaim.PropertyName, ZfsUserPropertyValue.Parse(record.Id.Value), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (MigrationRefusedException) when (discardWhenRefused)
        {
            Journal.Discard(record);
            throw;
        }
        catch (Exception e) when (PhaseFailures.IsFailure(e) && e is not MigrationRefusedException)
        {
            throw Fail(record, MigrationPhase.Begin, start, e, $"The workload keeps running on {record.Source}; run begin again once the cause is fixed.");
        }
    }

    /// <summary>Refuses a request that carries out a plan whose checks failed.</summary>
    /// <param name="request">The request.</param>
    /// <exception cref="MigrationPlanFailedException">Its plan failed.</exception>
    internal static void RefuseFailedPlan(MigrationRequest request)
    {
        if (request.Plan is { Passed: false } failed)
        {
            throw new MigrationPlanFailedException(failed);
        }
    }

    /// <summary>What the fresh preflight found otherwise than the tested plan fixed; <see langword="null"/> when nothing.</summary>
    private static string? ChangedSinceTested(MigrationPlan tested, MigrationPlan now)
    {
        if (tested.CheckpointMode != now.CheckpointMode)
        {
            return $"checkpoint mode {tested.CheckpointMode} then, {now.CheckpointMode} now";
        }

        var then = tested.Datasets.Select(d => d.Source.ToString()).ToArray();
        var current = now.Datasets.Select(d => d.Source.ToString()).ToArray();
        if (!then.SequenceEqual(current, StringComparer.Ordinal))
        {
            return $"datasets {string.Join(", ", then)} then, {string.Join(", ", current)} now";
        }

        // The plan's address checks were made for the addresses it lists.
        return tested.ServiceAddresses.SequenceEqual(now.ServiceAddresses)
            ? null
            : $"service addresses {Listed(tested.ServiceAddresses)} then, {Listed(now.ServiceAddresses)} now";
    }

    private static string Listed<T>(IReadOnlyList<T> items) => items.Count == 0 ? "none" : string.Join(", ", items);
}
