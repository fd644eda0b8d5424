using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Phases;

namespace MigrationTools.Infrastructure;

/// <summary>
/// The base of the cmdlets that drive migrations: the journal (-JournalPath, bound by property name from a Migration
/// object too), one engine per journal for the command over its connection parameters, progress bars for the phases,
/// and how a phase's failure is reported.
/// </summary>
/// <remarks>
/// A phase that was refused (<see cref="MigrationRefusedException"/>, nothing changed) or that failed
/// (<see cref="MigrationFailedException"/>, the record says what is where) is reported for its input and the next
/// input goes on. A phase cancelled by Ctrl+C ends the command as stopped, after the engine has put things in order (a
/// switch is rolled back first); what the engine then says about the migration is shown on the host, since a stopped
/// pipeline takes no more output.
/// </remarks>
public abstract class MigrationCmdlet : RemoteCmdlet
{
    private readonly Dictionary<string, MigrationEngine> _engines = new(StringComparer.Ordinal);
    private readonly List<JobInvocation> _jobInvocations = new();
    private readonly List<string> _jobSubjects = new();
    private readonly List<string> _jobRoutes = new();

    /// <summary>
    /// The journal directory that keeps the migration records; the default is <c>$env:MIGRATIONTOOLS_JOURNAL</c>, else
    /// <c>$XDG_DATA_HOME/migrationtools/journal</c>, else <c>~/.local/share/migrationtools/journal</c>.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? JournalPath { get; set; }

    /// <summary>The journal directory of the current input, as a full path.</summary>
    /// <returns>The directory.</returns>
    private protected string JournalDirectory() =>
        MigrationJournalLocation.Resolve(string.IsNullOrEmpty(JournalPath) ? null : GetUnresolvedProviderPathFromPSPath(JournalPath));

    /// <summary>The command's engine for the journal in <paramref name="directory"/>, which is created if missing.</summary>
    /// <param name="directory">The journal directory, as a full path.</param>
    /// <returns>The engine.</returns>
    private protected MigrationEngine Engine(string directory)
    {
        if (!_engines.TryGetValue(directory, out var engine))
        {
            engine = new MigrationEngine(MigrationJournalLocation.Open(directory), Hosts.Options, Hosts.Paths);
            _engines.Add(directory, engine);
        }

        return engine;
    }

    /// <summary>
    /// Keeps a confirmed input for the job the command writes at its end (-AsJob) instead of running it now: the job
    /// runs the command itself for it, with the parameters bound for it and <paramref name="overrides"/>.
    /// </summary>
    /// <param name="subject">What the input concerns, for the job's name, such as the workload.</param>
    /// <param name="source">The host it moves from.</param>
    /// <param name="destination">The host it moves to.</param>
    /// <param name="overrides">Parameters to run it with instead of the bound ones, such as the journal as a full path.</param>
    private protected void QueueForJob(string subject, string source, string destination, IDictionary<string, object?> overrides)
    {
        var carried = new Dictionary<string, object?>(overrides ?? throw new ArgumentNullException(nameof(overrides)), StringComparer.OrdinalIgnoreCase);
        foreach (var path in ResolvedConnectionPaths())
        {
            carried[path.Key] = path.Value;
        }

        _jobInvocations.Add(JobInvocation.For(CommandName, MyInvocation.BoundParameters, carried));
        _jobSubjects.Add(subject);
        _jobRoutes.Add($"{source} -> {destination}");
    }

    /// <summary>Starts the job for the inputs kept with <see cref="QueueForJob"/>, if any, and writes it.</summary>
    /// <param name="cancellationToken">Cancelled by Ctrl+C.</param>
    /// <returns>The step's task.</returns>
    protected override async Task EndProcessingAsync(CancellationToken cancellationToken)
    {
        await base.EndProcessingAsync(cancellationToken).ConfigureAwait(true);
        if (_jobInvocations.Count == 0)
        {
            return;
        }

        var subjects = _jobSubjects.Distinct(StringComparer.Ordinal).ToList();
        var name = subjects.Count <= 3
            ? $"{CommandName} {string.Join(", ", subjects)}"
            : $"{CommandName} {string.Join(", ", subjects.Take(2))} and {subjects.Count - 2} more";
        var job = MigrationJob.Start((CmdletInfo)MyInvocation.MyCommand, _jobInvocations, name, string.Join(", ", _jobRoutes.Distinct(StringComparer.Ordinal)));
        JobRepository.Add(job);
        WriteObject(job);
    }

    /// <summary>Progress bars for the phases of one migration; dispose it to close the last one.</summary>
    /// <param name="subject">What is migrated, such as <c>web from h1 to h2</c>.</param>
    /// <returns>The reporter to hand to the engine.</returns>
    private protected MigrationProgressReporter StartMigrationProgress(string subject) =>
        new(subject, StartProgress, WriteVerbose);

    /// <summary>
    /// Reports a phase's failure for one input: a failed phase under the migration as its record now is (so
    /// <c>$error[0].TargetObject | Undo-Migration</c> works), anything else under <paramref name="target"/>.
    /// </summary>
    /// <param name="error">What was thrown.</param>
    /// <param name="target">What the cmdlet was working on.</param>
    /// <param name="journalDirectory">The journal of the migration.</param>
    private protected void WriteMigrationError(Exception error, object target, string? journalDirectory)
    {
        var subject = error is MigrationFailedException { Record: { } record } ? new Migration(record, journalDirectory) : target;
        WriteError(error, subject);
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
    private protected async Task RunPhaseAsync(
        Func<Task<MigrationRecord>> phase, object target, string journalDirectory, CancellationToken cancellationToken)
    {
        try
        {
            var record = await phase().ConfigureAwait(true);
            WriteObject(new Migration(record, journalDirectory));
        }
        catch (Exception error) when (IsReportable(error, cancellationToken))
        {
            WriteMigrationError(error, target, journalDirectory);
        }
        catch (MigrationFailedException cancelled) when (cancellationToken.IsCancellationRequested)
        {
            TellHost(cancelled.Message);
            throw;
        }
    }

    /// <summary>Writes a warning straight to the host (or the job's warnings), for what must be seen even though the pipeline is stopping.</summary>
    private void TellHost(string message)
    {
        try
        {
            // In a job there is no host to tell: the job's warnings take the message instead.
            if (SessionState.PSVariable.GetValue(MigrationJob.WarningsVariable) is PSDataCollection<WarningRecord> jobWarnings)
            {
                jobWarnings.Add(new WarningRecord(message));
                return;
            }

            Host?.UI?.WriteWarningLine(message);
        }
#pragma warning disable CA1031 // A host that cannot show the warning must not hide the stop that is under way.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}
