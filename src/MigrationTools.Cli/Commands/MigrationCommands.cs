using System.CommandLine;
using MigrationTools.Cli.Options;
using MigrationTools.Cli.Output;
using MigrationTools.Engine.Journal;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Phases;

namespace MigrationTools.Cli.Commands;

/// <summary>
/// <c>migration test|start|sync|switch|complete|undo|abort|list|show</c> and <c>move</c>: each one engine call, its
/// progress shown on standard error, its record written on standard output.
/// </summary>
internal static class MigrationCommands
{
    /// <summary>Builds the <c>migration</c> command and its verbs.</summary>
    /// <param name="app">The command line they belong to.</param>
    /// <returns>The command.</returns>
    public static Command Build(CliApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var migration = new Command("migration", "Drive a migration phase by phase (test, start, sync, switch, then complete or undo; abort before the switch), or read the journal.");
        migration.Add(Test(app));
        migration.Add(Start(app));
        migration.Add(Phase(app, "sync", "Send what changed since the last copy, while the workload keeps running. Repeatable.",
            (engine, id, _, progress, token) => engine.SyncAsync(id, progress, token),
            ["migrationtools migration sync m-0123456789ab", "migrationtools migration sync m-0123456789ab --progress json 2>progress.ndjson"]));
        migration.Add(Phase(app, "switch",
            "Cut over: freeze (or stop) the workload, send the final delta and its checkpoint, restore (or start) it on the destination and " +
            "check its health. A failure or Ctrl+C rolls it back: the workload runs on the source again (exit code 4).",
            (engine, id, _, progress, token) => engine.SwitchAsync(id, progress, token),
            ["migrationtools migration switch m-0123456789ab"]));
        migration.Add(Complete(app));
        migration.Add(Undo(app));
        migration.Add(Phase(app, "abort",
            "Give up a migration before its switch: the destination's copy and the migration's snapshots go; the workload keeps running on the source.",
            (engine, id, _, progress, token) => engine.AbortAsync(id, progress, token),
            ["migrationtools migration abort m-0123456789ab"]));
        migration.Add(List(app));
        migration.Add(Show(app));
        app.Help.Examples(
            migration,
            "id=$(migrationtools migration start web --from h1 --to h2 --json | jq -r .id)",
            "migrationtools migration sync $id && migrationtools migration switch $id",
            "migrationtools migration complete $id                # or: migrationtools migration undo $id",
            "migrationtools migration list --active");
        return migration;
    }

