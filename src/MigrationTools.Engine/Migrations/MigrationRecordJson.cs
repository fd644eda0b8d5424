using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Encodings.Web;
using System.Text.Json;
using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Replication;
using MigrationTools.Engine.Transfer;
using MigrationTools.Engine.Workloads;
using MigrationTools.Engine.Zfs;

namespace MigrationTools.Engine.Migrations;

/// <summary>
/// Reads and writes migration records as JSON. Reading is strict: a file that is truncated, not JSON, has unknown,
/// repeated or missing properties, or values of the wrong type is reported as a <see cref="JournalCorruptException"/>
/// naming the file, the JSON path and the fault.
/// </summary>
public static class MigrationRecordJson
{
    /// <summary>The largest record accepted, in bytes.</summary>
    public const int MaxBytes = 4 << 20;

    private static readonly string[] RecordProperties =
    {
        "id", "workload", "source", "destination", "state", "checkpointMode", "owner", "syncCount", "bytesTransferred",
        "downtime", "downtimeParts", "createdAt", "updatedAt", "lastError", "version", "phases", "datasets",
        "settings", "activePhase", "checkpointedProcess",
    };

    private static readonly string[] SettingsProperties =
    {
        "path", "compression", "bandwidthLimit", "releaseSourceBeforeRestore", "checkpoint", "stopTimeoutSeconds", "hooks",
    };

    private static readonly string[] CheckpointProperties = { "tcpEstablished", "fileLocks", "external" };

    private static readonly string[] HookProperties = { "stage", "location", "command", "timeoutSeconds" };

    private static readonly string[] ProcessProperties = { "pid", "startTime" };

    private static readonly string[] PhaseProperties = { "phase", "start", "end", "outcome", "bytes" };

    private static readonly string[] DatasetProperties = { "source", "target", "commonSnapshot", "commonSnapshotGuid", "bytesTotal" };

