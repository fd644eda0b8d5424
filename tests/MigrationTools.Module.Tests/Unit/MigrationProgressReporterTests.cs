using System.Management.Automation;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Transfer;
using MigrationTools.Infrastructure;

namespace MigrationTools.Module.Tests.Unit;

/// <summary>
/// A migration phase's progress: drawn on the pipeline thread whatever thread the engine reports from, one bar per
/// phase with the command's activity id, each closed, every new step also written as a verbose message, and never a
/// failure of the phase.
/// </summary>
public sealed class MigrationProgressReporterTests
{
    private static readonly MigrationId Id = MigrationId.Parse("m-0123456789ab");

    private readonly List<string> _bars = [];
    private readonly List<ProgressRecord> _records = [];
    private readonly List<string> _verbose = [];
    private readonly List<int> _threads = [];

    [Fact]
    public void ThePhaseAndRoundAreTheActivity()
    {
        Assert.Equal("Begin: web from h1 to h2 (m-0123456789ab)", MigrationProgressReporter.ActivityOf("web from h1 to h2", new(Id, MigrationPhase.Begin, "Copying")));
        Assert.Equal("Sync round 2: web from h1 to h2 (m-0123456789ab)", MigrationProgressReporter.ActivityOf("web from h1 to h2", new(Id, MigrationPhase.Sync, "Copying", null, 2)));
    }

    [Fact]
    public void EachPhaseGetsABarThatIsClosedWhenTheNextBeginsAndEveryNewStepIsWrittenOnce()
    {
        var reporter = NewReporter();

        reporter.Report(new MigrationProgress(Id, MigrationPhase.Begin, "Copying tank/web to h2 (full)"));
        reporter.Report(new MigrationProgress(Id, MigrationPhase.Begin, "Copying tank/web to h2 (full)", Transfer(1 << 20)));
        reporter.Report(new MigrationProgress(Id, MigrationPhase.Begin, "Copying tank/web to h2 (full)", Transfer(2 << 20)));
        reporter.Report(new MigrationProgress(Id, MigrationPhase.Sync, "Copying tank/web to h2 (incremental)", null, 1));
        reporter.Report(new MigrationProgress(Id, MigrationPhase.Switch, "Checkpointing web on h1"));
        reporter.Report(new MigrationProgress(Id, MigrationPhase.Switch, "Restoring web on h2"));
        reporter.Dispose();
        reporter.Report(new MigrationProgress(Id, MigrationPhase.Switch, "after the end"));
        reporter.Dispose();

        Assert.Equal(
            [
                "Begin: web from h1 to h2 (m-0123456789ab)",
                "Sync round 1: web from h1 to h2 (m-0123456789ab)",
                "Switch: web from h1 to h2 (m-0123456789ab)",
            ],
            _bars);
        Assert.Equal(
            [
                "m-0123456789ab Begin: Copying tank/web to h2 (full)",
                "m-0123456789ab Sync: Copying tank/web to h2 (incremental)",
                "m-0123456789ab Switch: Checkpointing web on h1",
                "m-0123456789ab Switch: Restoring web on h2",
            ],
            _verbose);

        // Drawn: the first report of each step (a new step is always drawn), transfer updates as the throttle allows
        // (none here: the clock stands still), and one Completed record per bar.
        Assert.Equal(4 + 3, _records.Count);
    }

    [Fact]
    public void NothingIsDrawnBeforeTheEngineReportsButTheBarIsStillClosedOnce()
    {
        var reporter = NewReporter();

        reporter.Dispose();

        Assert.Empty(_bars);
        Assert.Empty(_records);
    }

    [Fact]
    public void ReportsFromWorkerThreadsAreDrawnOnThePipelineThreadBeforeThePhaseReturns()
    {
        var pipeline = Environment.CurrentManagedThreadId;

        PipelineDispatcher.Run(async dispatcher =>
        {
            using var reporter = Create(post: action => dispatcher.Post(action), invoke: dispatcher.Invoke);
            await Task.WhenAll(Enumerable.Range(1, 4).Select(n => Task.Run(() =>
                reporter.Report(new MigrationProgress(Id, MigrationPhase.Switch, $"step {n}", Transfer(n << 20))))));
        });

        Assert.Equal(4, _verbose.Count);
        Assert.Equal(4 + 1, _records.Count); // one drawing per new step, and the Completed record, all before Run returned
        Assert.All(_threads, thread => Assert.Equal(pipeline, thread));
        Assert.Single(_bars);
    }

    [Fact]
    public void AFailureToDrawStopsTheDrawingAndNeverReachesTheEngine()
    {
        var draws = 0;
        var reporter = new MigrationProgressReporter(
            "web from h1 to h2",
            activity => new ProgressReporter(_ => { draws++; throw new PipelineStoppedException(); }, 1, activity, throttle: StillClock()),
            _verbose.Add,
            action => action(),
            action => action());

        reporter.Report(new MigrationProgress(Id, MigrationPhase.Switch, "Checkpointing web on h1"));
        reporter.Report(new MigrationProgress(Id, MigrationPhase.Switch, "Restoring web on h2"));
        reporter.Dispose();

        Assert.Equal(["m-0123456789ab Switch: Checkpointing web on h1"], _verbose);
        Assert.Equal(2, draws); // the failed update, then the Completed record when it is disposed
    }

    private static TransferProgress Transfer(long bytes) => new(bytes, 4L << 20, false, TimeSpan.FromSeconds(1), 1 << 20, false);

    private static ProgressThrottle StillClock() => new(TimeSpan.FromSeconds(1), () => TimeSpan.Zero);

    /// <summary>A reporter that draws at once, as on the pipeline thread outside a step.</summary>
    private MigrationProgressReporter NewReporter() => Create(action => action(), action => action());

    private MigrationProgressReporter Create(Action<Action> post, Action<Action> invoke) => new(
        "web from h1 to h2",
        activity =>
        {
            _bars.Add(activity);
            return new ProgressReporter(
                record =>
                {
                    _threads.Add(Environment.CurrentManagedThreadId);
                    _records.Add(record);
                },
                42,
                activity,
                throttle: StillClock());
        },
        _verbose.Add,
        post,
        invoke);
}
