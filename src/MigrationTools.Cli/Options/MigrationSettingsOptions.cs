using System.CommandLine;
using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Hooks;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Replication;
using MigrationTools.Engine.Transfer;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Cli.Options;

/// <summary>
/// How a new migration moves its data and cuts over (fixed at its start and kept in its record), and whether a
/// manual workload may be moved: the options of <c>migration test</c>, <c>migration start</c> and <c>move</c>.
/// </summary>
internal sealed class MigrationSettingsOptions
{
    /// <summary>Each hook's stage and location words.</summary>
    private static readonly (string Word, CutoverStage Stage)[] Stages = [("before-freeze", CutoverStage.BeforeFreeze), ("after-commit", CutoverStage.AfterCommit)];

    private static readonly (string Word, CutoverHookLocation Location)[] Locations =
        [("controller", CutoverHookLocation.Controller), ("source", CutoverHookLocation.Source), ("destination", CutoverHookLocation.Destination)];

    /// <summary>Send data from the source straight to the destination.</summary>
    public Option<bool> Direct { get; } = new("--direct")
    {
        Description = "Send data from the source straight to the destination (the source must be able to ssh to it); by default it is relayed through this machine.",
    };

    /// <summary>Wire compression.</summary>
    public ChoiceOption<StreamCompression> Compression { get; } = new(
        "--compression",
        "Compress data streams: none, auto (zstd, else lz4, where both hosts have it), zstd or lz4.",
        [("none", StreamCompression.None), ("auto", StreamCompression.Auto), ("zstd", StreamCompression.Zstd), ("lz4", StreamCompression.Lz4)],
        "none");