    /// <summary>Builds <c>move</c>: begin, sync rounds until the delta is small, switch, and complete if asked.</summary>
    /// <param name="app">The command line it belongs to.</param>
    /// <returns>The command.</returns>
    public static Command BuildMove(CliApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var workload = ValueParsers.WorkloadArgument("workload", "The workload, as declared on the source host.");
        var from = ValueParsers.HostOption("--from", "--source", "The host the workload runs on.");
        var to = ValueParsers.HostOption("--to", "--destination", "The host it moves to.");
        var run = new MoveRunOptions();
        var command = new Command(
            "move",
            "Move a workload in one command: preflight, the first full copy while it runs, sync rounds until the delta stops shrinking, " +
            "the switch, and with --complete the cleanup. Run again after an interruption, it continues from where the migration stands.")
        {
            workload, from, to,
        };
        run.AddTo(command);
        app.Settings.AddTo(command);
        app.Connection.AddTo(command);
        app.Paths.AddTo(command);
        app.Journal.AddTo(command);
        command.Add(app.Progress.Option);
        app.Help.Examples(
            command,
            "migrationtools move web --from h1 --to h2",
            "migrationtools move web --from h1 --to h2 --complete --direct --compression auto",
            "migrationtools move web --from h1 --to h2 --json --progress json > record.json 2> progress.ndjson",
            "migrationtools move web --from h1 --to h2 --hook before-freeze:controller:'./drain.sh web' --hook after-commit:controller:'./point-dns.sh web h2'");
        app.SetAction(command, async invocation =>
        {
            var result = invocation.Result;
            var request = app.Settings.Request(result, result.GetValue(workload)!, result.GetValue(from)!, result.GetValue(to)!);
            var options = run.Read(result);
            var engine = Engine(app, result);
            var progress = new ProgressRenderer(app.Progress.Read(result), invocation.Console);
            MigrationRecord record;
            try
            {
                record = await engine.MoveAsync(request, options, progress, invocation.CancellationToken).ConfigureAwait(false);
            }
            finally
            {
                progress.Finish();
            }

            var view = MigrationView.Of(record);
            invocation.Emit(view, writer => HumanText.WriteMigration(writer, view));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Test(CliApplication app)
    {
        var workload = ValueParsers.WorkloadArgument("workload", "The workload, as declared on the source host.");
        var from = ValueParsers.HostOption("--from", "--source", "The host the workload runs on.");
        var to = ValueParsers.HostOption("--to", "--destination", "The host it would move to.");
        var command = new Command(
            "test",
            "Check, without changing anything, whether the workload can move: every preflight check with its verdict, and the bytes the first copy " +
            "would send. Exit code 0 when every check passes, 3 when any fails.")
        {
            workload, from, to,
        };
        app.Settings.AddTo(command);
        app.Connection.AddTo(command);
        app.Paths.AddTo(command);
        app.Journal.AddTo(command);
        app.Help.Examples(
            command,
            "migrationtools migration test web --from h1 --to h2",
            "migrationtools migration test web --from h1 --to h2 --direct --json | jq '.checks[] | select(.passed | not)'");
        app.SetAction(command, async run =>
        {
            var result = run.Result;
            var request = app.Settings.Request(result, result.GetValue(workload)!, result.GetValue(from)!, result.GetValue(to)!);
            var plan = PlanView.Of(await Engine(app, result).TestAsync(request, run.CancellationToken).ConfigureAwait(false));
            run.Emit(plan, writer => HumanText.WritePlan(writer, plan));
            return plan.Passed ? ExitCodes.Success : ExitCodes.Refused;
        });
        return command;
    }

    private static Command Start(CliApplication app)
    {
        var workload = ValueParsers.WorkloadArgument("workload", "The workload, as declared on the source host.");
        var from = ValueParsers.HostOption("--from", "--source", "The host the workload runs on.");
        var to = ValueParsers.HostOption("--to", "--destination", "The host it moves to.");
        var command = new Command(
            "start",
            "Begin a migration: preflight, a record in the journal, and the first full copy of the datasets while the workload keeps running. " +
            "Prints the migration's id for the next phases. Run again after an interruption, it continues the same migration.")
        {
            workload, from, to,
        };
        app.Settings.AddTo(command);
        app.Connection.AddTo(command);
        app.Paths.AddTo(command);
        app.Journal.AddTo(command);
        command.Add(app.Progress.Option);
        app.Help.Examples(
            command,
            "migrationtools migration start web --from h1 --to h2",
            "id=$(migrationtools migration start web --from h1 --to h2 --json | jq -r .id)",
            "migrationtools migration start web --from root@host-a --to root@host-b --direct --bandwidth-limit 50M");
        app.SetAction(command, async run =>
        {
            var result = run.Result;
            var request = app.Settings.Request(result, result.GetValue(workload)!, result.GetValue(from)!, result.GetValue(to)!);
            var engine = Engine(app, result);
            return await WithProgressAsync(app, run, progress => engine.BeginAsync(request, progress, run.CancellationToken)).ConfigureAwait(false);
        });
        return command;
    }

    private static Command Complete(CliApplication app)
    {
        var keep = new Option<bool>("--keep-source-datasets")
        {
            Description = "Keep the source's datasets (read-only) instead of destroying them.",
        };
        return Phase(app, "complete",
            "Finish a switched migration: the frozen source process ends, the migration's snapshots and holds go, and the source's datasets are " +
            "destroyed unless --keep-source-datasets. After this there is no undo.",
            (engine, id, result, progress, token) => engine.CompleteAsync(id, result.GetValue(keep), progress, token),
            ["migrationtools migration complete m-0123456789ab", "migrationtools migration complete m-0123456789ab --keep-source-datasets"],
            keep);
    }

    private static Command Undo(CliApplication app)
    {
        var keep = new Option<bool>("--keep-changes")
        {
            Description = "Move the workload back as it runs now (checkpointed or stopped, its datasets' changes sent back) instead of discarding " +
                "what it changed on the destination.",
        };
        return Phase(app, "undo",
            "Reverse a switch before complete: the workload runs on the source again and the destination's copy is removed. " +
            "What it changed on the destination since the switch is discarded, unless --keep-changes.",
            (engine, id, result, progress, token) => engine.UndoAsync(id, result.GetValue(keep), progress, token),
            ["migrationtools migration undo m-0123456789ab", "migrationtools migration undo m-0123456789ab --keep-changes"],
            keep);
    }

    private static Command Phase(
        CliApplication app, string name, string description,
        Func<MigrationEngine, MigrationId, ParseResult, IProgress<MigrationProgress>, CancellationToken, Task<MigrationRecord>> phase,
        string[] examples, params Option[] options)
    {
        var id = ValueParsers.MigrationIdArgument();
        var command = new Command(name, description) { id };
        foreach (var option in options)
        {
            command.Add(option);
        }

        app.Connection.AddTo(command);
        app.Paths.AddTo(command);
        app.Journal.AddTo(command);
        command.Add(app.Progress.Option);
        app.Help.Examples(command, examples);
        app.SetAction(command, async run =>
        {
            var engine = Engine(app, run.Result);
            var migration = run.Result.GetValue(id)!;
            return await WithProgressAsync(app, run, progress => phase(engine, migration, run.Result, progress, run.CancellationToken)).ConfigureAwait(false);
        });
        return command;
    }

    private static Command List(CliApplication app)
    {
        var workload = new Option<string?>("--workload")
        {
            Description = "Only this workload's migrations.",
            HelpName = "name",
        };
        var active = new Option<bool>("--active")
        {
            Description = "Only migrations that are not over (not completed, aborted or rolled back).",
        };
        var command = new Command("list", "List the migrations in the journal on this machine, oldest first.") { workload, active };
        app.Journal.AddTo(command);
        app.Help.Examples(
            command,
            "migrationtools migration list",
            "migrationtools migration list --active --workload web",
            "migrationtools migration list --json | jq -r '.[] | [.id, .state, .downtimeSeconds] | @tsv'");
        app.SetAction(command, run =>
        {
            var listing = app.Journal.OpenExisting(run.Result)?.List() ?? new MigrationJournalListing([], []);
            var only = run.Result.GetValue(workload);
            var activeOnly = run.Result.GetValue(active);
            var views = listing.Records
                .Where(r => only is null || r.Workload.Value == only)
                .Where(r => !activeOnly || !MigrationStateMachine.IsTerminal(r.State))
                .OrderBy(r => r.CreatedAt)
                .Select(MigrationView.Of)
                .ToList();
            run.Emit<IReadOnlyList<MigrationView>>(views, writer => HumanText.WriteMigrations(writer, views));
            foreach (var error in listing.Errors)
            {
                run.Console.Error.WriteLine("error: " + error.Message);
            }

            return Task.FromResult(listing.Errors.Count == 0 ? ExitCodes.Success : ExitCodes.Error);
        });
        return command;
    }

    private static Command Show(CliApplication app)
    {
        var id = ValueParsers.MigrationIdArgument();
        var command = new Command("show", "Show one migration's record: where it stands, what moved, the downtime, its phases and what to do next.") { id };
        app.Journal.AddTo(command);
        app.Help.Examples(command, "migrationtools migration show m-0123456789ab", "migrationtools migration show m-0123456789ab --json | jq .downtimeParts");
        app.SetAction(command, run =>
        {
            var migration = run.Result.GetValue(id)!;
            var journal = app.Journal.OpenExisting(run.Result)
                ?? throw new CommandRefusedException(
                    $"There is no journal at {app.Journal.PathOf(run.Result)}, so no migration {migration}; give the journal that holds it with --journal.");
            var view = MigrationView.Of(new MigrationEngine(journal).Get(migration));
            run.Emit(view, writer => HumanText.WriteMigration(writer, view));
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }

    /// <summary>The engine the command line describes; every option is checked before the journal is opened (and perhaps created).</summary>
    private static MigrationEngine Engine(CliApplication app, ParseResult result)
    {
        var ssh = app.Connection.Read(result);
        var paths = app.Paths.Read(result);
        // The default limits per host, so that these migrations count against a drain's and a drain's against them.
        return new MigrationEngine(app.Journal.Open(result), ssh, paths, limits: new HostLimits());
    }

    /// <summary>Runs a phase with progress on standard error, then writes the record it returns.</summary>
    private static async Task<int> WithProgressAsync(CliApplication app, CommandRun run, Func<IProgress<MigrationProgress>, Task<MigrationRecord>> phase)
    {
        var progress = new ProgressRenderer(app.Progress.Read(run.Result), run.Console);
        MigrationRecord record;
        try
        {
            record = await phase(progress).ConfigureAwait(false);
        }
        finally
        {
            progress.Finish();
        }

        var view = MigrationView.Of(record);
        run.Emit(view, writer => HumanText.WriteMigration(writer, view));
        return ExitCodes.Success;
    }
}
