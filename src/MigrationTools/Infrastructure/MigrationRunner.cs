using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Draining;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Phases;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Infrastructure;

/// <summary>
/// What a migration cmdlet composes to drive the engine: one <see cref="MigrationEngine"/> per journal for the
/// command over its ssh options, progress bars for the phases, how a phase's outcome is written, and the -AsJob batch.
/// </summary>
/// <remarks>
/// A phase that was refused (<see cref="MigrationRefusedException"/>, nothing changed) or that failed
/// (<see cref="MigrationFailedException"/>, the record says what is where) is reported for its input and the next
/// input goes on. A phase cancelled by Ctrl+C ends the command as stopped, after the engine has put things in order (a
/// switch is rolled back first); what the engine then says about the migration is shown on the host, since a stopped
/// pipeline takes no more output.
/// </remarks>
internal sealed class MigrationRunner : IDisposable
{
    private readonly CmdletPipeline _pipeline;
    private readonly SshOptions _options;
    private readonly WorkloadPaths _paths;
    private readonly Dictionary<string, MigrationEngine> _engines = new(StringComparer.Ordinal);
    private readonly MigrationJobBatch _jobBatch = new();
    private DrainSettings? _drainSettings;
    private MigrationDrain? _drain;

    /// <summary>Creates the runner of one command.</summary>
    /// <param name="pipeline">The cmdlet's calls into PowerShell.</param>
    /// <param name="options">How the command reaches hosts.</param>
    /// <param name="paths">Where the hosts keep workload manifests and runtime files.</param>
    public MigrationRunner(CmdletPipeline pipeline, SshOptions options, WorkloadPaths paths)
    {
        _pipeline = pipeline ?? throw new ArgumentNullException(nameof(pipeline));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _paths = paths ?? throw new ArgumentNullException(nameof(paths));
    }

    /// <summary>
    /// True once <see cref="UseDrain"/> was called: confirmed inputs then join the command's drain
    /// (<see cref="Enqueue"/>) instead of running one after another in the step that receives them.
    /// </summary>
    public bool Drains => _drainSettings is not null;

    /// <summary>
    /// The limits per host every engine of the command holds its migrations to: the defaults unless the command gives
    /// its own, so that every migration the controller runs, from any command or shell using the journal, counts
    /// against them. Set before the first <see cref="Engine"/>.
    /// </summary>
    public HostLimits Limits { get; set; } = new();

    /// <summary>Runs the command's confirmed inputs concurrently (-ThrottleLimit) from now on.</summary>
    /// <param name="settings">The throttle, the order, and how failures and the parent bar are told.</param>
    public void UseDrain(DrainSettings settings) => _drainSettings = settings ?? throw new ArgumentNullException(nameof(settings));

    /// <summary>Adds a confirmed input to the command's drain, which starts with the first; on a step.</summary>
    /// <param name="work">The engine call, its subject and estimate.</param>
    /// <param name="source">The host the input concerns, for the parent bar.</param>
    /// <param name="target">What errors about it name.</param>
    /// <param name="journalDirectory">The journal of its migration.</param>
    /// <param name="choice">The destination chosen for it among several, or <see langword="null"/>.</param>
    public void Enqueue(DrainWork work, string source, object target, string journalDirectory, DestinationChoice? choice = null)
    {
        var settings = _drainSettings ?? throw new InvalidOperationException("The command runs its inputs one after another; UseDrain was not called.");
        _drain ??= new MigrationDrain(_pipeline, this, settings);
        _drain.Add(work, source, target, journalDirectory, choice);
    }

    /// <summary>
    /// Reports a failure of one input before it joined the drain (its lookup, choice or confirmation): at once, or under
    /// -ErrorAction Stop kept with the drain's failures, so the migrations already running go on.
    /// </summary>
    /// <param name="error">What was thrown.</param>
    /// <param name="subject">What the input is, for the summary error, such as <c>web on h1</c>.</param>
    /// <param name="target">What the error names.</param>
    /// <param name="journalDirectory">The journal of its migration, if known.</param>
    public void ReportFailure(Exception error, string subject, object target, string? journalDirectory)
    {
        if (_drainSettings is { HoldErrors: true } settings)
        {
            _drain ??= new MigrationDrain(_pipeline, this, settings);
            _drain.Hold(error, subject, target);
            return;
        }

        WriteError(error, target, journalDirectory);
    }

    /// <summary>Writes what the drain reported since the last step (results, errors, progress); on a step.</summary>
    public void DeliverDrain() => _drain?.Deliver();

