using MigrationTools.Engine.Tests.Zfs;
using MigrationTools.Engine.Workloads;
using MigrationTools.Engine.Zfs;

namespace MigrationTools.Engine.Tests.Workloads;

/// <summary>Reading manifests strictly, with the file, JSON path and fault in every error, and writing them back.</summary>
public class WorkloadManifestJsonTests
{
    private const string File = "/etc/migrationtools/workloads/web.json";

    private static readonly string[] X = ["x"];

    private const string Full = """
        {
          "name": "web",
          "datasets": ["tank/web", "tank/web-logs"],
          "command": ["python3", "/tank/web/app.py", "--port", "8080"],
          "workingDirectory": "/tank/web",
          "environment": { "PORT": "8080", "_SECRET": "it's \"x\" $HOME" },
          "checkpointMode": "criu",
          "healthCheck": { "httpUrl": "http://127.0.0.1:8080/health", "timeoutSeconds": 30 },
          "migrationPolicy": "automatic"
        }
        """;

    [Fact]
    public void AFullManifestIsReadValueByValue()
    {
        var manifest = WorkloadManifestJson.Parse(Full, File);

        Assert.Equal(WorkloadName.Parse("web"), manifest.Name);
        Assert.Equal([DatasetName.Parse("tank/web"), DatasetName.Parse("tank/web-logs")], manifest.Datasets);
        Assert.Equal(["python3", "/tank/web/app.py", "--port", "8080"], manifest.Command);
        Assert.Equal("/tank/web", manifest.WorkingDirectory);
        Assert.Equal(new Dictionary<string, string> { ["PORT"] = "8080", ["_SECRET"] = "it's \"x\" $HOME" }, manifest.Environment);
        Assert.Equal(CheckpointMode.Criu, manifest.CheckpointMode);
        Assert.Equal(HealthCheckKind.HttpUrl, manifest.HealthCheck!.Kind);
        Assert.Equal(new Uri("http://127.0.0.1:8080/health"), manifest.HealthCheck.HttpUrl);
        Assert.Equal(TimeSpan.FromSeconds(30), manifest.HealthCheck.Timeout);
        Assert.Equal(MigrationPolicy.Automatic, manifest.MigrationPolicy);
    }

    [Fact]
    public void OptionalPropertiesTakeTheirDefaults()
    {
        var manifest = WorkloadManifestJson.Parse("""{"name":"w","command":["sleep","9"],"checkpointMode":"restart"}""");

        Assert.Empty(manifest.Datasets);
        Assert.Equal("/", manifest.WorkingDirectory);
        Assert.Empty(manifest.Environment);
        Assert.Null(manifest.HealthCheck);
        Assert.Equal(MigrationPolicy.Allowed, manifest.MigrationPolicy);
        Assert.Equal(CheckpointMode.Restart, manifest.CheckpointMode);
        Assert.Equal(10, WorkloadManifestJson.Parse("""{"name":"w","command":["a"],"checkpointMode":"criu","healthCheck":{"tcpPort":1}}""").HealthCheck!.TimeoutSeconds);
    }

    [Fact]
    public void AByteOrderMarkIsAccepted()
    {
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(System.Text.Encoding.UTF8.GetBytes(Full)).ToArray();

        Assert.Equal(WorkloadManifestJson.Parse(Full), WorkloadManifestJson.Parse(bytes, File));
    }

    public static TheoryData<WorkloadManifest> Manifests => new()
    {
        WorkloadManifestJson.Parse(Full),
        new WorkloadManifest(WorkloadName.Parse("a"), [], ["true"], CheckpointMode.Restart),
        new WorkloadManifest(
            WorkloadName.Parse("db.primary-1"), [DatasetName.Parse("tank/db")], ["/usr/bin/db", "--data", "/tank/db", "", "ünïcødé ✓", "a\nb", "<&>+'\""],
            CheckpointMode.Criu, "/tank/db dir", new Dictionary<string, string> { ["Z"] = "last", ["A"] = "", ["LANG"] = "C.UTF-8" },
            HealthCheck.ForCommand(["pg_isready", "-q"], 3600), MigrationPolicy.Manual),
        new WorkloadManifest(WorkloadName.Parse("t"), [], ["nc", "-l", "9"], CheckpointMode.Criu, healthCheck: HealthCheck.ForTcpPort(65535, 1)),
        new WorkloadManifest(WorkloadName.Parse("h"), [], ["x"], CheckpointMode.Criu, healthCheck: HealthCheck.ForHttpUrl(new Uri("https://[::1]:8443/ready?deep=1"))),
    };

