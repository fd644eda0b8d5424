using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Journal;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Placement;
using MigrationTools.Engine.Preflight;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Replication;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Engine.Phases;

/// <summary>
/// The checks before a migration begins, none of which changes anything: distinct hosts, the workload declared and
/// allowed to move, its state on both hosts, no other migration holding it, its service addresses free to move, each
/// dataset's replication, and what its checkpoint mode needs of the hosts.
/// </summary>
internal sealed class MigrationPreflight
{
    private readonly MigrationJournal _journal;
    private readonly WorkloadPaths _paths;

    public MigrationPreflight(MigrationJournal journal, WorkloadPaths paths)
    {
        _journal = journal;
        _paths = paths;
    }

    /// <summary>Checks, without changing anything, whether <paramref name="request"/> can begin, and estimates its size.</summary>
    /// <returns>The plan, and the workload's manifest when it could be read.</returns>
    public async Task<PreflightOutcome> RunAsync(MigrationHosts hosts, MigrationRequest request, CancellationToken cancellationToken)
    {
        var checks = new List<PreflightCheck>();
        string source = request.SourceHost.ToString(), destination = request.DestinationHost.ToString();
        MigrationPlan Plan(CheckpointMode? mode = null, IEnumerable<DatasetEstimate>? datasets = null) =>
            new(request.Workload, source, destination, mode, Distinct(checks), datasets ?? Array.Empty<DatasetEstimate>());

        if (request.SourceHost == request.DestinationHost)
        {
            checks.Add(PreflightCheck.Fail(MigrationChecks.DistinctHosts,
                $"The source and the destination are both {source}; give the host the workload should move to."));
            return new PreflightOutcome(Plan(), null);
        }

        checks.Add(PreflightCheck.Pass(MigrationChecks.DistinctHosts, $"The workload would move from {source} to {destination}."));
        var manifest = await CheckManifestAsync(hosts, request, checks, cancellationToken).ConfigureAwait(false);
        if (manifest is null)
        {
            return new PreflightOutcome(Plan(), null);
        }

        await CheckWorkloadStateAsync(hosts, manifest, checks, cancellationToken).ConfigureAwait(false);
        await CheckClaimsAsync(hosts, request, manifest, checks, cancellationToken).ConfigureAwait(false);
        checks.AddRange(await ServiceAddressPreflight.CheckAsync(hosts, manifest.ServiceAddresses, cancellationToken).ConfigureAwait(false));

        var estimates = new List<DatasetEstimate>();
        foreach (var dataset in manifest.Datasets)
        {
            var replication = await hosts.Replicator.PreflightAsync(ReplicationRequests.For(request.Settings, dataset, dataset, "m-preflight", destination), cancellationToken)
                .ConfigureAwait(false);
            checks.AddRange(replication.Checks);
            var tree = await hosts.Source.Zfs.ListAsync(dataset, recursive: true, cancellationToken).ConfigureAwait(false);
            var root = tree.Find(dataset);
            estimates.Add(new DatasetEstimate(dataset, dataset, root?.Used ?? -1, root is null ? -1 : tree.Datasets.Sum(d => d.Referenced)));
        }

        var checkpoint = await CheckpointStrategies.For(manifest.CheckpointMode).PreflightAsync(hosts, request.Settings, cancellationToken).ConfigureAwait(false);
        checks.AddRange(checkpoint.Checks);
        return new PreflightOutcome(
            new(request.Workload, source, destination, manifest.CheckpointMode, Distinct(checks), estimates, manifest.ServiceAddresses, checkpoint.MemoryTransfer),
            manifest);
    }

    private async Task<WorkloadManifest?> CheckManifestAsync(
        MigrationHosts hosts, MigrationRequest request, List<PreflightCheck> checks, CancellationToken cancellationToken)
    {
        WorkloadManifest? manifest;
        try
        {
            manifest = await hosts.Source.Catalog.GetAsync(request.Workload, cancellationToken).ConfigureAwait(false);
        }
        catch (WorkloadManifestException e)
        {
            checks.Add(PreflightCheck.Fail(MigrationChecks.WorkloadDeclared, e.Message, request.Workload.Value));
            return null;
        }
        catch (RemoteException e)
        {
            checks.Add(PreflightCheck.Fail(ReplicationPreflight.SourceReachable, e.Message, hosts.SourceName));
            return null;
        }

        if (manifest is null)
        {
            checks.Add(PreflightCheck.Fail(MigrationChecks.WorkloadDeclared,
                $"Workload {request.Workload} is not declared on {hosts.SourceName} (no {_paths.ManifestFile(request.Workload)}); " +
                "register it there first, or check the name and host.", request.Workload.Value));
            return null;
        }

        checks.Add(PreflightCheck.Pass(MigrationChecks.WorkloadDeclared,
            $"Workload {manifest.Name} is declared on {hosts.SourceName}: {manifest.Datasets.Count} dataset(s), checkpoint mode {manifest.CheckpointMode}.",
            request.Workload.Value));
        checks.Add(manifest.MigrationPolicy == MigrationPolicy.Manual && !request.Force
            ? PreflightCheck.Fail(MigrationChecks.MigrationPolicy,
                $"Workload {manifest.Name}'s migration policy is manual: it moves only when forced. Ask with force if you mean it.", request.Workload.Value)
            : PreflightCheck.Pass(MigrationChecks.MigrationPolicy,
                $"The migration policy is {manifest.MigrationPolicy}{(request.Force ? " (forced)" : "")}.", request.Workload.Value));
        return manifest;
    }

