using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Completers;
using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Draining;
using MigrationTools.Engine.Hooks;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Replication;
using MigrationTools.Engine.Transfer;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Infrastructure;

/// <summary>
/// The base of the cmdlets that take a workload to a destination (Test-Migration, Start-Migration, Move-Workload):
/// the workload and its hosts, and how its data moves and it cuts over. All of them bind from the pipeline by property
/// name: -ComputerName and -Name from a Workload object, or under their aliases -Source and -Workload (with
/// -Destination and the settings) from a Migration object or a migration plan read back from its JSON. A plan
/// Test-Migration wrote binds by value to -Plan instead (the Plan parameter set): the migration it tested runs with
/// the settings it was tested with, and the engine refuses it when it failed. The engine is driven through the
/// command's <see cref="MigrationRunner"/>.
/// </summary>
public abstract class MigrationRequestCmdlet : MigrationCmdlet
{
    /// <summary>The parameter set of a workload named by its host, its name and its destination, with the settings.</summary>
    public const string WorkloadSet = "Workload";

    /// <summary>The parameter set of a tested plan, which fixes the workload, its hosts and the settings.</summary>
    public const string PlanSet = "Plan";

    private IReadOnlyList<CutoverHook> _hooks = Array.Empty<CutoverHook>();
    /// <summary>The host the workload runs on: an ssh_config alias, host name or address.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = WorkloadSet)]
    [ValidateNotNullOrEmpty]
    [Alias("Source")]
    [ArgumentCompleter(typeof(ComputerNameCompleter))]
    public string ComputerName { get; set; } = "";

    /// <summary>The workload's name, as its host declares it.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true, ParameterSetName = WorkloadSet)]
    [ValidateNotNullOrEmpty]
    [Alias("Workload")]
    public string Name { get; set; } = "";

    /// <summary>Send the data straight from the source to the destination instead of relaying it through this machine.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = WorkloadSet)]
    public SwitchParameter Direct { get; set; }

    /// <summary>Compress the data streams: None (the default), Auto, Zstd or Lz4.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = WorkloadSet)]
    public StreamCompression Compression { get; set; } = StreamCompression.None;

    /// <summary>A cap on every stream's rate in bytes per second, such as 50M (binary units) or 50MB; none when not given.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = WorkloadSet)]
    public string? BandwidthLimit { get; set; }

    /// <summary>End the frozen source tree before the restore, for hosts that share a network namespace (such as the lab's).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = WorkloadSet)]
    public SwitchParameter ReleaseSourceBeforeRestore { get; set; }

    /// <summary>
    /// Seconds the workload gets to end after SIGTERM before SIGKILL, whenever the migration stops it (restart mode,
    /// undo); 0 kills it at once.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = WorkloadSet)]
    [ValidateRange(WorkloadStopTimeout.MinSeconds, WorkloadStopTimeout.MaxSeconds)]
    public int StopTimeoutSeconds { get; set; } = WorkloadStopTimeout.DefaultSeconds;

    /// <summary>
    /// How a live switch moves the workload's memory: Auto (the default) picks the best method both hosts support,
    /// post-copy, then pre-copy, then stop-and-copy; PostCopy, PreCopy or StopAndCopy insists on one, and the preflight
    /// fails where the hosts cannot do it. A restart migration moves no memory.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = WorkloadSet)]
    public MemoryTransfer MemoryTransfer { get; set; } = MemoryTransfer.Auto;

    /// <summary>Checkpoint the workload's established TCP connections too (CRIU --tcp-established).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = WorkloadSet)]
    public SwitchParameter TcpEstablished { get; set; }

    /// <summary>Checkpoint the workload's file locks too (CRIU --file-locks).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = WorkloadSet)]
    public SwitchParameter FileLocks { get; set; }

    /// <summary>
    /// Commands run around the switch, one hashtable each: @{ Stage = 'BeforeFreeze' or 'AfterCommit'; Command =
    /// 'program', 'argument'; Location = 'Controller' (default), 'Source' or 'Destination'; TimeoutSeconds = 60 }.
    /// </summary>
    [Parameter(ParameterSetName = WorkloadSet)]
    [ValidateNotNull]
    public Hashtable[]? Hook { get; set; }