    [Theory]
    [MemberData(nameof(Manifests))]
    public void SerializationRoundTrips(WorkloadManifest manifest)
    {
        var json = WorkloadManifestJson.Serialize(manifest);
        var back = WorkloadManifestJson.Parse(json);

        Assert.Equal(manifest, back);
        Assert.Equal(manifest.GetHashCode(), back.GetHashCode());
        Assert.Equal(json, WorkloadManifestJson.Serialize(back));
        Assert.EndsWith("}\n", json, StringComparison.Ordinal);
    }

    [Fact]
    public void SerializationIsIndentedAndSortsTheEnvironment()
    {
        var manifest = new WorkloadManifest(
            WorkloadName.Parse("a"), [], ["run"], CheckpointMode.Criu, environment: new Dictionary<string, string> { ["B"] = "2", ["A"] = "1" });

        Assert.Equal(
            """
            {
              "name": "a",
              "datasets": [],
              "command": [
                "run"
              ],
              "workingDirectory": "/",
              "environment": {
                "A": "1",
                "B": "2"
              },
              "checkpointMode": "criu",
              "migrationPolicy": "allowed"
            }

            """.Replace("\r\n", "\n"),
            WorkloadManifestJson.Serialize(manifest));
    }

    public static TheoryData<string, string, string> Faults => new()
    {
        // Not JSON, or not an object.
        { """{"name": "a",""", "$", "not valid JSON at line 1" },
        { "", "$", "not valid JSON" },
        { """{"name": "a"} trailing""", "$", "not valid JSON" },
        { """{"name": "a", /* note */ "command": ["x"], "checkpointMode": "criu"}""", "$", "not valid JSON" },
        { """["name"]""", "$", "Expected an object (the workload manifest), found an array" },
        { "null", "$", "found null" },
        // Unknown and repeated properties.
        { """{"name": "a", "command": ["x"], "checkpointMode": "criu", "colour": "red"}""", "$.colour", "'colour' is not a property of the workload manifest" },
        { """{"Name": "a", "command": ["x"], "checkpointMode": "criu"}""", "$.Name", "case-sensitive" },
        { """{"name": "a", "name": "b", "command": ["x"], "checkpointMode": "criu"}""", "$.name", "given twice" },
        { """{"name": "a", "command": ["x"], "checkpointMode": "criu", "healthCheck": {"tcpPort": 80, "retries": 3}}""", "$.healthCheck.retries", "not a property of a health check" },
        { """{"name": "a", "command": ["x"], "checkpointMode": "criu", "environment": {"A": "1", "A": "2"}}""", "$.environment.A", "given twice" },
        // Missing required properties.
        { """{"command": ["x"], "checkpointMode": "criu"}""", "$", "\"name\" is missing" },
        { """{"name": "a", "checkpointMode": "criu"}""", "$", "\"command\" is missing" },
        { """{"name": "a", "command": ["x"]}""", "$", "\"checkpointMode\" is missing" },
        // Wrong types.
        { """{"name": 7, "command": ["x"], "checkpointMode": "criu"}""", "$.name", "Expected a string, found a number" },
        { """{"name": "a", "command": "x --y", "checkpointMode": "criu"}""", "$.command", "Expected an array of strings" },
        { """{"name": "a", "command": ["x", 1], "checkpointMode": "criu"}""", "$.command[1]", "Expected a string, found a number" },
        { """{"name": "a", "command": ["x", null], "checkpointMode": "criu"}""", "$.command[1]", "found null" },
        { """{"name": "a", "datasets": "tank/a", "command": ["x"], "checkpointMode": "criu"}""", "$.datasets", "Expected an array of dataset names" },
        { """{"name": "a", "command": ["x"], "checkpointMode": "criu", "environment": ["A=1"]}""", "$.environment", "Expected an object" },
        { """{"name": "a", "command": ["x"], "checkpointMode": "criu", "environment": {"A": 1}}""", "$.environment.A", "Expected a string" },
        { """{"name": "a", "command": ["x"], "checkpointMode": true}""", "$.checkpointMode", "found a boolean" },
        { """{"name": "a", "command": ["x"], "checkpointMode": "criu", "workingDirectory": ["/"]}""", "$.workingDirectory", "Expected a string" },
        { """{"name": "a", "command": ["x"], "checkpointMode": "criu", "healthCheck": {"tcpPort": "80"}}""", "$.healthCheck.tcpPort", "Expected a whole number, found a string" },
        { """{"name": "a", "command": ["x"], "checkpointMode": "criu", "healthCheck": {"tcpPort": 80.5}}""", "$.healthCheck.tcpPort", "not a whole number" },
        { """{"name": "a", "command": ["x"], "checkpointMode": "criu", "healthCheck": "tcp:80"}""", "$.healthCheck", "Expected an object (a health check)" },
        // Invalid values.
        { """{"name": "a", "command": [], "checkpointMode": "criu"}""", "$.command", "The command is empty" },
        { """{"name": "a", "command": [""], "checkpointMode": "criu"}""", "$.command[0]", "program name is empty" },
        { """{"name": "a", "command": ["x", "a\u0000b"], "checkpointMode": "criu"}""", "$.command[1]", "NUL" },
        { """{"name": "a", "command": ["x"], "checkpointMode": "CRIU"}""", "$.checkpointMode", "'CRIU' is not a checkpoint mode" },
        { """{"name": "a", "command": ["x"], "checkpointMode": "live"}""", "$.checkpointMode", "\"criu\" (live) or \"restart\" (cold)" },
        { """{"name": "a", "command": ["x"], "checkpointMode": "criu", "migrationPolicy": "always"}""", "$.migrationPolicy", "'always' is not a migration policy" },
        { """{"name": "a", "command": ["x"], "checkpointMode": "criu", "workingDirectory": "srv/a"}""", "$.workingDirectory", "not an absolute path" },
        { """{"name": "a", "command": ["x"], "checkpointMode": "criu", "environment": {"1A": "x"}}""", "$.environment['1A']", "begins with '1'" },
        { """{"name": "a", "command": ["x"], "checkpointMode": "criu", "environment": {"A-B": "x"}}""", "$.environment['A-B']", "contains '-'" },
        { """{"name": "a", "command": ["x"], "checkpointMode": "criu", "environment": {"": "x"}}""", "$.environment['']", "name is empty" },
        { """{"name": "a", "command": ["x"], "checkpointMode": "criu", "environment": {"A;rm -rf /": "x"}}""", "$.environment['A;rm -rf /']", "contains ';'" },
        { """{"name": "a", "command": ["x"], "checkpointMode": "criu", "environment": {"A": "x\u0000"}}""", "$.environment.A", "NUL" },
        { """{"name": "a", "datasets": ["tank/a", "tank/a"], "command": ["x"], "checkpointMode": "criu"}""", "$.datasets[1]", "listed twice" },
        { """{"name": "a", "datasets": ["tank/a", "tank/a/b"], "command": ["x"], "checkpointMode": "criu"}""", "$.datasets[1]", "nested" },
        { """{"name": "a", "datasets": ["tank/a/b", "tank/a"], "command": ["x"], "checkpointMode": "criu"}""", "$.datasets[1]", "nested" },
        // Health checks.
        { """{"name": "a", "command": ["x"], "checkpointMode": "criu", "healthCheck": {"timeoutSeconds": 5}}""", "$.healthCheck", "needs one of" },
        { """{"name": "a", "command": ["x"], "checkpointMode": "criu", "healthCheck": {"tcpPort": 80, "httpUrl": "http://localhost/"}}""", "$.healthCheck", "this one has tcpPort and httpUrl" },
        { """{"name": "a", "command": ["x"], "checkpointMode": "criu", "healthCheck": {"tcpPort": 0}}""", "$.healthCheck.tcpPort", "port 0 is out of range" },
        { """{"name": "a", "command": ["x"], "checkpointMode": "criu", "healthCheck": {"tcpPort": 65536}}""", "$.healthCheck.tcpPort", "port 65536 is out of range" },
        { """{"name": "a", "command": ["x"], "checkpointMode": "criu", "healthCheck": {"tcpPort": 80, "timeoutSeconds": 0}}""", "$.healthCheck.timeoutSeconds", "timeout 0 is out of range" },
        { """{"name": "a", "command": ["x"], "checkpointMode": "criu", "healthCheck": {"tcpPort": 80, "timeoutSeconds": 3601}}""", "$.healthCheck.timeoutSeconds", "timeout 3601 is out of range" },
        { """{"name": "a", "command": ["x"], "checkpointMode": "criu", "healthCheck": {"command": []}}""", "$.healthCheck.command", "The command is empty" },
        { """{"name": "a", "command": ["x"], "checkpointMode": "criu", "healthCheck": {"httpUrl": "http://example.com/"}}""", "$.healthCheck.httpUrl", "not on a host-local address" },
        { """{"name": "a", "command": ["x"], "checkpointMode": "criu", "healthCheck": {"httpUrl": "http://10.0.0.1/"}}""", "$.healthCheck.httpUrl", "not on a host-local address" },
        { """{"name": "a", "command": ["x"], "checkpointMode": "criu", "healthCheck": {"httpUrl": "ftp://127.0.0.1/"}}""", "$.healthCheck.httpUrl", "scheme 'ftp'" },
        { """{"name": "a", "command": ["x"], "checkpointMode": "criu", "healthCheck": {"httpUrl": "http://u:p@127.0.0.1/"}}""", "$.healthCheck.httpUrl", "password" },
        { """{"name": "a", "command": ["x"], "checkpointMode": "criu", "healthCheck": {"httpUrl": "/health"}}""", "$.healthCheck.httpUrl", "not an absolute URL" },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public void EachFaultIsReportedWithTheFileAndThePath(string json, string path, string fault)
    {
        var error = Assert.Throws<WorkloadManifestException>(() => WorkloadManifestJson.Parse(json, File));

        Assert.Equal(File, error.File);
        Assert.Equal(path, error.JsonPath);
        Assert.Contains(fault, error.Fault, StringComparison.Ordinal);
        Assert.StartsWith($"{File}: {path}: ", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string> HostileWorkloadNames =>
    [
        "", "-rf", ".hidden", "..", "a/b", "../../etc/passwd", "a b", "a\nb", "$(id)", "`id`", "a;b", "a|b", "it's", "\u00e9", "a\u0000b",
        "\u001b[31m", new string('a', 65),
    ];

    [Theory]
    [MemberData(nameof(HostileWorkloadNames))]
    public void AHostileWorkloadNameIsRefusedAtItsPath(string name)
    {
        var json = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object> { ["name"] = name, ["command"] = X, ["checkpointMode"] = "criu" });

        var error = Assert.Throws<WorkloadManifestException>(() => WorkloadManifestJson.Parse(json, File));

        Assert.Equal("$.name", error.JsonPath);
        Assert.True(error.Fault.Contains("workload name", StringComparison.Ordinal) || error.Fault.Contains("U+0000", StringComparison.Ordinal), error.Fault);
        Assert.DoesNotContain("\n", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HostileDatasetNamesAreRefusedAtTheirIndexWithTheirFault()
    {
        foreach (var (name, fault) in HostileNames.Datasets)
        {
            var json = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["name"] = "a", ["datasets"] = new[] { "tank/ok", name }, ["command"] = X, ["checkpointMode"] = "criu",
            });

            var error = Assert.Throws<WorkloadManifestException>(() => WorkloadManifestJson.Parse(json, File));

            Assert.Equal("$.datasets[1]", error.JsonPath);
            Assert.Contains(fault, error.Fault, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void AHostilePropertyNameIsShownSafely()
    {
        var error = Assert.Throws<WorkloadManifestException>(() =>
            WorkloadManifestJson.Parse("""{"name": "a", "x\n\u001b[2J": 1, "command": ["x"], "checkpointMode": "criu"}""", File));

        Assert.Equal("$['x\\u000a\\u001b[2J']", error.JsonPath);
        Assert.DoesNotContain("\n", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnOversizedManifestIsRefusedBeforeParsing()
    {
        var error = Assert.Throws<WorkloadManifestException>(() => WorkloadManifestJson.Parse(new byte[WorkloadManifestJson.MaxBytes + 1], File));

        Assert.Equal("$", error.JsonPath);
        Assert.Contains("at most", error.Fault, StringComparison.Ordinal);
    }

    [Fact]
    public void ManifestsWithoutAFileSaySo()
    {
        var error = Assert.Throws<WorkloadManifestException>(() => WorkloadManifestJson.Parse("{}"));

        Assert.Null(error.File);
        Assert.StartsWith("The workload manifest: $: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DeeplyNestedInputIsRefused()
    {
        var json = """{"name": "a", "command": ["x"], "checkpointMode": "criu", "environment": """ + new string('[', 100) + new string(']', 100) + "}";

        var error = Assert.Throws<WorkloadManifestException>(() => WorkloadManifestJson.Parse(json, File));

        Assert.Contains("not valid JSON", error.Fault, StringComparison.Ordinal);
    }
}