    private static async Task CheckWorkloadStateAsync(
        MigrationHosts hosts, WorkloadManifest manifest, List<PreflightCheck> checks, CancellationToken cancellationToken)
    {
        var status = await hosts.Source.Runtime.GetStatusAsync(manifest.Name, cancellationToken).ConfigureAwait(false);
        checks.Add(status.State switch
        {
            WorkloadState.Running => PreflightCheck.Pass(MigrationChecks.SourceRunning,
                $"{manifest.Name} runs on {hosts.SourceName} as process {status.Pid}.", hosts.SourceName),
            WorkloadState.Stopped => CheckpointStrategies.For(manifest.CheckpointMode).CheckStoppedSource(manifest.Name, hosts.SourceName),
            _ => PreflightCheck.Fail(MigrationChecks.SourceRunning,
                $"{manifest.Name} is frozen on {hosts.SourceName} (stopped by a signal or a checkpoint); continue it, or finish the migration that froze it.",
                hosts.SourceName),
        });

        WorkloadManifest? there = null;
        string? unreadable = null;
        try
        {
            there = await hosts.Destination.Catalog.GetAsync(manifest.Name, cancellationToken).ConfigureAwait(false);
        }
        catch (WorkloadManifestException e)
        {
            unreadable = e.Message;
        }

        var running = (await hosts.Destination.Runtime.GetStatusAsync(manifest.Name, cancellationToken).ConfigureAwait(false)).State != WorkloadState.Stopped;
        var name = hosts.DestinationName;
        string? fault = null;
        if (unreadable is not null)
        {
            fault = unreadable;
        }
        else if (running)
        {
            fault = $"A workload named {manifest.Name} already runs on {name}; stop and unregister it there, or choose another destination.";
        }
        else if (there is not null && !there.Equals(manifest))
        {
            fault = $"{name} declares a different workload named {manifest.Name} ({hosts.Destination.Paths.ManifestFile(manifest.Name)}); " +
                "unregister it there, or choose another destination.";
        }

        checks.Add(fault is null
            ? PreflightCheck.Pass(MigrationChecks.DestinationFree, $"{name} runs no workload named {manifest.Name}; the switch declares it there.", name)
            : PreflightCheck.Fail(MigrationChecks.DestinationFree, fault, name));
    }

    private async Task CheckClaimsAsync(
        MigrationHosts hosts, MigrationRequest request, WorkloadManifest manifest, List<PreflightCheck> checks, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        MigrationRecord? active = null;
        try
        {
            active = _journal.FindActive(manifest.Name);
        }
        catch (JournalCorruptException e)
        {
            problems.Add(e.Message);
        }

        if (active is not null)
        {
            problems.Add($"the journal {_journal.Directory} holds migration {active.Id} of it ({active.State}); {MigrationEngine.NextStep(active)}");
        }

        var claim = await MigrationClaim.ReadAsync(hosts.SourceConnection, _paths, manifest.Name, cancellationToken).ConfigureAwait(false);
        if (claim is not null)
        {
            problems.Add($"{hosts.SourceName} has it claimed by migration {SafeText.Show(claim)} in {_paths.ClaimFile(manifest.Name)} (perhaps another controller's)");
        }

        foreach (var dataset in manifest.Datasets)
        {
            // A missing dataset is the replication preflight's to report; it carries no mark.
            if (!await hosts.Source.Zfs.ExistsAsync(dataset, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            var property = await hosts.Source.Zfs.GetUserPropertyAsync(dataset, MigrationClaim.PropertyName, cancellationToken).ConfigureAwait(false);
            if (property is not null && property.Value.Length > 0 && property.Value != "-")
            {
                problems.Add($"{dataset} on {hosts.SourceName} carries {MigrationClaim.PropertyName}={SafeText.Show(property.Value)}");
            }
        }

        checks.Add(problems.Count == 0
            ? PreflightCheck.Pass(MigrationChecks.NotInMigration, $"No other migration holds {manifest.Name}.", request.Workload.Value)
            : PreflightCheck.Fail(MigrationChecks.NotInMigration,
                $"{manifest.Name} is already being migrated: {string.Join("; ", problems)}. Finish or abort that migration first.",
                request.Workload.Value));
    }

    private static PreflightCheck[] Distinct(IEnumerable<PreflightCheck> checks)
    {
        var seen = new HashSet<(string, bool, string, string?)>();
        return checks.Where(c => seen.Add((c.Name, c.Passed, c.Message, c.Target))).ToArray();
    }
}
