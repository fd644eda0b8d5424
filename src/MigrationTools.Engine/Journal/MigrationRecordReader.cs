using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Hooks;
using MigrationTools.Engine.Json;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Network;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Replication;
using MigrationTools.Engine.Transfer;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Engine.Journal;

/// <summary>
/// Walks the JSON of one migration record for <see cref="MigrationRecordJson.Parse"/>, failing at the first fault
/// with its JSON path.
/// </summary>
internal sealed class MigrationRecordReader : StrictJsonReader
{
    private static readonly string[] RecordProperties =
    {
        "id", "workload", "source", "destination", "state", "checkpointMode", "owner", "syncCount", "bytesTransferred",
        "downtime", "downtimeParts", "createdAt", "updatedAt", "lastError", "version", "phases", "datasets",
        "settings", "activePhase", "checkpointedProcess", "serviceAddresses", "return", "memoryMove",
        "leavingDestination",
    };

    private static readonly string[] SettingsProperties =
    {
        "path", "compression", "bandwidthLimit", "releaseSourceBeforeRestore", "checkpoint", "memoryTransfer", "stopTimeoutSeconds", "hooks",
    };

    private static readonly string[] CheckpointProperties = { "tcpEstablished", "fileLocks", "external" };

    private static readonly string[] HookProperties = { "stage", "location", "command", "timeoutSeconds" };

    private static readonly string[] ProcessProperties = { "pid", "startTime" };

    private static readonly string[] ReturnProperties = { "checkpointedProcess" };

    private static readonly string[] MemoryMoveProperties = { "method", "streamed", "lazyPagesAddress", "lazyPagesPort", "linkSource", "linkDestination", "preCopyPages" };

    private static readonly string[] PhaseProperties = { "phase", "start", "end", "outcome", "bytes" };

    private static readonly string[] DatasetProperties = { "source", "target", "commonSnapshot", "commonSnapshotGuid", "bytesTotal" };

    private static readonly string[] DowntimeProperties = { "dump", "finalDelta", "imageTransfer", "restore", "health", "memoryTransfer", "postCopy", "preCopy", "preCopyPages" };

    private readonly string _file;

    public MigrationRecordReader(string file) => _file = file;

    public MigrationRecord Record(JsonElement root)
    {
        var p = Root(root).Object(RecordProperties, "a migration record");
        var idText = p["id"].String();
        if (!MigrationId.TryParse(idText, out var id))
        {
            throw p["id"].Fault(MigrationId.Error(idText)!);
        }

        var workloadText = p["workload"].String();
        if (!WorkloadName.TryParse(workloadText, out var workload))
        {
            throw p["workload"].Fault($"{SafeText.Show(workloadText)} is not a workload name.");
        }

        var mode = p["checkpointMode"].String() switch
        {
            "criu" => CheckpointMode.Criu,
            "restart" => CheckpointMode.Restart,
            var other => throw p["checkpointMode"].Fault($"{SafeText.Show(other)} is not a checkpoint mode."),
        };

        var phases = new List<PhaseRecord>();
        foreach (var item in p["phases"].Items("phase records"))
        {
            phases.Add(Phase(item));
        }

        var datasets = new List<DatasetProgress>();
        foreach (var item in p["datasets"].Items("dataset progress records"))
        {
            datasets.Add(Dataset(item));
        }

        DowntimeParts? parts = null;
        if (p["downtimeParts"] is { IsNull: false } partsValue)
        {
            var d = partsValue.Object(DowntimeProperties, "downtime parts");
            parts = new DowntimeParts
            {
                Dump = Time(d["dump"]),
                FinalDelta = Time(d["finalDelta"]),
                ImageTransfer = Time(d["imageTransfer"]),
                Restore = Time(d["restore"]),
                Health = Time(d["health"]),
                MemoryTransfer = d.TryGet("memoryTransfer", out var method) && !method.IsNull ? Enum<MemoryTransfer>(method) : null,
                PostCopy = d.TryGet("postCopy", out var postCopy) ? Time(postCopy) : null,
                PreCopy = d.TryGet("preCopy", out var preCopy) ? Time(preCopy) : null,
                PreCopyPages = d.TryGet("preCopyPages", out var preCopyPages) ? PreCopyPages(preCopyPages) : null,
            };
        }

        string source = p["source"].String(), destination = p["destination"].String();
        if (source.Trim().Length == 0 || destination.Trim().Length == 0)
        {
            throw p.Fault("The source and destination hosts must not be empty.");
        }

        return new MigrationRecord(id!, workload!, source, destination, mode, Instant(p["createdAt"]))
        {
            State = Enum<MigrationState>(p["state"]),
            Owner = Enum<WorkloadOwner>(p["owner"]),
            SyncCount = (int)p["syncCount"].Integer(0, int.MaxValue),
            BytesTransferred = p["bytesTransferred"].Integer(0),
            Downtime = Time(p["downtime"]),
            DowntimeParts = parts,
            UpdatedAt = Instant(p["updatedAt"]),
            LastError = p["lastError"].NullableString(),
            Version = (int)p["version"].Integer(0, int.MaxValue),
            Phases = phases,
            Datasets = datasets,
            Settings = Settings(p["settings"]),
            ActivePhase = p["activePhase"].IsNull ? null : Enum<MigrationPhase>(p["activePhase"]),
            CheckpointedProcess = p["checkpointedProcess"] is { IsNull: false } process ? Process(process) : null,
            // Records written before service addresses existed have none.
            ServiceAddresses = p.TryGet("serviceAddresses", out var addresses) ? ServiceAddresses(addresses) : Array.Empty<ServiceAddress>(),
            Return = p.TryGet("return", out var returning) && !returning.IsNull ? Return(returning) : null,
            LeavingDestination = p.TryGet("leavingDestination", out var leaving) && leaving.Boolean(),
            MemoryMove = p.TryGet("memoryMove", out var memory) && !memory.IsNull ? MemoryMove(memory) : null,
        };
    }

