using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Completers;
using MigrationTools.Engine.Draining;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Phases;
using MigrationTools.Engine.Transfer;
using MigrationTools.Engine.Workloads;
using MigrationTools.Infrastructure;

namespace MigrationTools.Commands;

/// <summary>
/// Moves a workload to another host in one call: begin, sync rounds until the changes left are small or stop
/// shrinking, then switch; with -Complete, complete too. Run again after an interruption, it continues the workload's
/// migration from where it stands.
/// With -ThrottleLimit, or several destinations, the inputs are a drain: each is confirmed as it arrives (its destination
/// chosen first), then moved concurrently with the others within the throttle and the limits per host, each written as
/// it ends.
/// </summary>
[Cmdlet(VerbsCommon.Move, "Workload", SupportsShouldProcess = true)]
[OutputType(typeof(Migration), typeof(MigrationJob))]
public sealed class MoveWorkloadCommand : MigrationRequestCmdlet
{
    private readonly Dictionary<string, DestinationChooser> _choosers = new(StringComparer.Ordinal);

    /// <summary>
    /// The host the workload moves to, or several: then each workload goes to the one with the most free space in its
    /// target pool among those whose preflight passes (in turn when equal), chosen before it is confirmed.
    /// </summary>
    [Parameter(Mandatory = true, Position = 2, ValueFromPipelineByPropertyName = true, ParameterSetName = WorkloadSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ComputerNameCompleter))]
    public string[] Destination { get; set; } = [];

    /// <summary>
    /// Move at most this many workloads at once, 1-64: the inputs are confirmed as they arrive and moved concurrently
    /// while the pipeline goes on, each written as it ends. Without it (and with one destination) they move one after
    /// another.
    /// </summary>
    [Parameter]
    [ValidateRange(1, DrainQueue.MaxThrottleLimit)]
    public int ThrottleLimit { get; set; } = 1;

    /// <summary>Which waiting workload moves next: SmallestFirst (the default, by estimated transfer), LargestFirst or AsGiven.</summary>
    [Parameter]
    public DrainOrder Order { get; set; } = DrainOrder.SmallestFirst;

    /// <summary>
    /// At most this many migrations touch one host at once, 1-64, across everything this machine's controller runs
    /// with the same journal (other commands and processes too); 2 when not given.
    /// </summary>
    [Parameter]
    [ValidateRange(1, HostLimits.MaxMaxMigrationsPerHost)]
    public int MaxMigrationsPerHost { get; set; } = HostLimits.DefaultMaxMigrationsPerHost;

    /// <summary>
    /// A budget per host in bytes per second, such as 200M (binary units) or 200MB, shared by the concurrent streams of
    /// every migration that touches the host; none when not given.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? BandwidthPerHost { get; set; }

    /// <summary>
    /// Run in the background: the inputs are checked and confirmed now, then one job runs them one after another, and
    /// the command writes the job.
    /// </summary>
    [Parameter]
    public SwitchParameter AsJob { get; set; }

    /// <summary>Complete the migration after a successful switch, releasing (by default destroying) the source's copy.</summary>
    [Parameter]
    public SwitchParameter Complete { get; set; }

    /// <summary>With -Complete: keep the source's datasets, read-only, instead of destroying them.</summary>
    [Parameter]
    public SwitchParameter KeepSourceDataset { get; set; }

    /// <summary>Switch after at most this many sync rounds, 1-100.</summary>
    [Parameter]
    [ValidateRange(1, MoveOptions.MaxSyncRoundsLimit)]
    public int MaxSyncRounds { get; set; } = new MoveOptions().MaxSyncRounds;

    /// <summary>Switch once a sync round sends at most this many bytes: the final changes will be about as small.</summary>
    [Parameter]
    [ValidateRange(0L, long.MaxValue)]
    public long ConvergedBytes { get; set; } = new MoveOptions().ConvergedBytes;

    /// <inheritdoc/>
    private protected override IReadOnlyList<string> Destinations =>
        ParameterSetName == WorkloadSet ? Destination.Distinct(StringComparer.Ordinal).ToArray() : [];

    /// <inheritdoc/>
    private protected override int? GivenThrottleLimit => MyInvocation.BoundParameters.ContainsKey(nameof(ThrottleLimit)) ? ThrottleLimit : null;

    /// <inheritdoc/>
    private protected override DrainOrder DrainOrder => Order;

    /// <inheritdoc/>
    private protected override string DescribeDrain(int count, IReadOnlyList<string> sources) =>
        "Draining " + string.Join(", ", sources);

    /// <summary>A drain with one at a time also when several destinations were given on the command line, for the order and the one view.</summary>
    /// <returns>The throttle, or <see langword="null"/> to move the inputs as today.</returns>
    private protected override int? DrainThrottleLimit() =>
        GivenThrottleLimit ?? (MyInvocation.BoundParameters.TryGetValue(nameof(Destination), out var given) && given is string[] { Length: > 1 } ? 1 : null);

    /// <inheritdoc/>
    protected override async Task BeginProcessingAsync(CancellationToken cancellationToken)
    {
        var budget = InputValidation.BandwidthLimit(BandwidthPerHost, nameof(BandwidthPerHost));
        await base.BeginProcessingAsync(cancellationToken).ConfigureAwait(true);
        var bound = MyInvocation.BoundParameters;
        if (Drains || bound.ContainsKey(nameof(MaxMigrationsPerHost)) || budget is not null)
        {
            Migrations.Limits = new HostLimits { MaxMigrationsPerHost = MaxMigrationsPerHost, BandwidthPerHost = budget?.BytesPerSecond };
        }

        if (KeepSourceDataset && !Complete)
        {
            WriteWarning("-KeepSourceDataset applies only with -Complete; without it the move stops after the switch and the source's datasets stay until Complete-Migration or Undo-Migration.");
        }
    }

    /// <inheritdoc/>
    private protected override async Task ProcessRequestAsync(
        MigrationRequest request, string target, string journalDirectory, CancellationToken cancellationToken)
    {
        if (!Drains && Destinations.Count > 1)
        {
            // Several destinations bound from an input object: from this input on, the workloads are placed one at a time.
            StartDrain(1);
        }

        if (Drains)
        {
            await DrainAsync(request, target, journalDirectory, cancellationToken).ConfigureAwait(true);
            return;
        }

        if (!ShouldProcess(target, DescribeMove(request)) || QueuedForJob(AsJob, request, journalDirectory))
        {
            return;
        }

        var options = Options();
        using var progress = Migrations.StartProgress(Subject(request));
        await Migrations.RunPhaseAsync(
            () => Migrations.Engine(journalDirectory).MoveAsync(request, options, progress, cancellationToken), ErrorTarget(target), journalDirectory, cancellationToken)
            .ConfigureAwait(true);
    }

    /// <summary>
    /// One input of a drain: a workload whose policy is Manual is skipped with a warning (unless -Force), its destination
    /// is chosen among several, then it is confirmed, naming the choice, and joins the drain.
    /// </summary>
    private async Task DrainAsync(MigrationRequest request, string target, string journalDirectory, CancellationToken cancellationToken)
    {
        var engine = Migrations.Engine(journalDirectory);
        if (!request.Force && await IsManualAsync(request, cancellationToken).ConfigureAwait(true))
        {
            WriteWarning($"{target} is skipped: its migration policy is Manual. Give -Force to move it anyway.");
            return;
        }

        DestinationChoice? choice = null;
        var destinations = Destinations;
        if (destinations.Count > 1)
        {
            var candidates = destinations.Select(d => InputValidation.ComputerName(d, nameof(Destination))).ToArray();
            choice = await Chooser(journalDirectory, engine).ChooseAsync(request, candidates, cancellationToken).ConfigureAwait(true);
            request = choice.Request;
        }

        var action = DescribeMove(request) + (choice is null ? "" : $". {DescribeChoice(choice)}");
        if (!ShouldProcess(target, action) || QueuedForJob(AsJob, request, journalDirectory, chosen: choice is not null))
        {
            return;
        }

        var estimate = await DrainEstimate.OfAsync(engine, request, cancellationToken).ConfigureAwait(true);
        var options = Options();
        Enqueue(request, target, journalDirectory, estimate, (progress, token) => engine.MoveAsync(request, options, progress, token), choice);
    }

    /// <summary>
    /// The confirmation's words for a choice, which name every candidate's free space or refusal:
    /// <c>Chosen among 2 destinations: h3 (the most free space: 120 GiB free); h2: 80 GiB free</c>.
    /// </summary>
    private static string DescribeChoice(DestinationChoice choice) =>
        string.Format(CultureInfo.InvariantCulture, "Chosen among {0} destinations: {1}", choice.Candidates.Count, choice.Reason);

    private DestinationChooser Chooser(string journalDirectory, MigrationEngine engine)
    {
        if (!_choosers.TryGetValue(journalDirectory, out var chooser))
        {
            // One per command: it keeps the turn that spreads workloads over destinations with equal free space.
            chooser = new DestinationChooser(engine);
            _choosers.Add(journalDirectory, chooser);
        }

        return chooser;
    }

    private async Task<bool> IsManualAsync(MigrationRequest request, CancellationToken cancellationToken)
    {
        var manifest = await Hosts.Workloads(request.SourceHost.ToString()).Catalog.GetAsync(request.Workload, cancellationToken).ConfigureAwait(true);

        // A workload the host does not declare is refused by the migration itself, with the usual error.
        return manifest?.MigrationPolicy == MigrationPolicy.Manual;
    }

    private string DescribeMove(MigrationRequest request)
    {
        var complete = !Complete
            ? ""
            : KeepSourceDataset
                ? $", then complete it (the datasets on {request.SourceHost} are kept, read-only)"
                : $", then complete it (the datasets on {request.SourceHost} are destroyed)";
        return $"Move to {request.DestinationHost}: copy its datasets while it runs, up to {MaxSyncRounds} sync round(s) until one " +
            $"sends at most {ByteSize.Format(ConvergedBytes)}, then switch it over ({DescribeTransfer(request.Settings)}){complete}";
    }

    private MoveOptions Options() => new()
    {
        MaxSyncRounds = MaxSyncRounds,
        ConvergedBytes = ConvergedBytes,
        Complete = Complete,
        KeepSourceDatasets = KeepSourceDataset,
    };
}
