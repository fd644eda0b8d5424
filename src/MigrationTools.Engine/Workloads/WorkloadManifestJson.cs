using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using MigrationTools.Engine.Json;
using MigrationTools.Engine.Network;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Zfs;

namespace MigrationTools.Engine.Workloads;

/// <summary>
/// Reads and writes workload manifests as JSON. Reading is strict: unknown or repeated properties, wrong types,
/// missing required properties and invalid values are each reported as a <see cref="WorkloadManifestException"/>
/// naming the file, the JSON path and the fault.
/// </summary>
/// <remarks>
/// Required: <c>name</c>, <c>command</c>, <c>checkpointMode</c>. Optional: <c>datasets</c> (none),
/// <c>workingDirectory</c> (<c>/</c>), <c>environment</c> (none), <c>healthCheck</c> (none),
/// <c>migrationPolicy</c> (<c>allowed</c>), <c>serviceAddresses</c> (none; objects of <c>address</c>, written
/// <c>ADDRESS/PREFIX</c>, and <c>interface</c>). A health check has exactly one of <c>command</c>, <c>tcpPort</c>,
/// <c>httpUrl</c>, and optionally <c>timeoutSeconds</c> (10).
/// </remarks>
public static class WorkloadManifestJson
{
    /// <summary>The largest manifest accepted, in bytes.</summary>
    public const int MaxBytes = 1 << 20;

    private static readonly string[] TopLevel =
        { "name", "datasets", "command", "workingDirectory", "environment", "checkpointMode", "healthCheck", "migrationPolicy", "serviceAddresses" };

    private static readonly string[] ServiceAddressProperties = { "address", "interface" };

    private static readonly string[] HealthCheckProperties = { "command", "tcpPort", "httpUrl", "timeoutSeconds" };

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        // The file is read by people and programs, never embedded in HTML; keep '+', '<', quotes and non-ASCII legible.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Parses a manifest.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="file">The file it came from, for messages; <see langword="null"/> when none.</param>
    /// <returns>The manifest.</returns>
    /// <exception cref="WorkloadManifestException">The text is not a valid manifest; the message says where and why.</exception>
    public static WorkloadManifest Parse(string json, string? file = null)
    {
        if (json is null)
        {
            throw new ArgumentNullException(nameof(json));
        }

        return Parse(Encoding.UTF8.GetBytes(json), file);
    }

    /// <summary>Parses a manifest from its UTF-8 bytes (a byte-order mark is allowed).</summary>
    /// <param name="utf8Json">The file's bytes.</param>
    /// <param name="file">The file it came from, for messages; <see langword="null"/> when none.</param>
    /// <returns>The manifest.</returns>
    /// <exception cref="WorkloadManifestException">The bytes are not a valid manifest; the message says where and why.</exception>
    public static WorkloadManifest Parse(byte[] utf8Json, string? file = null)
    {
        if (utf8Json is null)
        {
            throw new ArgumentNullException(nameof(utf8Json));
        }

        if (utf8Json.Length > MaxBytes)
        {
            throw new WorkloadManifestException(file, "$", $"The manifest is {utf8Json.Length} bytes long; at most {MaxBytes} are accepted.");
        }

        var start = utf8Json.Length >= 3 && utf8Json[0] == 0xEF && utf8Json[1] == 0xBB && utf8Json[2] == 0xBF ? 3 : 0;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(new ReadOnlyMemory<byte>(utf8Json, start, utf8Json.Length - start), StrictJsonReader.DocumentOptions);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line
                ? $" at line {(line + 1).ToString(CultureInfo.InvariantCulture)}, byte {((e.BytePositionInLine ?? 0) + 1).ToString(CultureInfo.InvariantCulture)}"
                : "";
            throw new WorkloadManifestException(file, e.Path ?? "$", $"The file is not valid JSON{where}: {FirstSentence(e.Message)}", e);
        }