    private static readonly string[] DowntimeProperties = { "dump", "finalDelta", "imageTransfer", "restore", "health" };

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 16,
    };

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        // Read by people and programs, never embedded in HTML; keep host names and errors legible.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Writes a record as indented UTF-8 JSON ending with a line break.</summary>
    /// <param name="record">The record.</param>
    /// <returns>The bytes.</returns>
    public static byte[] Serialize(MigrationRecord record)
    {
        if (record is null)
        {
            throw new ArgumentNullException(nameof(record));
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("id", record.Id.Value);
            writer.WriteString("workload", record.Workload.Value);
            writer.WriteString("source", record.Source);
            writer.WriteString("destination", record.Destination);
            writer.WriteString("state", Word(record.State));
            writer.WriteString("checkpointMode", WorkloadManifestJson.Text(record.CheckpointMode));
            writer.WriteString("owner", Word(record.Owner));
            writer.WriteNumber("syncCount", record.SyncCount);
            writer.WriteNumber("bytesTransferred", record.BytesTransferred);
            WriteTime(writer, "downtime", record.Downtime);
            if (record.DowntimeParts is { } parts)
            {
                writer.WriteStartObject("downtimeParts");
                WriteTime(writer, "dump", parts.Dump);
                WriteTime(writer, "finalDelta", parts.FinalDelta);
                WriteTime(writer, "imageTransfer", parts.ImageTransfer);
                WriteTime(writer, "restore", parts.Restore);
                WriteTime(writer, "health", parts.Health);
                writer.WriteEndObject();
            }
            else
            {
                writer.WriteNull("downtimeParts");
            }

            WriteInstant(writer, "createdAt", record.CreatedAt);
            WriteInstant(writer, "updatedAt", record.UpdatedAt);
            writer.WriteString("lastError", record.LastError);
            writer.WriteNumber("version", record.Version);
            writer.WriteStartArray("phases");
            foreach (var phase in record.Phases)
            {
                writer.WriteStartObject();
                writer.WriteString("phase", Word(phase.Phase));
                WriteInstant(writer, "start", phase.Start);
                if (phase.End is { } end)
                {
                    WriteInstant(writer, "end", end);
                }
                else
                {
                    writer.WriteNull("end");
                }

                writer.WriteString("outcome", phase.Outcome);
                writer.WriteNumber("bytes", phase.Bytes);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartArray("datasets");
            foreach (var dataset in record.Datasets)
            {
                writer.WriteStartObject();
                writer.WriteString("source", dataset.Source.Value);
                writer.WriteString("target", dataset.Target.Value);
                writer.WriteString("commonSnapshot", dataset.CommonSnapshot);
                if (dataset.CommonSnapshotGuid is { } guid)
                {
                    writer.WriteNumber("commonSnapshotGuid", guid);
                }
                else
                {
                    writer.WriteNull("commonSnapshotGuid");
                }

                writer.WriteNumber("bytesTotal", dataset.BytesTotal);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            WriteSettings(writer, record.Settings);
            if (record.ActivePhase is { } active)
            {
                writer.WriteString("activePhase", Word(active));
            }
            else
            {
                writer.WriteNull("activePhase");
            }

            if (record.CheckpointedProcess is { } process)
            {
                writer.WriteStartObject("checkpointedProcess");
                writer.WriteNumber("pid", process.Pid);
                writer.WriteNumber("startTime", process.StartTime);
                writer.WriteEndObject();
            }
            else
            {
                writer.WriteNull("checkpointedProcess");
            }

            writer.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    /// <summary>Reads a record.</summary>
    /// <param name="utf8Json">The file's bytes.</param>
    /// <param name="file">The file, for messages.</param>
    /// <returns>The record.</returns>
    /// <exception cref="JournalCorruptException">The bytes are not a valid record; the message says where and why.</exception>
    public static MigrationRecord Parse(byte[] utf8Json, string file)
    {
        if (utf8Json is null)
        {
            throw new ArgumentNullException(nameof(utf8Json));
        }

        if (utf8Json.Length > MaxBytes)
        {
            throw new JournalCorruptException(file, $"The file is {utf8Json.Length} bytes long; a record is at most {MaxBytes}.", null);
        }

        if (utf8Json.Length == 0)
        {
            throw new JournalCorruptException(file, "The file is empty (a write was cut short).", null);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json, DocumentOptions);
        }
        catch (JsonException e)
        {
            var line = ((e.LineNumber ?? 0) + 1).ToString(CultureInfo.InvariantCulture);
            throw new JournalCorruptException(file, $"The file is not valid JSON (truncated or damaged) at line {line}.", e);
        }

        using (document)
        {
            return new Reader(file).Record(document.RootElement);
        }
    }

    private static void WriteSettings(Utf8JsonWriter writer, MigrationSettings settings)
    {
        writer.WriteStartObject("settings");
        writer.WriteString("path", Word(settings.Path));
        writer.WriteString("compression", Word(settings.Compression));
        if (settings.BandwidthLimit is { } limit)
        {
            writer.WriteNumber("bandwidthLimit", limit.BytesPerSecond);
        }
        else
        {
            writer.WriteNull("bandwidthLimit");
        }

        writer.WriteBoolean("releaseSourceBeforeRestore", settings.ReleaseSourceBeforeRestore);
        writer.WriteStartObject("checkpoint");
        writer.WriteBoolean("tcpEstablished", settings.Checkpoint.TcpEstablished);
        writer.WriteBoolean("fileLocks", settings.Checkpoint.FileLocks);
        writer.WriteStartArray("external");
        foreach (var value in settings.Checkpoint.External)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteNumber("stopTimeoutSeconds", settings.StopTimeoutSeconds);
        writer.WriteStartArray("hooks");
        foreach (var hook in settings.Hooks)
        {
            writer.WriteStartObject();
            writer.WriteString("stage", Word(hook.Stage));
            writer.WriteString("location", Word(hook.Location));
            writer.WriteStartArray("command");
            foreach (var word in hook.Command)
            {
                writer.WriteStringValue(word);
            }

            writer.WriteEndArray();
            writer.WriteNumber("timeoutSeconds", hook.TimeoutSeconds);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static string Word<T>(T value)
        where T : struct, Enum
    {
        var name = value.ToString();
        return char.ToLowerInvariant(name[0]) + name.Substring(1);
    }

    private static void WriteTime(Utf8JsonWriter writer, string name, TimeSpan? value)
    {
        if (value is { } time)
        {
            // The invariant "c" form round-trips to the tick and is readable.
            writer.WriteString(name, time.ToString("c", CultureInfo.InvariantCulture));
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void WriteInstant(Utf8JsonWriter writer, string name, DateTimeOffset value) =>
        writer.WriteString(name, value.ToString("O", CultureInfo.InvariantCulture));

    /// <summary>Walks one document, failing at the first fault with its path.</summary>
    private sealed class Reader
    {
        private readonly string _file;

        public Reader(string file) => _file = file;

        public MigrationRecord Record(JsonElement root)
        {
            var p = Properties(root, "$", RecordProperties);
            var idText = String(p, "$", "id");
            if (!MigrationId.TryParse(idText, out var id))
            {
                throw Fault("$.id", MigrationId.Error(idText)!);
            }

            var workloadText = String(p, "$", "workload");
            if (!WorkloadName.TryParse(workloadText, out var workload))
            {
                throw Fault("$.workload", $"{SafeText.Show(workloadText)} is not a workload name.");
            }

            var mode = String(p, "$", "checkpointMode") switch
            {
                "criu" => CheckpointMode.Criu,
                "restart" => CheckpointMode.Restart,
                var other => throw Fault("$.checkpointMode", $"{SafeText.Show(other)} is not a checkpoint mode."),
            };

            var phases = new List<PhaseRecord>();
            var i = 0;
            foreach (var item in Array(p, "$", "phases"))
            {
                phases.Add(Phase(item, "$.phases[" + i++.ToString(CultureInfo.InvariantCulture) + "]"));
            }

            var datasets = new List<DatasetProgress>();
            i = 0;
            foreach (var item in Array(p, "$", "datasets"))
            {
                datasets.Add(Dataset(item, "$.datasets[" + i++.ToString(CultureInfo.InvariantCulture) + "]"));
            }

            DowntimeParts? parts = null;
            if (Required(p, "$", "downtimeParts") is { ValueKind: not JsonValueKind.Null } partsElement)
            {
                var d = Properties(partsElement, "$.downtimeParts", DowntimeProperties);
                parts = new DowntimeParts
                {
                    Dump = Time(d, "$.downtimeParts", "dump"),
                    FinalDelta = Time(d, "$.downtimeParts", "finalDelta"),
                    ImageTransfer = Time(d, "$.downtimeParts", "imageTransfer"),
                    Restore = Time(d, "$.downtimeParts", "restore"),
                    Health = Time(d, "$.downtimeParts", "health"),
                };
            }

            string source = String(p, "$", "source"), destination = String(p, "$", "destination");
            if (source.Trim().Length == 0 || destination.Trim().Length == 0)
            {
                throw Fault("$", "The source and destination hosts must not be empty.");
            }

            return new MigrationRecord(id!, workload!, source, destination, mode, Instant(p, "$", "createdAt"))
            {
                State = Enum<MigrationState>(p, "$", "state"),
                Owner = Enum<WorkloadOwner>(p, "$", "owner"),
                SyncCount = (int)Integer(p, "$", "syncCount", int.MaxValue),
                BytesTransferred = Integer(p, "$", "bytesTransferred", long.MaxValue),
                Downtime = Time(p, "$", "downtime"),
                DowntimeParts = parts,
                UpdatedAt = Instant(p, "$", "updatedAt"),
                LastError = NullableString(p, "$", "lastError"),
                Version = (int)Integer(p, "$", "version", int.MaxValue),
                Phases = phases,
                Datasets = datasets,
                Settings = Settings(Required(p, "$", "settings"), "$.settings"),
                ActivePhase = Required(p, "$", "activePhase").ValueKind == JsonValueKind.Null
                    ? null
                    : Enum<MigrationPhase>(p, "$", "activePhase"),
                CheckpointedProcess = Required(p, "$", "checkpointedProcess") is { ValueKind: not JsonValueKind.Null } process
                    ? Process(process, "$.checkpointedProcess")
                    : null,
            };
        }

        private MigrationSettings Settings(JsonElement element, string path)
        {
            var p = Properties(element, path, SettingsProperties);
            var hooks = new List<CutoverHook>();
            var i = 0;
            foreach (var item in Array(p, path, "hooks"))
            {
                hooks.Add(Hook(item, path + ".hooks[" + i++.ToString(CultureInfo.InvariantCulture) + "]"));
            }

            BandwidthLimit? limit = null;
            if (Required(p, path, "bandwidthLimit").ValueKind != JsonValueKind.Null)
            {
                var rate = Integer(p, path, "bandwidthLimit", BandwidthLimit.MaximumBytesPerSecond);
                limit = rate >= BandwidthLimit.MinimumBytesPerSecond
                    ? BandwidthLimit.FromBytesPerSecond(rate)
                    : throw Fault(path + ".bandwidthLimit", $"A bandwidth limit is at least {BandwidthLimit.MinimumBytesPerSecond} bytes/s.");
            }

            return new MigrationSettings
            {
                Path = Enum<TransferPath>(p, path, "path"),
                Compression = Enum<StreamCompression>(p, path, "compression"),
                BandwidthLimit = limit,
                ReleaseSourceBeforeRestore = Boolean(p, path, "releaseSourceBeforeRestore"),
                Checkpoint = Checkpoint(Required(p, path, "checkpoint"), path + ".checkpoint"),
                StopTimeoutSeconds = (int)Integer(p, path, "stopTimeoutSeconds", MigrationSettings.MaxStopTimeoutSeconds),
                Hooks = hooks,
            };
        }

        private CriuOptions Checkpoint(JsonElement element, string path)
        {
            var p = Properties(element, path, CheckpointProperties);
            var external = new List<string>();
            foreach (var value in Array(p, path, "external"))
            {
                external.Add(value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Fault(path + ".external", "Expected an array of strings."));
            }

            try
            {
                return new CriuOptions { TcpEstablished = Boolean(p, path, "tcpEstablished"), FileLocks = Boolean(p, path, "fileLocks"), External = external };
            }
            catch (ArgumentException e)
            {
                throw Fault(path + ".external", e.Message);
            }
        }

        private CutoverHook Hook(JsonElement element, string path)
        {
            var p = Properties(element, path, HookProperties);
            var command = new List<string>();
            foreach (var word in Array(p, path, "command"))
            {
                command.Add(word.ValueKind == JsonValueKind.String ? word.GetString()! : throw Fault(path + ".command", "Expected an array of strings."));
            }

            var timeout = (int)Integer(p, path, "timeoutSeconds", CutoverHook.MaxTimeoutSeconds);
            try
            {
                return new CutoverHook(Enum<CutoverStage>(p, path, "stage"), Enum<CutoverHookLocation>(p, path, "location"), command, timeout);
            }
            catch (ArgumentException e)
            {
                throw Fault(path, e.Message);
            }
        }

        private WorkloadProcess Process(JsonElement element, string path)
        {
            var p = Properties(element, path, ProcessProperties);
            var pid = Integer(p, path, "pid", int.MaxValue);
            return pid > 0
                ? new WorkloadProcess((int)pid, Integer(p, path, "startTime", long.MaxValue))
                : throw Fault(path + ".pid", "A process id is a positive integer.");
        }

        private bool Boolean(Dictionary<string, JsonElement> p, string path, string name) =>
            Required(p, path, name).ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw Fault(path + "." + name, "Expected true or false."),
            };

        private PhaseRecord Phase(JsonElement element, string path)
        {
            var p = Properties(element, path, PhaseProperties);
            DateTimeOffset? end = Required(p, path, "end").ValueKind == JsonValueKind.Null ? null : Instant(p, path, "end");
            return new PhaseRecord(
                Enum<MigrationPhase>(p, path, "phase"), Instant(p, path, "start"), end,
                NullableString(p, path, "outcome"), Integer(p, path, "bytes", long.MaxValue));
        }

        private DatasetProgress Dataset(JsonElement element, string path)
        {
            var p = Properties(element, path, DatasetProperties);
            ulong? guid = null;
            var guidElement = Required(p, path, "commonSnapshotGuid");
            if (guidElement.ValueKind != JsonValueKind.Null)
            {
                guid = guidElement.ValueKind == JsonValueKind.Number && guidElement.TryGetUInt64(out var value)
                    ? value
                    : throw Fault(path + ".commonSnapshotGuid", "Expected a snapshot GUID (an unsigned 64-bit integer) or null.");
            }

            return new DatasetProgress(
                DatasetName(p, path, "source"), DatasetName(p, path, "target"),
                NullableString(p, path, "commonSnapshot"), guid, Integer(p, path, "bytesTotal", long.MaxValue));
        }

        private Dictionary<string, JsonElement> Properties(JsonElement element, string path, string[] known)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                throw Fault(path, $"Expected an object, found {element.ValueKind.ToString().ToLowerInvariant()}.");
            }

            var properties = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var property in element.EnumerateObject())
            {
                if (System.Array.IndexOf(known, property.Name) < 0)
                {
                    throw Fault(path + "." + property.Name, $"{SafeText.Show(property.Name)} is not a property here.");
                }

                if (properties.ContainsKey(property.Name))
                {
                    throw Fault(path + "." + property.Name, "The property is given twice.");
                }

                properties.Add(property.Name, property.Value);
            }

            return properties;
        }

        private JsonElement Required(Dictionary<string, JsonElement> p, string path, string name) =>
            p.TryGetValue(name, out var value) ? value : throw Fault(path, $"The required property \"{name}\" is missing.");

        private string? NullableString(Dictionary<string, JsonElement> p, string path, string name)
        {
            var element = Required(p, path, name);
            return element.ValueKind switch
            {
                JsonValueKind.Null => null,
                JsonValueKind.String => element.GetString(),
                _ => throw Fault(path + "." + name, "Expected a string or null."),
            };
        }

        private string String(Dictionary<string, JsonElement> p, string path, string name) =>
            NullableString(p, path, name) ?? throw Fault(path + "." + name, "Expected a string, found null.");

        private long Integer(Dictionary<string, JsonElement> p, string path, string name, long max)
        {
            var element = Required(p, path, name);
            return element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out var value) && value >= 0 && value <= max
                ? value
                : throw Fault(path + "." + name, "Expected a non-negative integer.");
        }

        private DateTimeOffset Instant(Dictionary<string, JsonElement> p, string path, string name)
        {
            var text = String(p, path, name);
            return DateTimeOffset.TryParseExact(text, "O", CultureInfo.InvariantCulture, DateTimeStyles.None, out var value)
                ? value
                : throw Fault(path + "." + name, $"{SafeText.Show(text)} is not a round-trip (ISO 8601) timestamp.");
        }

        private TimeSpan? Time(Dictionary<string, JsonElement> p, string path, string name)
        {
            var text = NullableString(p, path, name);
            if (text is null)
            {
                return null;
            }

            return TimeSpan.TryParseExact(text, "c", CultureInfo.InvariantCulture, out var value) && value >= TimeSpan.Zero
                ? value
                : throw Fault(path + "." + name, $"{SafeText.Show(text)} is not a duration such as 00:00:01.5000000.");
        }

        private T Enum<T>(Dictionary<string, JsonElement> p, string path, string name)
            where T : struct, Enum
        {
            var text = String(p, path, name);
            foreach (T value in System.Enum.GetValues(typeof(T)))
            {
                if (string.Equals(Word(value), text, StringComparison.Ordinal))
                {
                    return value;
                }
            }

            throw Fault(path + "." + name, $"{SafeText.Show(text)} is not one of the known values.");
        }

        private Zfs.DatasetName DatasetName(Dictionary<string, JsonElement> p, string path, string name)
        {
            var text = String(p, path, name);
            return Zfs.DatasetName.TryParse(text, out var dataset)
                ? dataset!
                : throw Fault(path + "." + name, $"{SafeText.Show(text)} is not a dataset name.");
        }

        private JsonElement.ArrayEnumerator Array(Dictionary<string, JsonElement> p, string path, string name)
        {
            var element = Required(p, path, name);
            return element.ValueKind == JsonValueKind.Array
                ? element.EnumerateArray()
                : throw Fault(path + "." + name, "Expected an array.");
        }

        private JournalCorruptException Fault(string path, string fault) => new(_file, $"{path}: {fault}", null);
    }
}