    private static ServiceAddress[] ServiceAddresses(StrictJsonValue value)
    {
        var addresses = new List<ServiceAddress>();
        foreach (var item in value.Items("service addresses"))
        {
            if (!ServiceAddress.TryParse(item.String(), out var address, out var error))
            {
                throw item.Fault(error!);
            }

            addresses.Add(address!);
        }

        return addresses.ToArray();
    }

    internal override Exception Fault(string path, string fault) => new JournalCorruptException(_file, $"{path}: {fault}", null);

    internal override string Mismatch(JsonElement found, StrictJsonExpectation expected, string description) => expected switch
    {
        StrictJsonExpectation.Object or StrictJsonExpectation.Map =>
            $"Expected an object, found {found.ValueKind.ToString().ToLowerInvariant()}.",
        StrictJsonExpectation.Array => "Expected an array.",
        StrictJsonExpectation.String when found.ValueKind == JsonValueKind.Null => "Expected a string, found null.",
        StrictJsonExpectation.String => "Expected a string or null.",
        StrictJsonExpectation.Integer => "Expected a non-negative integer.",
        _ => "Expected true or false.",
    };

    internal override string UnknownProperty(string name, string description, IReadOnlyList<string> known) =>
        $"{SafeText.Show(name)} is not a property here.";

    internal override string RepeatedProperty(string name) => "The property is given twice.";

    private static MigrationSettings Settings(StrictJsonValue value)
    {
        var p = value.Object(SettingsProperties, "migration settings");
        var hooks = new List<CutoverHook>();
        foreach (var item in p["hooks"].Items("cutover hooks"))
        {
            hooks.Add(Hook(item));
        }

        BandwidthLimit? limit = null;
        if (!p["bandwidthLimit"].IsNull)
        {
            var rate = p["bandwidthLimit"].Integer(0, BandwidthLimit.MaximumBytesPerSecond);
            limit = rate >= BandwidthLimit.MinimumBytesPerSecond
                ? BandwidthLimit.FromBytesPerSecond(rate)
                : throw p["bandwidthLimit"].Fault($"A bandwidth limit is at least {BandwidthLimit.MinimumBytesPerSecond} bytes/s.");
        }

        return new MigrationSettings
        {
            Path = Enum<TransferPath>(p["path"]),
            Compression = Enum<StreamCompression>(p["compression"]),
            BandwidthLimit = limit,
            ReleaseSourceBeforeRestore = p["releaseSourceBeforeRestore"].Boolean(),
            Checkpoint = Checkpoint(p["checkpoint"]),
            // Records written before the choice existed moved memory by stop-and-copy, which Auto still falls back to.
            MemoryTransfer = p.TryGet("memoryTransfer", out var memory) ? Enum<MemoryTransfer>(memory) : MemoryTransfer.Auto,
            StopTimeoutSeconds = (int)p["stopTimeoutSeconds"].Integer(0, MigrationSettings.MaxStopTimeoutSeconds),
            Hooks = hooks,
        };
    }

    private static CriuOptions Checkpoint(StrictJsonValue value)
    {
        var p = value.Object(CheckpointProperties, "checkpoint options");
        var external = Strings(p["external"]);
        try
        {
            return new CriuOptions { TcpEstablished = p["tcpEstablished"].Boolean(), FileLocks = p["fileLocks"].Boolean(), External = external };
        }
        catch (ArgumentException e)
        {
            throw p["external"].Fault(e.Message);
        }
    }

    private static CutoverHook Hook(StrictJsonValue value)
    {
        var p = value.Object(HookProperties, "a cutover hook");
        var command = Strings(p["command"]);
        var timeout = (int)p["timeoutSeconds"].Integer(0, CutoverHook.MaxTimeoutSeconds);
        try
        {
            return new CutoverHook(Enum<CutoverStage>(p["stage"]), Enum<CutoverHookLocation>(p["location"]), command, timeout);
        }
        catch (ArgumentException e)
        {
            throw value.Fault(e.Message);
        }
    }

    private static WorkloadProcess Process(StrictJsonValue value)
    {
        var p = value.Object(ProcessProperties, "a checkpointed process");
        var pid = p["pid"].Integer(0, int.MaxValue);
        return pid > 0
            ? new WorkloadProcess((int)pid, p["startTime"].Integer(0))
            : throw p["pid"].Fault("A process id is a positive integer.");
    }