    /// <summary>Migrate the workload even when its migration policy is Manual.</summary>
    [Parameter(ParameterSetName = WorkloadSet)]
    public SwitchParameter Force { get; set; }

    /// <summary>
    /// A plan Test-Migration wrote: the migration it tested, with the settings it was tested with (its hooks and -Force
    /// too). A plan that failed is refused; one that passed is checked again as the migration begins.
    /// </summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = PlanSet)]
    [ValidateNotNull]
    public MigrationPlan? Plan { get; set; }

    /// <summary>The destinations given: one, or for Move-Workload several to choose from; empty in the Plan set.</summary>
    private protected abstract IReadOnlyList<string> Destinations { get; }

    /// <summary>
    /// -ThrottleLimit when it was given: the inputs then run concurrently, at most this many at once, while the pipeline
    /// goes on; <see langword="null"/> keeps them one after another, each in the step that receives it.
    /// </summary>
    private protected virtual int? GivenThrottleLimit => null;

    /// <summary>Which waiting input a drain starts next.</summary>
    private protected virtual DrainOrder DrainOrder => DrainOrder.SmallestFirst;

    /// <summary>True when the inputs run through the command's drain (<see cref="Enqueue"/>).</summary>
    private protected bool Drains => Migrations.Drains;

    /// <summary>Reads the connection parameters and the hooks; invalid ones end the command.</summary>
    /// <param name="cancellationToken">Cancelled by Ctrl+C.</param>
    /// <returns>The step's task.</returns>
    protected override async Task BeginProcessingAsync(CancellationToken cancellationToken)
    {
        await base.BeginProcessingAsync(cancellationToken).ConfigureAwait(true);
        _hooks = InputValidation.CutoverHooks(Hook);
        if (DrainThrottleLimit() is { } throttleLimit)
        {
            StartDrain(throttleLimit);
        }
    }

    /// <summary>Runs the confirmed inputs from now on through the command's drain, at most <paramref name="throttleLimit"/> at once.</summary>
    /// <param name="throttleLimit">The throttle, 1-64.</param>
    private protected void StartDrain(int throttleLimit)
    {
        Migrations.UseDrain(new DrainSettings(throttleLimit, DrainOrder, ErrorsStopTheCommand(), DescribeDrain, StoppingToken));
    }

    /// <summary>
    /// The throttle of the command's drain, or <see langword="null"/> to run the inputs one after another as they
    /// arrive: -ThrottleLimit when given.
    /// </summary>
    /// <returns>The throttle, or <see langword="null"/>.</returns>
    private protected virtual int? DrainThrottleLimit() => GivenThrottleLimit;

    /// <summary>The drain's parent bar, such as <c>Draining h1</c> for Move-Workload.</summary>
    /// <param name="count">The inputs so far.</param>
    /// <param name="sources">Their source hosts, in the order they came.</param>
    /// <returns>The activity.</returns>
    private protected virtual string DescribeDrain(int count, IReadOnlyList<string> sources) =>
        string.Format(System.Globalization.CultureInfo.InvariantCulture, "{0}: {1} migration(s) from {2}", CommandName, count, string.Join(", ", sources));

    /// <summary>Adds a confirmed request to the command's drain, which runs it with the others.</summary>
    /// <param name="request">The request, confirmed.</param>
    /// <param name="target">The workload as confirmations and errors name it.</param>
    /// <param name="journalDirectory">The journal directory, as a full path.</param>
    /// <param name="estimatedBytes">What it will send, for the order and the parent bar.</param>
    /// <param name="run">The engine call.</param>
    /// <param name="choice">The destination chosen among several, or <see langword="null"/>.</param>
    private protected void Enqueue(
        MigrationRequest request,
        string target,
        string journalDirectory,
        long estimatedBytes,
        Func<IProgress<MigrationProgress>, CancellationToken, Task<MigrationRecord>> run,
        DestinationChoice? choice = null) =>
        Migrations.Enqueue(new DrainWork(Subject(request), estimatedBytes, run), request.SourceHost.ToString(), ErrorTarget(target), journalDirectory, choice);