        using (document)
        {
            return new Reader(file).Manifest(document.RootElement);
        }
    }

    /// <summary>Writes a manifest as indented JSON that <see cref="Parse(string, string)"/> reads back to an equal manifest.</summary>
    /// <param name="manifest">The manifest.</param>
    /// <returns>The JSON text, ending with a line break.</returns>
    public static string Serialize(WorkloadManifest manifest)
    {
        if (manifest is null)
        {
            throw new ArgumentNullException(nameof(manifest));
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("name", manifest.Name.Value);
            writer.WriteStartArray("datasets");
            foreach (var dataset in manifest.Datasets)
            {
                writer.WriteStringValue(dataset.Value);
            }

            writer.WriteEndArray();
            WriteArgv(writer, "command", manifest.Command);
            writer.WriteString("workingDirectory", manifest.WorkingDirectory);
            writer.WriteStartObject("environment");
            foreach (var variable in manifest.Environment)
            {
                writer.WriteString(variable.Key, variable.Value);
            }

            writer.WriteEndObject();
            writer.WriteString("checkpointMode", Text(manifest.CheckpointMode));
            if (manifest.HealthCheck is { } check)
            {
                writer.WriteStartObject("healthCheck");
                switch (check.Kind)
                {
                    case HealthCheckKind.Command:
                        WriteArgv(writer, "command", check.Command!);
                        break;
                    case HealthCheckKind.TcpPort:
                        writer.WriteNumber("tcpPort", check.TcpPort!.Value);
                        break;
                    default:
                        writer.WriteString("httpUrl", check.HttpUrl!.OriginalString);
                        break;
                }

                writer.WriteNumber("timeoutSeconds", check.TimeoutSeconds);
                writer.WriteEndObject();
            }

            writer.WriteString("migrationPolicy", Text(manifest.MigrationPolicy));
            if (manifest.ServiceAddresses.Count > 0)
            {
                writer.WriteStartArray("serviceAddresses");
                foreach (var address in manifest.ServiceAddresses)
                {
                    writer.WriteStartObject();
                    writer.WriteString("address", address.Cidr);
                    writer.WriteString("interface", address.InterfaceName);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>The JSON word for a checkpoint mode.</summary>
    /// <param name="mode">The mode.</param>
    /// <returns><c>criu</c> or <c>restart</c>.</returns>
    public static string Text(CheckpointMode mode) => mode == CheckpointMode.Criu ? "criu" : "restart";

    /// <summary>The JSON word for a migration policy.</summary>
    /// <param name="policy">The policy.</param>
    /// <returns><c>manual</c>, <c>allowed</c> or <c>automatic</c>.</returns>
    public static string Text(MigrationPolicy policy) => policy switch
    {
        MigrationPolicy.Manual => "manual",
        MigrationPolicy.Automatic => "automatic",
        _ => "allowed",
    };

    private static void WriteArgv(Utf8JsonWriter writer, string property, IReadOnlyList<string> argv)
    {
        writer.WriteStartArray(property);
        foreach (var word in argv)
        {
            writer.WriteStringValue(word);
        }

        writer.WriteEndArray();
    }

    // System.Text.Json appends its own path and position to messages; the exception carries those separately.
    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return (cut >= 0 ? message.Substring(0, cut) : message).Trim();
    }

    /// <summary>Walks one manifest, failing at the first fault with its path.</summary>
    private sealed class Reader : StrictJsonReader
    {
        private readonly string? _file;

        public Reader(string? file) => _file = file;

        public WorkloadManifest Manifest(JsonElement root)
        {
            var properties = Root(root).Object(TopLevel, "the workload manifest");

            var nameText = properties["name"].String();
            if (!WorkloadName.TryParse(nameText, out var name))
            {
                throw properties["name"].Fault(ErrorOf(() => WorkloadName.Parse(nameText)));
            }

            var datasets = new List<DatasetName>();
            if (properties.TryGet("datasets", out var datasetArray))
            {
                foreach (var item in datasetArray.Items("dataset names"))
                {
                    var text = item.String();
                    if (!DatasetName.TryParse(text, out var dataset))
                    {
                        throw item.Fault(ErrorOf(() => DatasetName.Parse(text)));
                    }

                    datasets.Add(dataset!);
                }

                Check(WorkloadManifestRules.DatasetsError(datasets, out var at), datasetArray, at);
            }

            var command = Argv(properties["command"]);

            var workingDirectory = WorkloadManifest.DefaultWorkingDirectory;
            if (properties.TryGet("workingDirectory", out var directory))
            {
                workingDirectory = directory.String();
                Check(WorkloadManifestRules.WorkingDirectoryError(workingDirectory), directory, -1);
            }

            var environment = new List<KeyValuePair<string, string>>();
            if (properties.TryGet("environment", out var variables))
            {
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var variable in variables.Members("an object of variable names to string values"))
                {
                    Check(WorkloadManifestRules.EnvironmentNameError(variable.Key), variable.Value, -1);
                    if (!seen.Add(variable.Key))
                    {
                        throw variable.Value.Fault($"The variable {variable.Key} is given twice.");
                    }

                    environment.Add(new KeyValuePair<string, string>(variable.Key, variable.Value.String()));
                }
            }

            var mode = properties["checkpointMode"].String() switch
            {
                "criu" => CheckpointMode.Criu,
                "restart" => CheckpointMode.Restart,
                var other => throw properties["checkpointMode"].Fault($"{SafeText.Show(other)} is not a checkpoint mode; give \"criu\" (live) or \"restart\" (cold)."),
            };

            HealthCheck? healthCheck = null;
            if (properties.TryGet("healthCheck", out var check))
            {
                healthCheck = HealthCheck(check);
            }

            var policy = MigrationPolicy.Allowed;
            if (properties.TryGet("migrationPolicy", out var policyValue))
            {
                policy = policyValue.String() switch
                {
                    "manual" => MigrationPolicy.Manual,
                    "allowed" => MigrationPolicy.Allowed,
                    "automatic" => MigrationPolicy.Automatic,
                    var other => throw policyValue.Fault($"{SafeText.Show(other)} is not a migration policy; give \"manual\", \"allowed\" or \"automatic\"."),
                };
            }

            var addresses = new List<ServiceAddress>();
            if (properties.TryGet("serviceAddresses", out var addressArray))
            {
                foreach (var item in addressArray.Items("service addresses"))
                {
                    var parts = item.Object(ServiceAddressProperties, "a service address");
                    var text = parts["address"].String() + "@" + parts["interface"].String();
                    if (!ServiceAddress.TryParse(text, out var address, out var error))
                    {
                        throw item.Fault(error!);
                    }

                    addresses.Add(address!);
                }

                Check(WorkloadManifestRules.ServiceAddressesError(addresses, out var at), addressArray, at);
            }

            return new WorkloadManifest(name!, datasets, command, mode, workingDirectory, environment, healthCheck, policy, addresses);
        }

        internal override Exception Fault(string path, string fault) => new WorkloadManifestException(_file, path, fault);

        internal override string MemberPath(string path, string name) => path + Member(name);

        internal override string Mismatch(JsonElement found, StrictJsonExpectation expected, string description)
        {
            if (expected == StrictJsonExpectation.Integer && found.ValueKind == JsonValueKind.Number)
            {
                return $"{found.GetRawText()} is not a whole number.";
            }

            var what = expected switch
            {
                StrictJsonExpectation.Object => $"an object ({description})",
                StrictJsonExpectation.Map => description,
                StrictJsonExpectation.Array => "an array of " + description,
                StrictJsonExpectation.String => "a string",
                StrictJsonExpectation.Integer => "a whole number",
                _ => "true or false",
            };
            return $"Expected {what}, found {Describe(found.ValueKind)}.";
        }

        internal override string UnknownProperty(string name, string description, IReadOnlyList<string> known) =>
            $"{SafeText.Show(name)} is not a property of {description}; the properties are {string.Join(", ", known)} (names are case-sensitive).";

        internal override string RepeatedProperty(string name) => $"The property {name} is given twice.";

        internal override string? StringError(string text) => WorkloadManifestRules.WordError(text);

        private HealthCheck HealthCheck(StrictJsonValue value)
        {
            var properties = value.Object(HealthCheckProperties, "a health check");
            var timeout = global::MigrationTools.Engine.Workloads.HealthCheck.DefaultTimeoutSeconds;
            if (properties.TryGet("timeoutSeconds", out var timeoutValue))
            {
                var seconds = timeoutValue.Integer();
                Check(WorkloadManifestRules.TimeoutSecondsError(seconds), timeoutValue, -1);
                timeout = (int)seconds;
            }

            var kinds = new List<string>();
            foreach (var kind in new[] { "command", "tcpPort", "httpUrl" })
            {
                if (properties.Has(kind))
                {
                    kinds.Add(kind);
                }
            }

            if (kinds.Count != 1)
            {
                throw properties.Fault(kinds.Count == 0
                    ? "A health check needs one of \"command\", \"tcpPort\" or \"httpUrl\"."
                    : $"A health check has exactly one of \"command\", \"tcpPort\" or \"httpUrl\"; this one has {string.Join(" and ", kinds)}.");
            }

            switch (kinds[0])
            {
                case "command":
                    return global::MigrationTools.Engine.Workloads.HealthCheck.ForCommand(Argv(properties["command"]), timeout);
                case "tcpPort":
                    var port = properties["tcpPort"].Integer();
                    Check(WorkloadManifestRules.TcpPortError(port), properties["tcpPort"], -1);
                    return global::MigrationTools.Engine.Workloads.HealthCheck.ForTcpPort((int)port, timeout);
                default:
                    var text = properties["httpUrl"].String();
                    Check(WorkloadManifestRules.HttpUrlError(text, out var url), properties["httpUrl"], -1);
                    return global::MigrationTools.Engine.Workloads.HealthCheck.ForHttpUrl(url!, timeout);
            }
        }

        private string[] Argv(StrictJsonValue value)
        {
            var words = new List<string>();
            foreach (var item in value.Items("strings (the program and its arguments)"))
            {
                words.Add(item.String());
            }

            Check(WorkloadManifestRules.CommandError(words, out var at), value, at);
            return words.ToArray();
        }

        // Rules that judge a whole list name the offending item by its index.
        private void Check(string? error, StrictJsonValue value, int index)
        {
            if (error is not null)
            {
                throw Fault(index >= 0 ? value.Path + "[" + index.ToString(CultureInfo.InvariantCulture) + "]" : value.Path, error);
            }
        }

        private static string Describe(JsonValueKind kind) => kind switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            JsonValueKind.Null => "null",
            _ => "nothing",
        };

        private static string Member(string name)
        {
            if (name.Length > 0 && name[0] >= '0' && name[0] <= '9')
            {
                return "[" + SafeText.Show(name) + "]";
            }

            foreach (var c in name)
            {
                if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
                {
                    return "[" + SafeText.Show(name) + "]";
                }
            }

            return name.Length == 0 ? "['']" : "." + name;
        }

        private static string ErrorOf(Action parse)
        {
            try
            {
                parse();
                return "The value is invalid.";
            }
            catch (ArgumentException e)
            {
                // Drop the " (Parameter 'value')" suffix .NET appends; the path says where.
                var message = e.Message;
                var cut = message.LastIndexOf(" (Parameter ", StringComparison.Ordinal);
                return cut >= 0 ? message.Substring(0, cut) : message;
            }
        }
    }
}
