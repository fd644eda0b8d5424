using System.CommandLine;
using MigrationTools.Cli.Options;
using MigrationTools.Cli.Output;
using MigrationTools.Engine.Draining;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Phases;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Transfer;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Cli.Commands;

/// <summary>
/// <c>drain</c>: moves every workload off a host, several at once within per-host limits, each to the destination with
/// the most free space that passes its preflight, with one view of the whole.
/// </summary>
internal static class DrainCommand
{
    /// <summary>The default of <c>--parallel</c>.</summary>
    public const int DefaultParallel = 4;

    /// <summary>Builds the command.</summary>
    /// <param name="app">The command line it belongs to.</param>
    /// <returns>The command.</returns>
    public static Command Build(CliApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var source = ValueParsers.HostArgument("source", "The host to drain: every workload declared on it moves.");
        var to = new Option<string[]>("--to", "--destination")
        {
            Description = "The destination hosts, comma-separated or repeated (h2,h3): each workload goes to the one with the most free space " +
                          "in its target pool that passes the preflight, in turn when equal.",
            Required = true,
            HelpName = "host[,host]",
            AllowMultipleArgumentsPerToken = false,
            CustomParser = result => ValueParsers.HostList(result, "--to"),
        };
        var parallel = ValueParsers.RangeOption("--parallel", $"Move at most this many workloads at once (1 to {DrainQueue.MaxThrottleLimit}).",
            1, DrainQueue.MaxThrottleLimit, DefaultParallel);
        var order = new ChoiceOption<DrainOrder>(
            "--order",
            "Which workloads start first: smallest (estimated transfer, the default), largest, or given (the source's listing order, by name).",
            [("smallest", DrainOrder.SmallestFirst), ("largest", DrainOrder.LargestFirst), ("given", DrainOrder.AsGiven)],
            "smallest");
        var perHost = ValueParsers.RangeOption("--max-per-host",
            "At most this many migrations act on one host at once, across every migrationtools using the same journal (1 to 64).",
            1, HostLimits.MaxMaxMigrationsPerHost, HostLimits.DefaultMaxMigrationsPerHost);
        var budget = new Option<BandwidthLimit?>("--bandwidth-per-host")
        {
            Description = "A bandwidth budget per host (such as 50M, bytes per second), shared by the streams running on it: each stream gets " +
                          "the budget divided by the migrations on the host when it starts.",
            HelpName = "rate",
            CustomParser = result => ValueParsers.Bandwidth(result, "--bandwidth-per-host"),
        };
        var whatIf = new Option<bool>("--what-if")
        {
            Description = "Show what would move where (and what would be skipped or refused) without moving anything.",
        };
        var move = new MoveRunOptions();
        var command = new Command(
            "drain",
            "Move every workload off a host: several at once (--parallel), at most --max-per-host migrations on any host at a time, each to " +
            "the destination with the most free space that passes its preflight. Workloads whose policy is manual are skipped unless --force. " +
            "A workload that fails is reported (a failed switch rolls back) and the others go on; the exit code says whether any failed. " +
            "Interrupted, every migration is left where its next phase continues: run the drain again to finish.")
        {
            source, to, parallel, order.Option, perHost, budget, whatIf,
        };
        move.AddTo(command);
        app.Settings.AddTo(command);
        app.Connection.AddTo(command);
        app.Paths.AddTo(command);
        app.Journal.AddTo(command);
        command.Add(app.Progress.Option);
        app.Help.Examples(
            command,
            "migrationtools drain h1 --to h2,h3 --parallel 3 --complete",
            "migrationtools drain h1 --to h2,h3 --what-if",
            "migrationtools drain h1 --to h2 --max-per-host 4 --bandwidth-per-host 100M --direct --complete",
            "migrationtools drain h1 --to h2,h3 --complete --json --progress json > results.ndjson 2> progress.ndjson");
        app.SetAction(command, async run =>
        {
            var result = run.Result;
            var sourceHost = result.GetValue(source)!;
            var destinations = result.GetValue(to)!.Select(SshDestination.Parse).Distinct().ToArray();
            if (destinations.Any(d => HostLimits.SameHost(d.ToString(), sourceHost)))
            {
                throw new UsageException($"--to names the host being drained ({sourceHost}); give only other hosts.");
            }

            var limits = new HostLimits
            {
                MaxMigrationsPerHost = result.GetValue(perHost),
                BandwidthPerHost = result.GetValue(budget)?.BytesPerSecond,
            };
            var journal = app.Journal.Open(result);
            var paths = app.Paths.Read(result);
            var engine = new MigrationEngine(journal, app.Connection.Read(result), paths, limits: limits);
            var entries = await PlanAsync(app, run, engine, sourceHost, destinations).ConfigureAwait(false);

            if (result.GetValue(whatIf))
            {
                IReadOnlyList<DrainPlanView> plan = [.. entries.Select(e => new DrainPlanView(
                    e.Workload.Value, e.Request?.DestinationHost.ToString(), e.Action, e.Reason, e.EstimatedBytes))];
                run.Emit(plan, writer => HumanText.WriteDrainPlan(writer, sourceHost, plan));
                return ExitCodes.Success;
            }

            return await RunAsync(app, run, engine, sourceHost, destinations, entries,
                new DrainQueue(result.GetValue(parallel), order.Read(result)), move.Read(result), limits).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>Lists the source's workloads and decides each one's fate: skipped, refused, or moved to a chosen destination.</summary>
    private static async Task<IReadOnlyList<DrainEntry>> PlanAsync(
        CliApplication app, CommandRun run, MigrationEngine engine, string sourceHost, SshDestination[] destinations)
    {
        WorkloadHostListing listing;
        using (var connection = new SshConnection(SshDestination.Parse(sourceHost), engine.SshOptions))
        {
            listing = await new WorkloadHost(connection, engine.Paths).ListAsync(run.CancellationToken).ConfigureAwait(false);
        }

        foreach (var malformed in listing.Errors)
        {
            run.Warn($"{sourceHost}: a manifest could not be read and its workload is not drained: {malformed.Message}");
        }

        var chooser = new DestinationChooser(engine);
        var force = run.Result.GetValue(app.Settings.Force);
        var entries = new List<DrainEntry>();
        foreach (var workload in listing.Workloads.OrderBy(w => w.Name.Value, StringComparer.Ordinal))
        {
            var request = app.Settings.Request(run.Result, workload.Name, sourceHost, destinations[0].ToString());
            if (workload.Manifest.MigrationPolicy == MigrationPolicy.Manual && !force)
            {
                run.Warn($"{workload.Name} is skipped: its migration policy is manual (give --force to move it too).");
                entries.Add(new DrainEntry(workload.Name, workload.UsedBytes, null, "its migration policy is manual; --force moves it", Skipped: true));
                continue;
            }

            if (engine.Journal.FindActive(workload.Name) is { } active)
            {
                // A drain run again continues the migrations it left, to the destinations they began with.
                var continues = HostLimits.SameHost(active.Source, sourceHost) && destinations.Any(d => HostLimits.SameHost(d.ToString(), active.Destination));
                entries.Add(continues
                    ? new DrainEntry(workload.Name, workload.UsedBytes,
                        app.Settings.Request(run.Result, workload.Name, active.Source, active.Destination),
                        $"continues migration {active.Id} ({active.State}) to {active.Destination}", Skipped: false)
                    : new DrainEntry(workload.Name, workload.UsedBytes, null,
                        $"it already has migration {active.Id} from {active.Source} to {active.Destination} ({active.State}); {HumanText.NextStep(MigrationView.Of(active)) ?? "it is over"}",
                        Skipped: false));
                continue;
            }

            try
            {
                var choice = await chooser.ChooseAsync(request, destinations, run.CancellationToken).ConfigureAwait(false);
                entries.Add(new DrainEntry(workload.Name, workload.UsedBytes, choice.Request, choice.Reason, Skipped: false));
            }
            catch (MigrationRefusedException refused)
            {
                entries.Add(new DrainEntry(workload.Name, workload.UsedBytes, null, refused.Message, Skipped: false));
            }
        }

        return entries;
    }

    private static async Task<int> RunAsync(
        CliApplication app, CommandRun run, MigrationEngine engine, string sourceHost, IReadOnlyList<SshDestination> destinations,
        IReadOnlyList<DrainEntry> entries, DrainQueue queue, MoveOptions options, HostLimits limits)
    {
        var works = new Dictionary<DrainWork, DrainEntry>();
        foreach (var entry in entries.Where(e => e.Request is not null))
        {
            var request = entry.Request!;
            var work = new DrainWork($"{entry.Workload} from {request.SourceHost} to {request.DestinationHost}", entry.EstimatedBytes,
                (progress, token) => engine.MoveAsync(request, options, progress, token));
            works[work] = entry;
            queue.Add(work);
        }

        queue.CompleteAdding();
        var renderer = new DrainProgressRenderer(app.Progress.Read(run.Result), run.Console);
        var observer = new DrainConsoleObserver(renderer, run, sourceHost, works);
        foreach (var entry in entries.Where(e => e.Request is null))
        {
            if (entry.Skipped)
            {
                observer.Write(new DrainWorkloadView("workload", entry.Workload.Value, sourceHost, null, "skipped", entry.Reason, null, null, null));
            }
            else
            {
                observer.Refused(entry);
            }
        }

        DrainSummary summary;
        try
        {
            summary = await queue.RunAsync(observer, run.CancellationToken).ConfigureAwait(false);
        }
        finally
        {
            renderer.Finish();
        }

        var interrupted = run.CancellationToken.IsCancellationRequested;
        if (interrupted)
        {
            // Those the drain never started: each is where it was; a drain run again moves them.
            foreach (var (work, entry) in works.Where(w => w.Key.Sequence >= 0))
            {
                if (!observer.HasStarted(work))
                {
                    observer.Write(new DrainWorkloadView("workload", entry.Workload.Value, sourceHost, entry.Request?.DestinationHost.ToString(),
                        "notStarted", "the drain was interrupted before it started; run the drain again", null, null, null));
                }
            }
        }

        var failures = observer.FailureCodes;
        var code = DrainExitCode.Of(failures, interrupted);
        var view = new DrainSummaryView("summary", sourceHost, [.. destinations.Select(d => d.ToString())], queue.ThrottleLimit,
            limits.MaxMigrationsPerHost, summary.Succeeded, failures.Count, entries.Count(e => e.Skipped), summary.NotStarted,
            summary.BytesSent, Math.Round(summary.Elapsed.TotalSeconds, 3), code);
        if (run.Json)
        {
            run.Console.Out.WriteLine(CliJson.Line(view));
        }
        else
        {
            HumanText.WriteDrainSummary(run.Console.Out, view);
        }

        run.Console.Out.Flush();
        return code;
    }
}
