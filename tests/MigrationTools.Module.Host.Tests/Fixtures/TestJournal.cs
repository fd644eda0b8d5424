using System.Collections;
using MigrationTools.Module.Host.Tests.Hosting;

namespace MigrationTools.Module.Host.Tests.Fixtures;

/// <summary>
/// A journal directory of the test's own, with records made by the engine's own types (loaded with the module) and
/// moved through its state machine, as its phases would leave them; no host is needed.
/// </summary>
internal sealed class TestJournal : IDisposable
{
    // The records' settings are init-only properties; PowerShell sets them through reflection as any property.
    private const string AddScript = """
        param($Directory, $Id, $Workload, $Source, $Destination, $States, $Direct, $Compression, $BandwidthLimit, $ReleaseSourceBeforeRestore, $ServiceAddresses, $MemoryTransfer)
        $ErrorActionPreference = 'Stop'
        $journal = [MigrationTools.Engine.Journal.MigrationJournal]::new($Directory)
        $created = [datetimeoffset]::new(2026, 3, 1, 10, 0, 0, [timespan]::Zero).AddMinutes($journal.List().Records.Count)
        $record = [MigrationTools.Engine.Migrations.MigrationRecord]::new(
            [MigrationTools.Engine.Migrations.MigrationId]::Parse($Id), [MigrationTools.Engine.Workloads.WorkloadName]::Parse($Workload),
            $Source, $Destination, [MigrationTools.Engine.Workloads.CheckpointMode]::Criu, $created)
        $settings = [MigrationTools.Engine.Migrations.MigrationSettings]::new()
        $type = $settings.GetType()
        $type.GetProperty('Path').SetValue($settings, [MigrationTools.Engine.Transfer.TransferPath]$(if ($Direct) { 'Direct' } else { 'Relay' }))
        $type.GetProperty('Compression').SetValue($settings, [MigrationTools.Engine.Replication.StreamCompression]$Compression)
        if ($BandwidthLimit) { $type.GetProperty('BandwidthLimit').SetValue($settings, [MigrationTools.Engine.Transfer.BandwidthLimit]::Parse($BandwidthLimit)) }
        $type.GetProperty('ReleaseSourceBeforeRestore').SetValue($settings, [bool]$ReleaseSourceBeforeRestore)
        $type.GetProperty('MemoryTransfer').SetValue($settings, [MigrationTools.Engine.Criu.MemoryTransfer]$MemoryTransfer)
        $record.GetType().GetProperty('Settings').SetValue($record, $settings)
        $addresses = [MigrationTools.Engine.Network.ServiceAddress[]]@($ServiceAddresses | ForEach-Object { [MigrationTools.Engine.Network.ServiceAddress]::Parse($_) })
        $record.GetType().GetProperty('ServiceAddresses').SetValue($record, $addresses)
        $record = $journal.Create($record)
        $phaseOf = @{ Begun = 'Begin'; Synced = 'Sync'; Switching = 'Switch'; Switched = 'Switch'; Aborted = 'Abort'; Completed = 'Complete'; RolledBack = 'Undo' }
        foreach ($state in $States) {
            $end = if ($state -eq 'Switching') { $null } else { $record.UpdatedAt.AddSeconds(30) }
            $phase = [MigrationTools.Engine.Migrations.PhaseRecord]::new($phaseOf[$state], $record.UpdatedAt, $end, "to $state", 1024)
            $record = $journal.Save([MigrationTools.Engine.Migrations.MigrationStateMachine]::Move($record, $state, $phase))
        }
        """;

    private readonly ModuleSession _session;

    public TestJournal(ModuleSession session)
    {
        _session = session;
        Directory = Path.Combine(Path.GetTempPath(), "mt-host-journal-" + Guid.NewGuid().ToString("N")[..12]);
    }

    public string Directory { get; }

    /// <summary>Adds a migration of <paramref name="workload"/> from h1 to h2 and moves it through <paramref name="states"/>.</summary>
    public void Add(string id, string workload, params string[] states) => Add(id, workload, "h1", "h2", states);

    public void Add(string id, string workload, string source, string destination, string[] states, bool direct = false,
        string compression = "None", string? bandwidthLimit = null, bool releaseSourceBeforeRestore = false, string[]? serviceAddresses = null,
        string memoryTransfer = "Auto")
    {
        var result = _session.Script(AddScript, new Hashtable
        {
            ["Directory"] = Directory,
            ["Id"] = id,
            ["Workload"] = workload,
            ["Source"] = source,
            ["Destination"] = destination,
            ["States"] = states,
            ["Direct"] = direct,
            ["Compression"] = compression,
            ["BandwidthLimit"] = bandwidthLimit,
            ["ReleaseSourceBeforeRestore"] = releaseSourceBeforeRestore,
            ["ServiceAddresses"] = serviceAddresses ?? [],
            ["MemoryTransfer"] = memoryTransfer,
        });
        if (result.AllErrors.Count > 0)
        {
            throw new InvalidOperationException($"Recording {id}: {string.Join("; ", result.AllErrors)}");
        }
    }

    /// <summary>Every file of the journal with its bytes, to show that a command changed nothing.</summary>
    public IReadOnlyDictionary<string, string> Snapshot() =>
        System.IO.Directory.Exists(Directory)
            ? System.IO.Directory.GetFiles(Directory).Order(StringComparer.Ordinal).ToDictionary(f => Path.GetFileName(f), f => File.ReadAllText(f))
            : new Dictionary<string, string>();

    /// <summary>Writes a file under the id's name that is not a migration record.</summary>
    public string Corrupt(string id)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var file = Path.Combine(Directory, id + ".json");
        File.WriteAllText(file, "{ not json");
        return file;
    }

    public void Dispose()
    {
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
