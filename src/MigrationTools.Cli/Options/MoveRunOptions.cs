using System.CommandLine;
using MigrationTools.Engine.Migrations;

namespace MigrationTools.Cli.Options;

/// <summary>The options of a whole move (sync rounds, convergence, completion), shared by <c>move</c> and <c>drain</c>.</summary>
internal sealed class MoveRunOptions
{
    /// <summary><c>--max-sync-rounds</c>.</summary>
    public Option<int> Rounds { get; } = new("--max-sync-rounds")
    {
        Description = $"Switch after at most this many sync rounds (1 to {MoveOptions.MaxSyncRoundsLimit}).",
        HelpName = "n",
        DefaultValueFactory = _ => new MoveOptions().MaxSyncRounds,
        Validators =
        {
            result =>
            {
                if (result.GetValueOrDefault<int>() is < 1 or > MoveOptions.MaxSyncRoundsLimit)
                {
                    result.AddError($"--max-sync-rounds takes a number from 1 to {MoveOptions.MaxSyncRoundsLimit}.");
                }
            },
        },
    };

    /// <summary><c>--converged</c>.</summary>
    public Option<long?> Converged { get; } = ValueParsers.SizeOption(
        "--converged",
        "Switch once a sync round sends no more than this (the final delta, sent while the workload is frozen, is about as small). Default: 16M.");

    /// <summary><c>--complete</c>.</summary>
    public Option<bool> Complete { get; } = new("--complete")
    {
        Description = "Complete the migration after a healthy switch: the source's datasets are destroyed (unless --keep-source-datasets).",
    };

    /// <summary><c>--keep-source-datasets</c>.</summary>
    public Option<bool> Keep { get; } = new("--keep-source-datasets")
    {
        Description = "With --complete, keep the source's datasets (read-only) instead of destroying them.",
    };

    /// <summary>Adds the options to a command.</summary>
    /// <param name="command">The command.</param>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Add(Rounds);
        command.Add(Converged);
        command.Add(Complete);
        command.Add(Keep);
    }

    /// <summary>The move's options from the command line.</summary>
    /// <param name="result">The parsed command line.</param>
    /// <returns>The options.</returns>
    public MoveOptions Read(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new MoveOptions
        {
            MaxSyncRounds = result.GetValue(Rounds),
            ConvergedBytes = result.GetValue(Converged) ?? new MoveOptions().ConvergedBytes,
            Complete = result.GetValue(Complete),
            KeepSourceDatasets = result.GetValue(Keep),
        };
    }
}
