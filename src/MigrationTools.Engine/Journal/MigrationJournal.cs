using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Engine.Journal;

/// <summary>
/// The controller's store of migration records: one JSON file, <c>&lt;id&gt;.json</c>, per migration in a private
/// directory. Every write goes to a temporary file that is flushed to disk and then renamed into place, so a crash
/// leaves either the old record or the new one, never half of one. Writers are serialised by a lock file and
/// checked against the version they read, so two controllers cannot silently overwrite each other.
/// </summary>
public sealed class MigrationJournal
{
    /// <summary>The environment variable that overrides <see cref="DefaultDirectory"/>.</summary>
    public const string DirectoryVariable = "MIGRATIONTOOLS_JOURNAL";

    private const string Extension = ".json";

    /// <summary>Opens the journal in <paramref name="directory"/>, creating it with owner-only access if it is missing.</summary>
    /// <param name="directory">The directory.</param>
    /// <exception cref="IOException">The directory cannot be created.</exception>
    public MigrationJournal(string directory)
    {
        if (string.IsNullOrWhiteSpace(directory))
        {
            throw new ArgumentException("The journal directory must not be empty.", nameof(directory));
        }

        Directory = Path.GetFullPath(directory);
        JournalFiles.CreatePrivateDirectory(Directory);
    }

    /// <summary>The journal's directory.</summary>
    public string Directory { get; }

    /// <summary>
    /// The journal directory to use when none is given: <c>$MIGRATIONTOOLS_JOURNAL</c>, else
    /// <c>$XDG_DATA_HOME/migrationtools/journal</c>, else <c>~/.local/share/migrationtools/journal</c>; on Windows
    /// <c>%LOCALAPPDATA%\MigrationTools\journal</c>.
    /// </summary>
    /// <returns>The directory's path.</returns>
    public static string DefaultDirectory()
    {
        var configured = Environment.GetEnvironmentVariable(DirectoryVariable);
        if (!string.IsNullOrEmpty(configured))
        {
            return configured!;
        }

        if (JournalFiles.IsWindows)
        {
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "MigrationTools", "journal");
        }

