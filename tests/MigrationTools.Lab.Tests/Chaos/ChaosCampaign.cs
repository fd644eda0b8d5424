using System.Globalization;
using System.Diagnostics;
using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Migrations;
using MigrationTools.Lab.Tests.Lab;
using MigrationTools.Lab.Tests.Migrations;

namespace MigrationTools.Lab.Tests.Chaos;

/// <summary>What one run of the campaign did and found.</summary>
/// <param name="Run">The run as drawn.</param>
/// <param name="Landed">Whether the fault struck while the phase still ran (a phase can end before its moment comes).</param>
/// <param name="Steps">The faulted phase and each step the operator took after it, with how each ended.</param>
/// <param name="EndState">The migration's state at the end; null when no record was ever saved.</param>
/// <param name="RunsOn">The hosts the workload ran on at the end.</param>
/// <param name="Violations">Every invariant that did not hold.</param>
/// <param name="Elapsed">How long the run took.</param>
internal sealed record ChaosOutcome(
    ChaosRun Run, bool Landed, IReadOnlyList<string> Steps, MigrationState? EndState, string RunsOn, IReadOnlyList<string> Violations, TimeSpan Elapsed)
{
    /// <summary>The run as the campaign prints it below the run's own line: its steps, its violations, how it ended.</summary>
    public IEnumerable<string> Describe() =>
        Steps.Select(step => "  " + step)
            .Concat(Violations.Select(violation => "  VIOLATION: " + violation))
            .Append(string.Create(CultureInfo.InvariantCulture,
                $"  end: {EndState?.ToString() ?? "nothing begun"}, runs on {RunsOn}; {(Landed ? "landed" : "did not land (the phase ended first)")}, {Violations.Count} violation(s), {Elapsed.TotalSeconds:0.0} s"));
}

/// <summary>
/// Runs one drawn fault against a migration of the counter service and then acts as an operator would: takes the fault
/// away (the host answers again, the space is freed), runs the interrupted phase again, and drives the migration to an
/// end (finished, or given up by undo or abort). Then it checks the invariants: never running on two hosts, at the end
/// running on exactly the host the record says, every counted value and every file byte there, and nothing of the
/// migration left behind (snapshots and their holds, the claim, checkpoint images, the other host's copy, marks).
/// </summary>
internal sealed class ChaosCampaign(LabFixture lab)
{
    // An operator retries a phase that fails for a passing reason; a run that needs more steps than this to reach an
    // end is itself a finding.
    private const int MostOperatorSteps = 8;

    private static readonly string[] Hosts = ["h1", "h2"];

    public async Task<ChaosOutcome> RunAsync(ChaosRun run)
    {
        var clock = Stopwatch.StartNew();
        var violations = new List<string>();
        var steps = new List<string>();
        await using var m = new MigrationLab(lab);
        await m.StartAsync();
        await m.FillAsync("h1", "bulk-1", 16);
        var id = await SetUpAsync(m, run.Phase);
        if (run.Phase == ChaosPhase.Sync)
        {
            // Something for the sync to send while the fault strikes.
            await m.FillAsync("h1", "bulk-2", 16);
        }

        var files = run.Phase == ChaosPhase.Sync ? new[] { "bulk-1", "bulk-2" } : ["bulk-1"];
        var expected = new Dictionary<string, string>();
        foreach (var file in files)
        {
            expected[file] = await m.ChecksumAsync(HostHoldingData(m), file);
        }

        var fault = new InjectedFault(lab, m, run);
        await fault.ArmAsync();
        var landed = run.Fault == ChaosFault.ControllerKilled
            ? await RunInControllerAsync(m, run, id, steps)
            : await RunInProcessAsync(m, run, id, fault, steps);

        var during = await m.RunningOnAsync();
        if (during == "h1 and h2")
        {
            violations.Add("right after the faulted phase the workload ran on both hosts");
        }

        await fault.RemoveAsync();
        var record = await ActAsOperatorAsync(m, run, steps, violations);
        var runsOn = await CheckEndAsync(m, record, expected, violations);
        return new ChaosOutcome(run, landed, steps, record?.State, runsOn, violations, clock.Elapsed);
    }

    /// <summary>Brings the migration to where <paramref name="phase"/> starts; returns its id (none before a begin).</summary>
    private static async Task<MigrationId?> SetUpAsync(MigrationLab m, ChaosPhase phase)
    {
        switch (phase)
        {
            case ChaosPhase.Begin:
                return null;
            case ChaosPhase.Sync or ChaosPhase.Abort:
                return (await m.Engine.BeginAsync(m.Request())).Id;
            case ChaosPhase.Switch:
                return (await m.Engine.SyncAsync((await m.Engine.BeginAsync(m.Request())).Id)).Id;
            default:
                return (await m.Engine.MoveAsync(m.Request(), new MoveOptions { MaxSyncRounds = 1 })).Id;
        }
    }