    /// <summary>Waits on the end step for the drain's last migration, writing what it reports, and closes its bars.</summary>
    /// <param name="cancellationToken">The command's Ctrl+C.</param>
    /// <returns>Under -ErrorAction Stop, the terminating error naming every input that failed; otherwise <see langword="null"/>.</returns>
    public Task<ErrorRecord?> CompleteDrainAsync(CancellationToken cancellationToken) =>
        _drain is null ? Task.FromResult<ErrorRecord?>(null) : _drain.CompleteAsync(cancellationToken);

    /// <summary>Ends the drain of a command that ends early: what runs is cancelled and waited for, and its bars closed.</summary>
    public void Dispose() => _drain?.Dispose();

    /// <summary>The journal directory -JournalPath names (relative to PowerShell's location), else the default one, as a full path.</summary>
    /// <param name="journalPath">-JournalPath as given.</param>
    /// <returns>The directory.</returns>
    public string JournalDirectory(string? journalPath) =>
        MigrationJournalLocation.Resolve(string.IsNullOrEmpty(journalPath) ? null : _pipeline.ResolvePath(journalPath!));

    /// <summary>The command's engine for the journal in <paramref name="directory"/>, which is created if missing.</summary>
    /// <param name="directory">The journal directory, as a full path.</param>
    /// <returns>The engine.</returns>
    public MigrationEngine Engine(string directory)
    {
        if (!_engines.TryGetValue(directory, out var engine))
        {
            engine = new MigrationEngine(MigrationJournalLocation.Open(directory), _options, _paths, limits: Limits);
            _engines.Add(directory, engine);
        }

        return engine;
    }

    /// <summary>Progress bars for the phases of one migration; dispose it to close the last one.</summary>
    /// <param name="subject">What is migrated, such as <c>web from h1 to h2</c>.</param>
    /// <returns>The reporter to hand to the engine.</returns>
    public MigrationProgressReporter StartProgress(string subject) =>
        new(subject, _pipeline.StartProgress, _pipeline.WriteVerbose, _pipeline.Post, _pipeline.Invoke);

    /// <summary>
    /// Reports a phase's failure for one input: a failed phase under the migration as its record now is (so
    /// <c>$error[0].TargetObject | Undo-Migration</c> works), anything else under <paramref name="target"/>.
    /// </summary>
    /// <param name="error">What was thrown.</param>
    /// <param name="target">What the cmdlet was working on.</param>
    /// <param name="journalDirectory">The journal of the migration.</param>
    public void WriteError(Exception error, object target, string? journalDirectory)
    {
        var subject = error is MigrationFailedException { Record: { } record } ? new Migration(record, journalDirectory) : target;
        _pipeline.WriteError(error, subject);
    }

    /// <summary>
    /// Runs one phase for one input: writes the migration it returns, reports its failure and goes on, and when Ctrl+C
    /// cancelled it, shows on the host what the engine says of the migration before the command ends as stopped.
    /// </summary>
    /// <param name="phase">The engine call.</param>
    /// <param name="target">What errors name when the phase fails before the migration has a record.</param>
    /// <param name="journalDirectory">The journal of the migration.</param>
    /// <param name="cancellationToken">Cancelled by Ctrl+C.</param>
    /// <returns>A task that completes when the phase has ended and been reported.</returns>
    public async Task RunPhaseAsync(
        Func<Task<MigrationRecord>> phase, object target, string journalDirectory, CancellationToken cancellationToken)
    {
        if (phase is null)
        {
            throw new ArgumentNullException(nameof(phase));
        }

        try
        {
            var record = await phase().ConfigureAwait(false);
            _pipeline.WriteObject(new Migration(record, journalDirectory));
        }
        catch (Exception error) when (AsyncCmdlet.IsReportable(error, cancellationToken))
        {
            WriteError(error, target, journalDirectory);
        }
        catch (MigrationFailedException cancelled) when (cancellationToken.IsCancellationRequested)
        {
            _pipeline.WriteWarningToHost(cancelled.Message);
            throw;
        }
    }

    /// <summary>Keeps a confirmed input for the job the command starts at its end (-AsJob) instead of running it now.</summary>
    /// <param name="invocation">The command for it.</param>
    /// <param name="subject">What it concerns, for the job's name, such as the workload.</param>
    /// <param name="source">The host it moves from.</param>
    /// <param name="destination">The host it moves to.</param>
    public void QueueForJob(JobInvocation invocation, string subject, string source, string destination) =>
        _jobBatch.Add(invocation, subject, source, destination);

    /// <summary>Starts the job for the inputs kept with <see cref="QueueForJob"/>, if any, and writes it.</summary>
    public void StartJob()
    {
        if (!_jobBatch.IsEmpty)
        {
            _pipeline.WriteJob(_jobBatch.Start(_pipeline.Command));
        }
    }
}
