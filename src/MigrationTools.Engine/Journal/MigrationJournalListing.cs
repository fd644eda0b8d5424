using System;
using System.Collections.Generic;
using System.Linq;
using MigrationTools.Engine.Migrations;

namespace MigrationTools.Engine.Journal;

/// <summary>What <see cref="MigrationJournal.List"/> found: the readable records and one error per unreadable file.</summary>
public sealed record MigrationJournalListing
{
    /// <summary>Creates a listing.</summary>
    /// <param name="records">The readable records.</param>
    /// <param name="errors">The unreadable files' errors.</param>
    public MigrationJournalListing(IEnumerable<MigrationRecord> records, IEnumerable<JournalCorruptException> errors)
    {
        Records = (records ?? throw new ArgumentNullException(nameof(records))).ToArray();
        Errors = (errors ?? throw new ArgumentNullException(nameof(errors))).ToArray();
    }

    /// <summary>The readable records, ordered by id.</summary>
    public IReadOnlyList<MigrationRecord> Records { get; }

    /// <summary>One error per file that could not be read; those files were left as they are.</summary>
    public IReadOnlyList<JournalCorruptException> Errors { get; }
}