    /// <summary>The host whose copy of the data is the one that counts before the phase: the source until a switch.</summary>
    private static string HostHoldingData(MigrationLab m) =>
        m.Engine.Journal.List().Records.SingleOrDefault() is { State: MigrationState.Switched } ? "h2" : "h1";

    private async Task<bool> RunInControllerAsync(MigrationLab m, ChaosRun run, MigrationId? id, List<string> steps)
    {
        var reports = 0;
        var outcome = await ControllerProcess.RunAndKillAsync(
            m,
            lab,
            run.Phase.ToString().ToLowerInvariant(),
            id?.Value ?? m.Service.Name.Value,
            line => run.AtReport is { } n && line.StartsWith("progress\t", StringComparison.Ordinal) && ++reports == n,
            killAfter: run.AtTime);
        steps.Add(outcome.Killed
            ? $"{run.Phase} in a controller process: killed after {outcome.Lines.Count} lines"
            : $"{run.Phase} in a controller process: ended by itself ({outcome.Lines.LastOrDefault(l => !l.StartsWith("stderr", StringComparison.Ordinal))})");
        return outcome.Killed;
    }

    private static async Task<bool> RunInProcessAsync(MigrationLab m, ChaosRun run, MigrationId? id, InjectedFault fault, List<string> steps)
    {
        using var phaseEnded = new CancellationTokenSource();
        var trigger = new ReportTrigger(run.AtReport, fault);
        var timer = run.AtTime is { } delay ? fault.FireAfterAsync(delay, phaseEnded.Token) : Task.CompletedTask;
        steps.Add((await StepAsync(run.Phase.ToString(), () => RunPhaseAsync(m, run.Phase, id, trigger))).Text);

        // A moment that had not come when the phase ended never comes: the fault did not land.
        await phaseEnded.CancelAsync();
        await timer;
        return fault.Landed;
    }

    private static Task<MigrationRecord> RunPhaseAsync(MigrationLab m, ChaosPhase phase, MigrationId? id, IProgress<MigrationProgress>? progress) => phase switch
    {
        ChaosPhase.Begin => m.Engine.BeginAsync(m.Request(), progress),
        ChaosPhase.Sync => m.Engine.SyncAsync(id!, progress),
        ChaosPhase.Switch => m.Engine.SwitchAsync(id!, progress),
        ChaosPhase.Undo => m.Engine.UndoAsync(id!, progress),
        ChaosPhase.Complete => m.Engine.CompleteAsync(id!, keepSourceDatasets: false, progress),
        ChaosPhase.Abort => m.Engine.AbortAsync(id!, progress),
        _ => throw new ArgumentOutOfRangeException(nameof(phase)),
    };

    /// <summary>
    /// Runs the interrupted phase again, then the phases that lead to the operator's aim, as long as the migration is
    /// not at an end; a phase that fails is tried again (its fault is gone), up to <see cref="MostOperatorSteps"/>.
    /// </summary>
    private static async Task<MigrationRecord?> ActAsOperatorAsync(MigrationLab m, ChaosRun run, List<string> steps, List<string> violations)
    {
        var finish = run.OperatorFinishes;
        for (var step = 0; step < MostOperatorSteps; step++)
        {
            var record = m.Engine.Journal.List().Records.SingleOrDefault();
            var next = NextPhase(record, finish);
            if (next is not { } phase)
            {
                return record;
            }

            var (text, refused) = await StepAsync(phase.ToString(), () => RunPhaseAsync(m, phase, record?.Id, null));
            steps.Add("operator: " + text);

            // Refused means this way is closed and nothing changed (an undo after a complete began): take the other way.
            finish ^= refused;
        }

        violations.Add($"the migration reached no end in {MostOperatorSteps} operator steps");
        return m.Engine.Journal.List().Records.SingleOrDefault();
    }

