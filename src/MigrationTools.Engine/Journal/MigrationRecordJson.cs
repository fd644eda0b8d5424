using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Encodings.Web;
using System.Text.Json;
using MigrationTools.Engine.Json;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Engine.Journal;

/// <summary>
/// Reads and writes migration records as JSON. Reading is strict: a file that is truncated, not JSON, has unknown,
/// repeated or missing properties, or values of the wrong type is reported as a <see cref="JournalCorruptException"/>
/// naming the file, the JSON path and the fault.
/// </summary>
internal static class MigrationRecordJson
{
    /// <summary>The largest record accepted, in bytes.</summary>
    public const int MaxBytes = 4 << 20;

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
            writer.WriteStartArray("serviceAddresses");
            foreach (var address in record.ServiceAddresses)
            {
                writer.WriteStringValue(address.ToString());
            }

            writer.WriteEndArray();
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
                if (parts.MemoryTransfer is { } method)
                {
                    writer.WriteString("memoryTransfer", Word(method));
                }
                else
                {
                    writer.WriteNull("memoryTransfer");
                }

                WriteTime(writer, "postCopy", parts.PostCopy);
                // Written only after pre-copy rounds, so records without them read as before.
                if (parts.PreCopyPages is { } rounds)
                {
                    WriteTime(writer, "preCopy", parts.PreCopy);
                    WritePages(writer, "preCopyPages", rounds);
                }

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

            // Written only once a discarding undo began leaving the destination, so other records read as before.
            if (record.LeavingDestination)
            {
                writer.WriteBoolean("leavingDestination", true);
            }

            // Written only while an undo keeping changes is under way, so records without one read as before.
            if (record.Return is { } returning)
            {
                writer.WriteStartObject("return");
                if (returning.CheckpointedProcess is { } returned)
                {
                    writer.WriteStartObject("checkpointedProcess");
                    writer.WriteNumber("pid", returned.Pid);
                    writer.WriteNumber("startTime", returned.StartTime);
                    writer.WriteEndObject();
                }
                else
                {
                    writer.WriteNull("checkpointedProcess");
                }

                writer.WriteEndObject();
            }

            // Written only while a live switch is under way, so records without one read as before.
            if (record.MemoryMove is { } memory)
            {
                writer.WriteStartObject("memoryMove");
                writer.WriteString("method", Word(memory.Method));
                writer.WriteBoolean("streamed", memory.Streamed);
                if (memory.LazyPages is { } server)
                {
                    writer.WriteString("lazyPagesAddress", server.Address.ToString());
                    writer.WriteNumber("lazyPagesPort", server.Port);
                }

                if (memory.Link is { } link)
                {
                    writer.WriteString("linkSource", link.Source.ToString());
                    writer.WriteString("linkDestination", link.Destination.ToString());
                }

                if (memory.PreCopyPages is { } rounds)
                {
                    WritePages(writer, "preCopyPages", rounds);
                }

                writer.WriteEndObject();
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
            document = JsonDocument.Parse(utf8Json, StrictJsonReader.DocumentOptions);
        }
        catch (JsonException e)
        {
            var line = ((e.LineNumber ?? 0) + 1).ToString(CultureInfo.InvariantCulture);
            throw new JournalCorruptException(file, $"The file is not valid JSON (truncated or damaged) at line {line}.", e);
        }

        using (document)
        {
            return new MigrationRecordReader(file).Record(document.RootElement);
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
        writer.WriteString("memoryTransfer", Word(settings.MemoryTransfer));
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

    /// <summary>How an enum value is spelled in a record: its name with a lower-case first letter.</summary>
    internal static string Word<T>(T value)
        where T : struct, Enum
    {
        var name = value.ToString();
        return char.ToLowerInvariant(name[0]) + name.Substring(1);
    }

    /// <summary>The pages each pre-copy round wrote, as an array of integers.</summary>
    private static void WritePages(Utf8JsonWriter writer, string name, IReadOnlyList<long> pages)
    {
        writer.WriteStartArray(name);
        foreach (var count in pages)
        {
            writer.WriteNumberValue(count);
        }

        writer.WriteEndArray();
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
}
