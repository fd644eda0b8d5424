using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Completers;
using MigrationTools.Engine.Migrations;
using MigrationTools.Infrastructure;

namespace MigrationTools.Commands;

/// <summary>
/// Lists the migrations this machine's journal records, oldest first, filtered by id, workload and state. Only the
/// journal is read; no host is asked. A journal file that cannot be read is reported and the rest is still listed.
/// </summary>
[Cmdlet(VerbsCommon.Get, "Migration")]
[OutputType(typeof(Migration))]
public sealed class GetMigrationCommand : AsyncCmdlet
{
    /// <summary>The migrations to list, by id.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(MigrationIdCompleter))]
    public string[]? Id { get; set; }

    /// <summary>The migrations of these workloads; wildcards are allowed.</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string[]? Workload { get; set; }

    /// <summary>The migrations in these states.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public MigrationState[]? State { get; set; }

    /// <summary>The journal directory; the default journal when not given.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? JournalPath { get; set; }

    /// <inheritdoc/>
    protected override Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        try
        {
            List();
        }
        catch (Exception error) when (IsReportable(error, cancellationToken))
        {
            WriteError(error, null);
        }

        return Task.CompletedTask;
    }

    private void List()
    {
        var given = !string.IsNullOrEmpty(JournalPath);
        var directory = MigrationJournalLocation.Resolve(given ? GetUnresolvedProviderPathFromPSPath(JournalPath) : null);
        var filter = new MigrationFilter(Ids(), Workload?.Select(NamePattern.PowerShell), State);

        var journal = MigrationJournalLocation.OpenExisting(directory);
        if (journal is null)
        {
            // No journal yet: nothing was ever migrated from this machine with it.
            if (given)
            {
                throw MigrationJournalLocation.Missing(directory);
            }
        }
        else
        {
            var listing = MigrationJournalLocation.List(journal);
            foreach (var record in filter.Select(listing.Records))
            {
                WriteObject(new Migration(record, directory));
            }

            foreach (var error in listing.Errors.Where(e => filter.ConcernsFile(e.File)))
            {
                WriteError(new ErrorRecord(error, ErrorIds.JournalCorrupt, ErrorCategory.InvalidData, error.File)
                {
                    ErrorDetails = new ErrorDetails(error.Message)
                    {
                        RecommendedAction = "Move the file out of the journal directory once you know what it held; the other migrations are listed.",
                    },
                });
            }
        }

        foreach (var id in filter.UnmatchedIds)
        {
            WriteError(new ErrorRecord(
                new ItemNotFoundException($"There is no migration {id} in the journal {directory}. Get-Migration without -Id lists the migrations there."),
                ErrorIds.MigrationNotFound,
                ErrorCategory.ObjectNotFound,
                id.Value));
        }
    }

    /// <summary>The valid ids of -Id, each invalid one reported; <see langword="null"/> when -Id was not given.</summary>
    private List<MigrationId>? Ids()
    {
        if (Id is null)
        {
            return null;
        }

        var ids = new List<MigrationId>();
        foreach (var text in Id)
        {
            try
            {
                ids.Add(InputValidation.MigrationId(text));
            }
            catch (InputException error)
            {
                WriteError(error, null);
            }
        }

        return ids;
    }
}