    /// <summary>What an operator runs next: the interrupted phase again, else the next phase towards the aim; null at an end.</summary>
    private static ChaosPhase? NextPhase(MigrationRecord? record, bool finish)
    {
        if (record is null)
        {
            // The begin died before it saved anything: nothing to give up, or everything still to do.
            return finish ? ChaosPhase.Begin : null;
        }

        if (record.ActivePhase is { } active)
        {
            return Enum.Parse<ChaosPhase>(active.ToString());
        }

        return record.State switch
        {
            MigrationState.Created => finish ? ChaosPhase.Begin : ChaosPhase.Abort,
            MigrationState.Begun or MigrationState.Synced => finish ? ChaosPhase.Switch : ChaosPhase.Abort,
            MigrationState.Switching => finish ? ChaosPhase.Switch : ChaosPhase.Undo,
            MigrationState.Switched => finish ? ChaosPhase.Complete : ChaosPhase.Undo,
            _ => null,
        };
    }

    private static async Task<(string Text, bool Refused)> StepAsync(string name, Func<Task<MigrationRecord>> phase)
    {
        try
        {
            var record = await phase();
            return ($"{name}: {record.State}", false);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            // What an operator would read; the run goes on to the next step.
            return ($"{name}: {error.GetType().Name}: {error.Message.Split('\n')[0]}", error is MigrationRefusedException);
        }
    }

    /// <summary>The invariants at the end; returns where the workload runs.</summary>
    private async Task<string> CheckEndAsync(MigrationLab m, MigrationRecord? record, Dictionary<string, string> expected, List<string> violations)
    {
        var state = record?.State;
        var ended = state is null or MigrationState.Completed or MigrationState.Aborted or MigrationState.RolledBack;
        if (!ended)
        {
            violations.Add($"the migration ended {state}, not at an end: {record!.LastError}");
        }

        if (record?.ActivePhase is { } active)
        {
            violations.Add($"the record still names {active} as running");
        }

        // The record is the truth an operator acts on: it must say where the workload runs.
        var home = state is MigrationState.Completed or MigrationState.Switched ? "h2" : "h1";
        var away = home == "h1" ? "h2" : "h1";
        var runsOn = await m.RunningOnAsync();
        if (runsOn != home)
        {
            violations.Add($"the record says {state?.ToString() ?? "nothing was begun"}, so the workload should run on {home}, but it runs on {runsOn}");
        }

        if (runsOn is "h1" or "h2")
        {
            if (!await m.LogIntactAsync(runsOn))
            {
                violations.Add($"the counter's log on {runsOn} has values missing or repeated");
            }

            foreach (var (file, checksum) in expected)
            {
                if (await m.ChecksumAsync(runsOn, file) != checksum)
                {
                    violations.Add($"{file} on {runsOn} differs from what it held before the phase");
                }
            }
        }

        // What is left is judged at an end only: a migration stopped between phases keeps its copies, claim and marks
        // by design, and the violation above already counts it.
        if (!ended)
        {
            return runsOn;
        }

        if (await m.DatasetExistsAsync(away))
        {
            violations.Add($"the dataset is left on {away}");
        }

        if (await m.ClaimExistsAsync())
        {
            violations.Add("the workload's migration claim is left on h1");
        }

        foreach (var host in Hosts)
        {
            var snapshots = await m.DatasetExistsAsync(host) ? await m.SnapshotsAsync(host) : [];
            if (snapshots.Length > 0)
            {
                violations.Add($"snapshots left on {host}: {string.Join(", ", snapshots)}");
            }

            var images = (await lab.SshCheckedAsync(host, $"ls -d {CriuImageDirectory.DefaultParent}/{m.Service.Name}-* 2>/dev/null || true")).Trim();
            if (images.Length > 0)
            {
                violations.Add($"checkpoint images left on {host}: {images.ReplaceLineEndings(" ")}");
            }
        }

        if (await m.DatasetExistsAsync(home))
        {
            // Set on the source (local) and carried by the streams (received): any source but inheritance is a mark left.
            var marks = (await lab.SshCheckedAsync(home,
                $"zfs get -H -o property,value,source all {m.Dataset} | awk -F '\\t' '$1 ~ /^migrationtools:/ && $3 !~ /^inherited/' || true")).Trim();
            if (marks.Length > 0)
            {
                violations.Add($"migration marks left on {home}'s dataset: {marks.ReplaceLineEndings(" ")}");
            }
        }

        return runsOn;
    }

    /// <summary>Fires the fault at the phase's Nth progress report, on the engine's own thread, so it strikes in order.</summary>
    private sealed class ReportTrigger(int? atReport, InjectedFault fault) : IProgress<MigrationProgress>
    {
        private int _reports;

        public void Report(MigrationProgress value)
        {
            fault.Saw(value.Activity);
            if (atReport is { } n && Interlocked.Increment(ref _reports) == n)
            {
                fault.FireAsync().GetAwaiter().GetResult();
            }
        }
    }
}
