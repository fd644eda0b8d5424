using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using MigrationTools.Engine.Migrations;

namespace MigrationTools.Infrastructure;

/// <summary>
/// Get-Migration's filters: -Id, -Workload (patterns) and -State, all of which a record must pass. An id the journal
/// does not hold is an error the cmdlet reports; an id it holds whose migration the other filters leave out is not, nor
/// is a workload that has no migration.
/// </summary>
internal sealed class MigrationFilter
{
    private readonly HashSet<MigrationId>? _ids;
    private readonly WorkloadNameFilter _workloads;
    private readonly HashSet<MigrationState>? _states;
    private readonly List<MigrationId> _order;
    private readonly HashSet<MigrationId> _found = new();

    /// <summary>Creates the filter.</summary>
    /// <param name="ids">The ids to list; <see langword="null"/> for any (an empty list matches none).</param>
    /// <param name="workloads">Workload name patterns; none (or <see langword="null"/>) for any.</param>
    /// <param name="states">The states to list; none (or <see langword="null"/>) for any.</param>
    public MigrationFilter(IEnumerable<MigrationId>? ids, IEnumerable<NamePattern>? workloads, IEnumerable<MigrationState>? states)
    {
        _order = ids?.Distinct().ToList() ?? new List<MigrationId>();
        _ids = ids is null ? null : new HashSet<MigrationId>(_order);
        _workloads = new WorkloadNameFilter(workloads);
        var wanted = states?.ToArray() ?? Array.Empty<MigrationState>();
        _states = wanted.Length == 0 ? null : new HashSet<MigrationState>(wanted);
    }

    /// <summary>The ids given that no record checked so far carries, in the order given.</summary>
    public IReadOnlyList<MigrationId> UnmatchedIds => _order.Where(id => !_found.Contains(id)).ToArray();

    /// <summary>True when <paramref name="record"/> is to be listed; remembers the ids it has seen.</summary>
    /// <param name="record">A record of the journal.</param>
    /// <returns>Whether to list it.</returns>
    public bool IsMatch(MigrationRecord record)
    {
        if (record is null)
        {
            throw new ArgumentNullException(nameof(record));
        }

        if (_ids is not null)
        {
            if (!_ids.Contains(record.Id))
            {
                return false;
            }

            _found.Add(record.Id);
        }

        return _workloads.IsMatch(record.Workload.Value) && (_states is null || _states.Contains(record.State));
    }

    /// <summary>
    /// True when the journal file that could not be read is to be reported: there is no -Id, or its name is one of the
    /// ids (which then counts as found: the error about the file is the one to report). Its workload and state are
    /// unknown, so the other filters cannot leave it out.
    /// </summary>
    /// <param name="file">The file's path, such as <c>~/.local/share/migrationtools/journal/m-0123456789ab.json</c>.</param>
    /// <returns>Whether to report it.</returns>
    public bool ConcernsFile(string? file)
    {
        if (_ids is null)
        {
            return true;
        }

        if (file is null || !MigrationId.TryParse(Path.GetFileNameWithoutExtension(file), out var id) || !_ids.Contains(id!))
        {
            return false;
        }

        _found.Add(id!);
        return true;
    }

    /// <summary>The records to list, oldest first (by when they were created, then by id).</summary>
    /// <param name="records">The journal's records.</param>
    /// <returns>Those that pass the filters.</returns>
    public IReadOnlyList<MigrationRecord> Select(IEnumerable<MigrationRecord> records) =>
        (records ?? throw new ArgumentNullException(nameof(records)))
            .Where(IsMatch)
            .OrderBy(r => r.CreatedAt)
            .ThenBy(r => r.Id.Value, StringComparer.Ordinal)
            .ToArray();
}
