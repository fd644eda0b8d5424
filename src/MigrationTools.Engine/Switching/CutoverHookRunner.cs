using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Hooks;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Switching;

/// <summary>
/// Runs a migration's <see cref="CutoverHook"/>s of one stage, in order, stopping at the first failure. Each hook
/// sees MIGRATIONTOOLS_MIGRATION_ID, MIGRATIONTOOLS_WORKLOAD, MIGRATIONTOOLS_SOURCE, MIGRATIONTOOLS_DESTINATION,
/// MIGRATIONTOOLS_CHECKPOINT_MODE and MIGRATIONTOOLS_STAGE in its environment.
/// </summary>
internal static class CutoverHookRunner
{
    /// <summary>The environment a hook of <paramref name="stage"/> sees for <paramref name="record"/>.</summary>
    /// <param name="record">The migration.</param>
    /// <param name="stage">The stage.</param>
    /// <returns>Name and value pairs, in a fixed order.</returns>
    public static IReadOnlyList<KeyValuePair<string, string>> Environment(MigrationRecord record, CutoverStage stage)
    {
        if (record is null)
        {
            throw new ArgumentNullException(nameof(record));
        }

        return new[]
        {
            new KeyValuePair<string, string>("MIGRATIONTOOLS_MIGRATION_ID", record.Id.Value),
            new KeyValuePair<string, string>("MIGRATIONTOOLS_WORKLOAD", record.Workload.Value),
            new KeyValuePair<string, string>("MIGRATIONTOOLS_SOURCE", record.Source),
            new KeyValuePair<string, string>("MIGRATIONTOOLS_DESTINATION", record.Destination),
            new KeyValuePair<string, string>("MIGRATIONTOOLS_CHECKPOINT_MODE", record.CheckpointMode.ToString().ToLowerInvariant()),
            new KeyValuePair<string, string>("MIGRATIONTOOLS_STAGE", stage == CutoverStage.BeforeFreeze ? "before-freeze" : "after-commit"),
        };
    }

    /// <summary>Runs the hooks of <paramref name="stage"/> in order until one fails.</summary>
    /// <param name="record">The migration; its settings hold the hooks.</param>
    /// <param name="stage">The stage.</param>
    /// <param name="source">A connection to the source host.</param>
    /// <param name="destination">A connection to the destination host.</param>
    /// <param name="cancellationToken">Stops the running hook.</param>
    /// <returns>The outcome of every hook that ran; only the last can have failed.</returns>
    public static async Task<IReadOnlyList<HookOutcome>> RunAsync(
        MigrationRecord record, CutoverStage stage, SshConnection source, SshConnection destination, CancellationToken cancellationToken = default)
    {
        if (record is null)
        {
            throw new ArgumentNullException(nameof(record));
        }

        var outcomes = new List<HookOutcome>();
        var environment = Environment(record, stage);
        foreach (var hook in record.Settings.Hooks.Where(h => h.Stage == stage))
        {
            var outcome = hook.Location switch
            {
                CutoverHookLocation.Controller => await RunLocallyAsync(hook, environment, cancellationToken).ConfigureAwait(false),
                CutoverHookLocation.Source => await RunRemotelyAsync(hook, environment, source, cancellationToken).ConfigureAwait(false),
                _ => await RunRemotelyAsync(hook, environment, destination, cancellationToken).ConfigureAwait(false),
            };
            outcomes.Add(outcome);
            if (!outcome.Succeeded)
            {
                break;
            }
        }

        return outcomes;
    }

    /// <summary>The failed hook among <paramref name="outcomes"/> (only the last can have failed), or <see langword="null"/>.</summary>
    /// <param name="outcomes">What <see cref="RunAsync"/> returned.</param>
    /// <returns>The failure, if any.</returns>
    public static HookOutcome? FailureOf(IReadOnlyList<HookOutcome> outcomes) =>
        outcomes is { Count: > 0 } && !outcomes[outcomes.Count - 1].Succeeded ? outcomes[outcomes.Count - 1] : null;

    internal static RemoteCommand RemoteCommandFor(CutoverHook hook, IEnumerable<KeyValuePair<string, string>> environment)
    {
        var argv = new List<string> { "env" };
        argv.AddRange(environment.Select(pair => pair.Key + "=" + pair.Value));
        argv.AddRange(new[] { "timeout", "-k", "5", hook.TimeoutSeconds.ToString(CultureInfo.InvariantCulture) });
        argv.AddRange(hook.Command);
        return RemoteCommand.Create(argv);
    }

    private static async Task<HookOutcome> RunRemotelyAsync(
        CutoverHook hook, IEnumerable<KeyValuePair<string, string>> environment, SshConnection host, CancellationToken cancellationToken)
    {
        try
        {
            var result = await host.ExecuteAsync(RemoteCommandFor(hook, environment), cancellationToken).ConfigureAwait(false);
            var message = RemoteException.Excerpt(result.StandardError, 500);
            return result.ExitCode == 124
                ? new HookOutcome(hook, false, -1, $"it did not finish within {hook.TimeoutSeconds} s on {host.Destination}")
                : new HookOutcome(hook, result.Succeeded, result.ExitCode, message);
        }
        catch (RemoteException e)
        {
            return new HookOutcome(hook, false, -1, e.Message);
        }
    }

    private static async Task<HookOutcome> RunLocallyAsync(
        CutoverHook hook, IEnumerable<KeyValuePair<string, string>> environment, CancellationToken cancellationToken)
    {
        var command = new LocalCommand(hook.Command[0], hook.Command.Skip(1).ToArray())
        {
            Environment = environment.ToDictionary(pair => pair.Key, pair => (string?)pair.Value, StringComparer.Ordinal),
        };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(hook.TimeoutSeconds));
        try
        {
            var result = await ProcessRunner.RunAsync(command, cancellationToken: timeout.Token).ConfigureAwait(false);
            return new HookOutcome(hook, result.ExitCode == 0, result.ExitCode, RemoteException.Excerpt(result.StandardError, 500));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new HookOutcome(hook, false, -1, $"it did not finish within {hook.TimeoutSeconds} s");
        }
        catch (InvalidOperationException e)
        {
            return new HookOutcome(hook, false, -1, e.Message);
        }
    }
}
