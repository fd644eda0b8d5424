using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MigrationTools.Engine.Migrations;

namespace MigrationTools.Completers;

/// <summary>One completion for -Id.</summary>
/// <param name="Text">The migration's id, which replaces the word being completed.</param>
/// <param name="ToolTip">What the host shows beside it: the workload, its hosts, its state and when it began.</param>
internal sealed record MigrationIdCandidate(string Text, string ToolTip);

/// <summary>Which migrations of the journal complete a partly typed -Id, for the command being typed.</summary>
internal static class MigrationIdCompletion
{
    // The states in which each phase cmdlet can act on a migration; other commands are offered every migration.
    private static readonly Dictionary<string, MigrationState[]> StatesOfCommand = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Sync-Migration"] = new[] { MigrationState.Begun, MigrationState.Synced },
        ["Switch-Migration"] = new[] { MigrationState.Begun, MigrationState.Synced, MigrationState.Switching },
        ["Complete-Migration"] = new[] { MigrationState.Switched },
        ["Undo-Migration"] = new[] { MigrationState.Switching, MigrationState.Switched },
        ["Stop-Migration"] = new[] { MigrationState.Created, MigrationState.Begun, MigrationState.Synced },
    };

    /// <summary>
    /// The migrations whose id, or whose workload's name, starts with <paramref name="wordToComplete"/> (without regard
    /// to case; quotes are ignored), limited to those <paramref name="commandName"/> can act on, newest first.
    /// </summary>
    /// <param name="records">The journal's records.</param>
    /// <param name="commandName">The command being typed, such as <c>Switch-Migration</c>.</param>
    /// <param name="wordToComplete">What has been typed so far.</param>
    /// <returns>The candidates.</returns>
    public static IReadOnlyList<MigrationIdCandidate> Complete(IEnumerable<MigrationRecord> records, string? commandName, string? wordToComplete)
    {
        if (records is null)
        {
            throw new ArgumentNullException(nameof(records));
        }

        var word = (wordToComplete ?? "").Trim('\'', '"');
        var states = commandName is not null && StatesOfCommand.TryGetValue(commandName, out var accepted) ? accepted : null;
        return records
            .Where(r => states is null || states.Contains(r.State))
            .Where(r => r.Id.Value.StartsWith(word, StringComparison.OrdinalIgnoreCase) || r.Workload.Value.StartsWith(word, StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(r => r.CreatedAt)
            .ThenBy(r => r.Id.Value, StringComparer.Ordinal)
            .Select(r => new MigrationIdCandidate(r.Id.Value, ToolTip(r)))
            .ToArray();
    }

    private static string ToolTip(MigrationRecord record)
    {
        var syncs = record.SyncCount == 1 ? "1 sync" : record.SyncCount.ToString(CultureInfo.InvariantCulture) + " syncs";
        var started = record.CreatedAt.LocalDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        return $"{record.Workload} from {record.Source} to {record.Destination}: {record.State} ({syncs}), begun {started}";
    }
}