        // The XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored.
        var data = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        if (string.IsNullOrEmpty(data) || !Path.IsPathRooted(data))
        {
            var home = Environment.GetEnvironmentVariable("HOME");
            data = Path.Combine(string.IsNullOrEmpty(home) ? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) : home!, ".local", "share");
        }

        return Path.Combine(data!, "migrationtools", "journal");
    }

    /// <summary>The file that holds a migration's record.</summary>
    /// <param name="id">The migration's id.</param>
    /// <returns>The path.</returns>
    public string PathOf(MigrationId id) =>
        Path.Combine(Directory, (id ?? throw new ArgumentNullException(nameof(id))).Value + Extension);

    /// <summary>Stores a new migration with <see cref="MigrationRecord.Version"/> 1.</summary>
    /// <param name="record">The record; its version is ignored.</param>
    /// <returns>The stored record.</returns>
    /// <exception cref="JournalConflictException">The id is taken, or the workload already has an active migration.</exception>
    /// <exception cref="JournalCorruptException">A journal file is unreadable, so whether the workload is free cannot be told.</exception>
    public MigrationRecord Create(MigrationRecord record)
    {
        if (record is null)
        {
            throw new ArgumentNullException(nameof(record));
        }

        using var held = JournalFiles.Lock(Directory);
        var target = PathOf(record.Id);
        if (File.Exists(target))
        {
            throw Taken(record.Id, null);
        }

        var listing = List();
        if (listing.Errors.Count > 0)
        {
            throw new JournalCorruptException(
                $"Cannot tell whether {record.Workload} is free: {listing.Errors.Count.ToString(CultureInfo.InvariantCulture)} journal file(s) are unreadable. {listing.Errors[0].Message}",
                listing.Errors[0]);
        }

        if (listing.Records.FirstOrDefault(r => r.Workload == record.Workload && !MigrationStateMachine.IsTerminal(r.State)) is { } active)
        {
            throw new JournalConflictException(
                $"Workload {record.Workload} already has an active migration, {active.Id} ({active.State}); finish, abort or recover it first.");
        }

        var stored = record with { Version = 1 };
        var temporary = WriteTemporary(stored);
        try
        {
            // The check above gives the clear message; this is the guarantee. link(2) and a non-overwriting move both
            // fail when the name exists and are atomic, so even a writer that bypasses the lock cannot replace this
            // record or see half of it.
            if (JournalFiles.IsWindows)
            {
                try
                {
                    File.Move(temporary, target);
                }
                catch (IOException e) when (File.Exists(target))
                {
                    throw Taken(record.Id, e);
                }
            }
            else if (JournalNative.link(UnixNative.PathBytes(temporary), UnixNative.PathBytes(target)) != 0)
            {
                var error = Marshal.GetLastWin32Error();
                throw error == JournalNative.EExist
                    ? Taken(record.Id, null)
                    : new IOException($"Could not create {target} (errno {error.ToString(CultureInfo.InvariantCulture)}).");
            }
        }
        finally
        {
            File.Delete(temporary);
        }

        JournalFiles.SyncDirectory(Directory);
        return stored;
    }

    /// <summary>Replaces a stored record, provided nobody changed it since <see cref="MigrationRecord.Version"/> was read.</summary>
    /// <param name="record">The new record.</param>
    /// <returns>The stored record, with its version one higher.</returns>
    /// <exception cref="JournalConflictException">The stored version differs, or the migration is not in the journal.</exception>
    /// <exception cref="JournalCorruptException">The stored file is unreadable; it is left as it is.</exception>
    public MigrationRecord Save(MigrationRecord record) =>
        Save(record ?? throw new ArgumentNullException(nameof(record)), record.Version);

    /// <summary>Replaces a stored record, provided its stored version is <paramref name="expectedVersion"/>.</summary>
    /// <param name="record">The new record.</param>
    /// <param name="expectedVersion">The version the caller last read.</param>
    /// <returns>The stored record, with version <paramref name="expectedVersion"/> + 1.</returns>
    /// <exception cref="JournalConflictException">The stored version differs, or the migration is not in the journal.</exception>
    /// <exception cref="JournalCorruptException">The stored file is unreadable; it is left as it is.</exception>
    public MigrationRecord Save(MigrationRecord record, int expectedVersion)
    {
        if (record is null)
        {
            throw new ArgumentNullException(nameof(record));
        }

        using var held = JournalFiles.Lock(Directory);
        var current = TryLoad(record.Id) ?? throw new JournalConflictException(
            $"Migration {record.Id} is not in the journal {Directory}; create it before saving it.");
        if (current.Version != expectedVersion)
        {
            throw new JournalConflictException(
                $"Migration {record.Id} was changed by someone else: it is at version {current.Version.ToString(CultureInfo.InvariantCulture)}, " +
                $"not {expectedVersion.ToString(CultureInfo.InvariantCulture)} as read. Load it again and decide from what it says now.");
        }

        var stored = record with { Version = expectedVersion + 1 };
        var target = PathOf(record.Id);
        var temporary = WriteTemporary(stored);
        try
        {
            if (JournalFiles.IsWindows)
            {
                File.Replace(temporary, target, null);
            }
            else if (JournalNative.rename(UnixNative.PathBytes(temporary), UnixNative.PathBytes(target)) != 0)
            {
                throw new IOException($"Could not replace {target} (errno {Marshal.GetLastWin32Error().ToString(CultureInfo.InvariantCulture)}).");
            }
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }

        JournalFiles.SyncDirectory(Directory);
        return stored;
    }

    /// <summary>
    /// Removes a record that is still Created at the version read: a begin refused before it changed any host leaves no
    /// record behind.
    /// </summary>
    /// <param name="record">The record as read.</param>
    /// <exception cref="JournalConflictException">It changed since it was read, is no longer Created, or is not in the journal.</exception>
    /// <exception cref="JournalCorruptException">The stored file is unreadable; it is left as it is.</exception>
    public void Discard(MigrationRecord record)
    {
        if (record is null)
        {
            throw new ArgumentNullException(nameof(record));
        }

        using var held = JournalFiles.Lock(Directory);
        var current = TryLoad(record.Id) ?? throw new JournalConflictException($"Migration {record.Id} is not in the journal {Directory}.");
        if (current.Version != record.Version || current.State != MigrationState.Created)
        {
            throw new JournalConflictException(
                $"Migration {record.Id} is {current.State} at version {current.Version.ToString(CultureInfo.InvariantCulture)}, so it is kept: " +
                "only a record still Created as read is discarded.");
        }

        File.Delete(PathOf(record.Id));
        JournalFiles.SyncDirectory(Directory);
    }

    /// <summary>Reads a migration's record.</summary>
    /// <param name="id">The migration's id.</param>
    /// <returns>The record.</returns>
    /// <exception cref="FileNotFoundException">The migration is not in the journal.</exception>
    /// <exception cref="JournalCorruptException">The file is unreadable.</exception>
    public MigrationRecord Load(MigrationId id) =>
        TryLoad(id) ?? throw new FileNotFoundException($"Migration {id} is not in the journal {Directory}.", PathOf(id));

    /// <summary>Reads a migration's record, if it is in the journal.</summary>
    /// <param name="id">The migration's id.</param>
    /// <returns>The record, or <see langword="null"/> when there is no file for it.</returns>
    /// <exception cref="JournalCorruptException">The file is unreadable.</exception>
    public MigrationRecord? TryLoad(MigrationId id)
    {
        var path = PathOf(id);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }

        var record = MigrationRecordJson.Parse(bytes, path);
        return record.Id == id
            ? record
            : throw new JournalCorruptException(path, $"The file holds migration {record.Id}, not {id} as its name says.", null);
    }

    /// <summary>Reads every record; unreadable files are reported, not thrown, and left as they are.</summary>
    /// <returns>The records and the errors.</returns>
    public MigrationJournalListing List()
    {
        var records = new System.Collections.Generic.List<MigrationRecord>();
        var errors = new System.Collections.Generic.List<JournalCorruptException>();
        foreach (var path in System.IO.Directory.GetFiles(Directory, "*" + Extension).OrderBy(p => p, StringComparer.Ordinal))
        {
            var name = Path.GetFileName(path);
            if (!MigrationId.TryParse(name.Substring(0, name.Length - Extension.Length), out var id))
            {
                errors.Add(new JournalCorruptException(path, "The file name is not <migration id>.json.", null));
                continue;
            }

            try
            {
                if (TryLoad(id!) is { } record)
                {
                    records.Add(record);
                }
            }
            catch (JournalCorruptException e)
            {
                errors.Add(e);
            }
            catch (IOException e)
            {
                errors.Add(new JournalCorruptException(path, $"The file cannot be read: {e.Message}", e));
            }
            catch (UnauthorizedAccessException e)
            {
                errors.Add(new JournalCorruptException(path, $"The file cannot be read: {e.Message}", e));
            }
        }

        return new MigrationJournalListing(records, errors);
    }

    /// <summary>The workload's migration that is not yet over (at most one exists), including a failed one.</summary>
    /// <param name="workload">The workload.</param>
    /// <returns>The record, or <see langword="null"/> when the workload has no active migration among the readable files.</returns>
    public MigrationRecord? FindActive(WorkloadName workload)
    {
        if (workload is null)
        {
            throw new ArgumentNullException(nameof(workload));
        }

        return List().Records.FirstOrDefault(r => r.Workload == workload && !MigrationStateMachine.IsTerminal(r.State));
    }

    /// <summary>The directory that keeps a migration's CRIU logs beside its record: <c>&lt;id&gt;.logs</c>.</summary>
    /// <param name="id">The migration.</param>
    /// <returns>The path.</returns>
    public string LogDirectoryOf(MigrationId id) =>
        Path.Combine(Directory, (id ?? throw new ArgumentNullException(nameof(id))).Value + ".logs");

    /// <summary>
    /// Keeps a log beside the migration's record (owner-only, replacing an older copy of the same name), so that
    /// CRIU's account of a checkpoint or restore outlives the temporary image directories on the hosts.
    /// </summary>
    /// <param name="id">The migration.</param>
    /// <param name="name">The file name, such as <c>restore.log</c>: letters, digits, '.', '-' and '_' only.</param>
    /// <param name="text">The log.</param>
    /// <returns>The file written.</returns>
    public string SaveLog(MigrationId id, string name, string text)
    {
        if (string.IsNullOrEmpty(name) || name[0] == '.' || name.Any(c => !(char.IsLetterOrDigit(c) || c is '.' or '-' or '_')))
        {
            throw new ArgumentException($"A log's name is letters, digits, '.', '-' and '_', not starting with '.'; {SafeText.Show(name)} is not.", nameof(name));
        }

        var directory = LogDirectoryOf(id);
        JournalFiles.CreatePrivateDirectory(directory);
        var path = Path.Combine(directory, name);
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllText(temporary, text ?? "");
        JournalFiles.RestrictToOwner(temporary);
        File.Copy(temporary, path, overwrite: true);
        File.Delete(temporary);
        JournalFiles.RestrictToOwner(path);
        return path;
    }

    private static JournalConflictException Taken(MigrationId id, Exception? cause) =>
        new($"Migration {id} already exists in the journal; a new migration needs a new id.", cause);

    private string WriteTemporary(MigrationRecord record)
    {
        var bytes = MigrationRecordJson.Serialize(record);
        var path = Path.Combine(Directory, "." + record.Id.Value + "." + Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            JournalFiles.RestrictToOwner(path);
            stream.Write(bytes, 0, bytes.Length);
            stream.Flush(true);
        }
        catch
        {
            File.Delete(path);
            throw;
        }

        return path;
    }
}