    /// <summary>A cap on every stream's rate.</summary>
    public Option<BandwidthLimit?> BandwidthLimit { get; } = new("--bandwidth-limit")
    {
        Description = "Cap every stream at this many bytes per second, with K, M or G (binary), such as 50M.",
        HelpName = "rate",
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            try
            {
                return Engine.Transfer.BandwidthLimit.Parse(text);
            }
            catch (FormatException e)
            {
                result.AddError("--bandwidth-limit: " + e.Message);
            }
            catch (ArgumentOutOfRangeException e)
            {
                result.AddError("--bandwidth-limit: " + ValueParsers.EngineMessage(e).Split(Environment.NewLine)[0]);
            }

            return null;
        },
    };

    /// <summary>End the frozen source before restoring on the destination.</summary>
    public Option<bool> ReleaseSourceBeforeRestore { get; } = new("--release-source-before-restore")
    {
        Description = "End the frozen source process before the restore on the destination. Needed when both hosts share a " +
            "network namespace (as the lab's do): the frozen source keeps its listening sockets. Undo then restores the source from its checkpoint.",
    };

    /// <summary>How a live switch moves memory.</summary>
    public ChoiceOption<MemoryTransfer> MemoryTransfer { get; } = new(
        "--memory-transfer",
        "How a live (criu) switch moves the workload's memory: auto (the best both hosts support: post-copy, then pre-copy, then " +
            "stop-and-copy), post-copy (restore at once, pages pulled from the frozen source afterwards), pre-copy (rounds of " +
            "pre-dump while it runs, then only the dirtied pages frozen) or stop-and-copy (all memory streamed while frozen). " +
            "A method the hosts cannot do fails the preflight.",
        [("auto", Engine.Criu.MemoryTransfer.Auto), ("post-copy", Engine.Criu.MemoryTransfer.PostCopy),
            ("pre-copy", Engine.Criu.MemoryTransfer.PreCopy), ("stop-and-copy", Engine.Criu.MemoryTransfer.StopAndCopy)],
        "auto");

    /// <summary>Checkpoint established TCP connections too.</summary>
    public Option<bool> TcpEstablished { get; } = new("--tcp-established")
    {
        Description = "Checkpoint established TCP connections too (CRIU --tcp-established), so connections to a service address " +
            "survive the live move (locked while frozen). Without it, listening sockets move and established connections are closed; clients reconnect.",
    };

    /// <summary>The grace period for stopping the workload.</summary>
    public Option<int> StopTimeout { get; } = ValueParsers.SecondsOption(
        "--stop-timeout", "How long the workload gets to end after SIGTERM before SIGKILL, when it is stopped (restart mode, undo).",
        WorkloadStopTimeout.MinSeconds, WorkloadStopTimeout.MaxSeconds, WorkloadStopTimeout.DefaultSeconds);

    /// <summary>Cutover hooks.</summary>
    public Option<string[]> Hooks { get; } = new("--hook")
    {
        Description = "A command run around the switch, as STAGE:WHERE:COMMAND: STAGE before-freeze (a failure cancels the switch) or " +
            "after-commit; WHERE controller, source or destination; COMMAND run by 'sh -c' there, with the migration's facts in MT_* " +
            "environment variables. Repeatable.",
        HelpName = "stage:where:command",
        Arity = ArgumentArity.ZeroOrMore,
        Validators =
        {
            result =>
            {
                foreach (var token in result.Tokens)
                {
                    if (ParseHook(token.Value, out _) is { } error)
                    {
                        result.AddError("--hook: " + error);
                    }
                }
            },
        },
    };

    /// <summary>How long each hook may run.</summary>
    public Option<int> HookTimeout { get; } = ValueParsers.SecondsOption(
        "--hook-timeout", "How long each hook may run before it is ended and counted as failed.", 1, CutoverHook.MaxTimeoutSeconds, 60);

    /// <summary>Move a workload whose policy is manual.</summary>
    public Option<bool> Force { get; } = new("--force")
    {
        Description = "Move the workload even when its migration policy is manual.",
    };

    /// <summary>Adds the options to a command.</summary>
    /// <param name="command">The command.</param>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Add(Direct);
        command.Add(Compression.Option);
        command.Add(BandwidthLimit);
        command.Add(ReleaseSourceBeforeRestore);
        command.Add(TcpEstablished);
        command.Add(MemoryTransfer.Option);
        command.Add(StopTimeout);
        command.Add(Hooks);
        command.Add(HookTimeout);
        command.Add(Force);
    }

    /// <summary>The request for <paramref name="workload"/> from the command line.</summary>
    /// <param name="result">The parsed command line.</param>
    /// <param name="workload">The workload.</param>
    /// <param name="source">The host it runs on.</param>
    /// <param name="destination">The host it moves to.</param>
    /// <returns>The request.</returns>
    public MigrationRequest Request(ParseResult result, Engine.Workloads.WorkloadName workload, string source, string destination)
    {
        ArgumentNullException.ThrowIfNull(result);
        var timeout = result.GetValue(HookTimeout);
        var hooks = (result.GetValue(Hooks) ?? []).Select(text =>
        {
            ParseHook(text, out var hook);
            return new CutoverHook(hook.Stage, hook.Location, ["sh", "-c", hook.Command], timeout);
        });
        return new MigrationRequest(workload, source, destination)
        {
            Settings = new MigrationSettings
            {
                Path = result.GetValue(Direct) ? TransferPath.Direct : TransferPath.Relay,
                Compression = Compression.Read(result),
                BandwidthLimit = result.GetValue(BandwidthLimit),
                ReleaseSourceBeforeRestore = result.GetValue(ReleaseSourceBeforeRestore),
                StopTimeoutSeconds = result.GetValue(StopTimeout),
                Checkpoint = CriuOptions.Default with { TcpEstablished = result.GetValue(TcpEstablished) },
                MemoryTransfer = MemoryTransfer.Read(result),
                Hooks = [.. hooks],
            },
            Force = result.GetValue(Force),
        };
    }

    /// <summary>Splits <c>STAGE:WHERE:COMMAND</c>.</summary>
    /// <param name="text">The option's value.</param>
    /// <param name="hook">The parts, when valid.</param>
    /// <returns>Why it is not valid, or <see langword="null"/>.</returns>
    public static string? ParseHook(string text, out (CutoverStage Stage, CutoverHookLocation Location, string Command) hook)
    {
        ArgumentNullException.ThrowIfNull(text);
        hook = default;
        var parts = text.Split(':', 3);
        const string Form = "give STAGE:WHERE:COMMAND, such as before-freeze:controller:'./drain.sh web'";
        if (parts.Length != 3 || parts[2].Trim().Length == 0)
        {
            return $"'{text}' is not a hook; {Form}.";
        }

        var stage = Stages.FirstOrDefault(s => s.Word == parts[0]);
        if (stage.Word is null)
        {
            return $"'{parts[0]}' is not a stage; the stages are before-freeze and after-commit ({Form}).";
        }

        var location = Locations.FirstOrDefault(l => l.Word == parts[1]);
        if (location.Word is null)
        {
            return $"'{parts[1]}' is not a place to run a hook; give controller, source or destination ({Form}).";
        }

        if (parts[2].Contains('\0', StringComparison.Ordinal))
        {
            return "a hook's command must not hold NUL characters.";
        }

        hook = (stage.Stage, location.Location, parts[2]);
        return null;
    }
}