    /// <summary>Builds the migration the input describes and runs <see cref="ProcessRequestAsync"/>; a failure is reported for it.</summary>
    /// <param name="cancellationToken">Cancelled by Ctrl+C.</param>
    /// <returns>The step's task.</returns>
    protected sealed override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        DeliverDrain();
        var plan = ParameterSetName == PlanSet ? Plan : null;
        var target = plan is null ? WorkloadTarget(ComputerName, Name) : WorkloadTarget(plan.Source, plan.Workload);
        string? directory = null;
        try
        {
            var request = plan?.Request ?? MigrationDefinition.Request(
                ComputerName,
                Name,
                Destinations.Count > 0 ? Destinations[0] : "",
                MigrationDefinition.Settings(Direct, Compression, BandwidthLimit, ReleaseSourceBeforeRestore, TcpEstablished, FileLocks, _hooks, StopTimeoutSeconds, MemoryTransfer),
                Force);
            directory = Migrations.JournalDirectory(JournalPath);
            await ProcessRequestAsync(request, target, directory, cancellationToken).ConfigureAwait(true);
        }
        catch (Exception error) when (IsReportable(error, cancellationToken))
        {
            Migrations.ReportFailure(error, target, ErrorTarget(target), directory);
        }
    }

    /// <summary>
    /// What errors about the current input name: the plan when one was given (its checks can be read from the error),
    /// else the workload, as <paramref name="target"/> names it.
    /// </summary>
    /// <param name="target">The workload as confirmations name it.</param>
    /// <returns>The error's target.</returns>
    private protected object ErrorTarget(string target) => ParameterSetName == PlanSet && Plan is { } plan ? plan : target;

    /// <summary>
    /// With -AsJob, keeps the confirmed request for the command's job and returns true; otherwise returns false and
    /// the caller runs it now.
    /// </summary>
    /// <param name="asJob">-AsJob.</param>
    /// <param name="request">The request, confirmed.</param>
    /// <param name="journalDirectory">The journal directory, as a full path.</param>
    /// <returns>True when the job will run it.</returns>
    /// <param name="chosen">True when the destination was chosen among several: the job moves it to that one.</param>
    private protected bool QueuedForJob(bool asJob, MigrationRequest request, string journalDirectory, bool chosen = false)
    {
        if (!asJob)
        {
            return false;
        }

        var overrides = new Dictionary<string, object?> { [nameof(JournalPath)] = journalDirectory };
        if (chosen)
        {
            overrides["Destination"] = new[] { request.DestinationHost.ToString() };
        }

        Migrations.QueueForJob(
            JobInvocationFor(overrides),
            request.Workload.Value,
            request.SourceHost.ToString(),
            request.DestinationHost.ToString());
        return true;
    }

    /// <summary>Acts on one migration request.</summary>
    /// <param name="request">The workload, its hosts and its settings, checked.</param>
    /// <param name="target">The workload as confirmations and errors name it (<c>web on h1</c>).</param>
    /// <param name="journalDirectory">The journal directory, as a full path.</param>
    /// <param name="cancellationToken">Cancelled by Ctrl+C.</param>
    /// <returns>The work's task.</returns>
    private protected abstract Task ProcessRequestAsync(
        MigrationRequest request, string target, string journalDirectory, CancellationToken cancellationToken);

    /// <summary>What is migrated, for progress bars: <c>web from h1 to h2</c>.</summary>
    /// <param name="request">The request.</param>
    /// <returns>The text.</returns>
    private protected static string Subject(MigrationRequest request) =>
        $"{request.Workload} from {request.SourceHost} to {request.DestinationHost}";

    /// <summary>
    /// How the data would move, for confirmations: <c>relayed through this machine, compression Auto, at most 50M/s,
    /// memory by PostCopy</c>; the memory transfer is named only when one is insisted on.
    /// </summary>
    /// <param name="settings">The settings.</param>
    /// <returns>The text.</returns>
    private protected static string DescribeTransfer(MigrationSettings settings) =>
        (settings.Path == TransferPath.Direct ? "sent directly" : "relayed through this machine") +
        (settings.Compression == StreamCompression.None ? "" : $", compression {settings.Compression}") +
        (settings.BandwidthLimit is { } limit ? $", at most {limit}/s" : "") +
        (settings.MemoryTransfer == MemoryTransfer.Auto ? "" : $", memory by {settings.MemoryTransfer}");
}