    private static WorkloadReturn Return(StrictJsonValue value)
    {
        var p = value.Object(ReturnProperties, "an undo keeping changes");
        return new WorkloadReturn(p["checkpointedProcess"] is { IsNull: false } process ? Process(process) : null);
    }

    private static MemoryMove MemoryMove(StrictJsonValue value)
    {
        var p = value.Object(MemoryMoveProperties, "a memory move");
        var method = Enum<MemoryTransfer>(p["method"]);
        if (method == MemoryTransfer.Auto)
        {
            throw p["method"].Fault("A memory move names the method it chose, never Auto.");
        }

        CriuPageServer? lazyPages = null;
        if (p.TryGet("lazyPagesAddress", out var address))
        {
            var text = address.String();
            if (!System.Net.IPAddress.TryParse(text, out var parsed))
            {
                throw address.Fault($"'{text}' is not an IP address.");
            }

            lazyPages = new CriuPageServer(parsed, (int)p["lazyPagesPort"].Integer(1, 65535));
        }

        // Records written before the link was kept have none: the dump then resolves it.
        Transfer.HostLinkAddresses? link = null;
        if (p.TryGet("linkSource", out var linkSource))
        {
            link = new Transfer.HostLinkAddresses(Address(linkSource), Address(p["linkDestination"]));
        }

        return new MemoryMove(method, p["streamed"].Boolean(), lazyPages, link, p.TryGet("preCopyPages", out var rounds) ? PreCopyPages(rounds) : null);
    }

    private static System.Net.IPAddress Address(StrictJsonValue value)
    {
        var text = value.String();
        return System.Net.IPAddress.TryParse(text, out var parsed) ? parsed : throw value.Fault($"'{text}' is not an IP address.");
    }

    /// <summary>The pages each pre-copy round wrote; -1 for a round CRIU did not count.</summary>
    private static long[] PreCopyPages(StrictJsonValue value)
    {
        var pages = new List<long>();
        foreach (var item in value.Items("page counts"))
        {
            pages.Add(item.Integer(-1));
        }

        return pages.ToArray();
    }

    private static PhaseRecord Phase(StrictJsonValue value)
    {
        var p = value.Object(PhaseProperties, "a phase record");
        DateTimeOffset? end = p["end"].IsNull ? null : Instant(p["end"]);
        return new PhaseRecord(
            Enum<MigrationPhase>(p["phase"]), Instant(p["start"]), end, p["outcome"].NullableString(), p["bytes"].Integer(0));
    }

    private static DatasetProgress Dataset(StrictJsonValue value)
    {
        var p = value.Object(DatasetProperties, "a dataset progress record");
        ulong? guid = null;
        var guidValue = p["commonSnapshotGuid"];
        if (!guidValue.IsNull)
        {
            guid = guidValue.Element.ValueKind == JsonValueKind.Number && guidValue.Element.TryGetUInt64(out var number)
                ? number
                : throw guidValue.Fault("Expected a snapshot GUID (an unsigned 64-bit integer) or null.");
        }

        return new DatasetProgress(
            DatasetName(p["source"]), DatasetName(p["target"]), p["commonSnapshot"].NullableString(), guid, p["bytesTotal"].Integer(0));
    }

    // A list of words whose fault names the list, not the item.
    private static List<string> Strings(StrictJsonValue value)
    {
        var words = new List<string>();
        foreach (var item in value.Items("strings"))
        {
            words.Add(item.Element.ValueKind == JsonValueKind.String ? item.Element.GetString()! : throw value.Fault("Expected an array of strings."));
        }

        return words;
    }

    private static DateTimeOffset Instant(StrictJsonValue value)
    {
        var text = value.String();
        return DateTimeOffset.TryParseExact(text, "O", CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant)
            ? instant
            : throw value.Fault($"{SafeText.Show(text)} is not a round-trip (ISO 8601) timestamp.");
    }

    private static TimeSpan? Time(StrictJsonValue value)
    {
        var text = value.NullableString();
        if (text is null)
        {
            return null;
        }

        return TimeSpan.TryParseExact(text, "c", CultureInfo.InvariantCulture, out var time) && time >= TimeSpan.Zero
            ? time
            : throw value.Fault($"{SafeText.Show(text)} is not a duration such as 00:00:01.5000000.");
    }

    private static T Enum<T>(StrictJsonValue value)
        where T : struct, Enum
    {
        var text = value.String();
        foreach (T known in System.Enum.GetValues(typeof(T)))
        {
            if (string.Equals(MigrationRecordJson.Word(known), text, StringComparison.Ordinal))
            {
                return known;
            }
        }

        throw value.Fault($"{SafeText.Show(text)} is not one of the known values.");
    }

    private static Zfs.DatasetName DatasetName(StrictJsonValue value)
    {
        var text = value.String();
        return Zfs.DatasetName.TryParse(text, out var dataset)
            ? dataset!
            : throw value.Fault($"{SafeText.Show(text)} is not a dataset name.");
    }
}
