using MigrationTools.Engine.Workloads;
using MigrationTools.Engine.Zfs;

namespace MigrationTools.Engine.Tests.Workloads;

/// <summary>
/// The manifest validator names the field that is wrong and the value given, for every field; the manifest and the
/// health-check factories refuse exactly what it faults.
/// </summary>
public sealed class WorkloadManifestValidatorTests
{
    private static readonly WorkloadName Web = WorkloadName.Parse("web");
    private static readonly DatasetName TankA = DatasetName.Parse("tank/a");

    private static WorkloadManifestFault? Check(
        IReadOnlyList<DatasetName>? datasets = null,
        IReadOnlyList<string>? command = null,
        CheckpointMode mode = CheckpointMode.Criu,
        string? workingDirectory = null,
        IEnumerable<KeyValuePair<string, string>>? environment = null,
        MigrationPolicy policy = MigrationPolicy.Allowed) =>
        WorkloadManifestValidator.Check(datasets ?? [], command ?? ["app"], mode, workingDirectory, environment, policy);

    [Fact]
    public void AManifestThatCanBeMadeHasNoFault()
    {
        Assert.Null(Check());
        Assert.Null(Check([TankA, DatasetName.Parse("tank/b")], ["python3", "app.py", ""], CheckpointMode.Restart, "/srv/app", [new("PORT", "8080"), new("_X", "")], MigrationPolicy.Manual));
        Assert.Null(WorkloadManifestValidator.CheckCommandHealthCheck(["curl", "-f", "http://localhost/"], HealthCheck.MinTimeoutSeconds));
        Assert.Null(WorkloadManifestValidator.CheckTcpPortHealthCheck(HealthCheck.MaxTcpPort, HealthCheck.MaxTimeoutSeconds));
        Assert.Null(WorkloadManifestValidator.CheckHttpUrlHealthCheck("http://[::1]:8080/health", HealthCheck.DefaultTimeoutSeconds));
    }

    public static TheoryData<string, WorkloadManifestField, string?, string> ManifestFaults => new()
    {
        { "duplicate dataset", WorkloadManifestField.Datasets, "tank/a", "listed twice" },
        { "nested dataset", WorkloadManifestField.Datasets, "tank/a/b", "are nested" },
        { "empty command", WorkloadManifestField.Command, null, "The command is empty" },
        { "empty program", WorkloadManifestField.Command, "", "The program name is empty" },
        { "NUL in an argument", WorkloadManifestField.Command, "a\0b", "NUL" },
        { "unknown checkpoint mode", WorkloadManifestField.CheckpointMode, "7", "Criu or Restart" },
        { "relative working directory", WorkloadManifestField.WorkingDirectory, "srv/app", "is not an absolute path" },
        { "over-long working directory", WorkloadManifestField.WorkingDirectory, "/" + new string('d', 4095), "at most 4095" },
        { "variable name with a space", WorkloadManifestField.Environment, "A B", "'A B' contains" },
        { "variable name starting with a digit", WorkloadManifestField.Environment, "1X", "begins with" },
        { "variable value with NUL", WorkloadManifestField.Environment, "PORT", "NUL" },
        { "variable given twice", WorkloadManifestField.Environment, "PORT", "given twice" },
        { "unknown migration policy", WorkloadManifestField.MigrationPolicy, "9", "Manual, Allowed or Automatic" },
    };

    [Theory]
    [MemberData(nameof(ManifestFaults))]
    public void EachBadManifestValueIsNamedByItsField(string fault, WorkloadManifestField field, string? value, string message)
    {
        var found = fault switch
        {
            "duplicate dataset" => Check([TankA, TankA]),
            "nested dataset" => Check([TankA, DatasetName.Parse("tank/a/b")]),
            "empty command" => Check(command: []),
            "empty program" => Check(command: ["", "x"]),
            "NUL in an argument" => Check(command: ["app", "a\0b"]),
            "unknown checkpoint mode" => Check(mode: (CheckpointMode)7),
            "relative working directory" => Check(workingDirectory: "srv/app"),
            "over-long working directory" => Check(workingDirectory: "/" + new string('d', 4095)),
            "variable name with a space" => Check(environment: [new("A B", "x")]),
            "variable name starting with a digit" => Check(environment: [new("1X", "x")]),
            "variable value with NUL" => Check(environment: [new("PORT", "80\080")]),
            "variable given twice" => Check(environment: [new("PORT", "1"), new("PORT", "2")]),
            _ => Check(policy: (MigrationPolicy)9),
        };

        Assert.NotNull(found);
        Assert.Equal((field, value), (found.Field, found.Value));
        Assert.Contains(message, found.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ManifestFaults))]
    public void TheManifestRefusesWhatTheValidatorFaults(string fault, WorkloadManifestField field, string? value, string message)
    {
        _ = value;
        Action create = fault switch
        {
            "duplicate dataset" => () => _ = new WorkloadManifest(Web, [TankA, TankA], ["app"], CheckpointMode.Criu),
            "nested dataset" => () => _ = new WorkloadManifest(Web, [TankA, DatasetName.Parse("tank/a/b")], ["app"], CheckpointMode.Criu),
            "empty command" => () => _ = new WorkloadManifest(Web, [], [], CheckpointMode.Criu),
            "empty program" => () => _ = new WorkloadManifest(Web, [], ["", "x"], CheckpointMode.Criu),
            "NUL in an argument" => () => _ = new WorkloadManifest(Web, [], ["app", "a\0b"], CheckpointMode.Criu),
            "unknown checkpoint mode" => () => _ = new WorkloadManifest(Web, [], ["app"], (CheckpointMode)7),
            "relative working directory" => () => _ = new WorkloadManifest(Web, [], ["app"], CheckpointMode.Criu, "srv/app"),
            "over-long working directory" => () => _ = new WorkloadManifest(Web, [], ["app"], CheckpointMode.Criu, "/" + new string('d', 4095)),
            "variable name with a space" => () => _ = new WorkloadManifest(Web, [], ["app"], CheckpointMode.Criu, environment: [new("A B", "x")]),
            "variable name starting with a digit" => () => _ = new WorkloadManifest(Web, [], ["app"], CheckpointMode.Criu, environment: [new("1X", "x")]),
            "variable value with NUL" => () => _ = new WorkloadManifest(Web, [], ["app"], CheckpointMode.Criu, environment: [new("PORT", "80\080")]),
            "variable given twice" => () => _ = new WorkloadManifest(Web, [], ["app"], CheckpointMode.Criu, environment: [new("PORT", "1"), new("PORT", "2")]),
            _ => () => _ = new WorkloadManifest(Web, [], ["app"], CheckpointMode.Criu, migrationPolicy: (MigrationPolicy)9),
        };

        var error = Assert.ThrowsAny<ArgumentException>(create);

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(field is WorkloadManifestField.CheckpointMode or WorkloadManifestField.MigrationPolicy, error is ArgumentOutOfRangeException);
    }

    [Fact]
    public void TheFirstBadValueIsReportedInTheOrderOfTheManifest()
    {
        var found = Check([TankA, TankA], [], CheckpointMode.Criu, "relative", [new("1X", "")]);

        Assert.Equal(WorkloadManifestField.Datasets, found?.Field);
        Assert.Equal(WorkloadManifestField.Command, Check(command: [], workingDirectory: "relative")?.Field);
        Assert.Equal(WorkloadManifestField.WorkingDirectory, Check(workingDirectory: "relative", environment: [new("1X", "")])?.Field);
    }

    public static TheoryData<string, WorkloadManifestField, string?, string> HealthCheckFaults => new()
    {
        { "empty command", WorkloadManifestField.HealthCheckCommand, null, "The command is empty" },
        { "NUL in the command", WorkloadManifestField.HealthCheckCommand, "a\0", "NUL" },
        { "command timeout zero", WorkloadManifestField.HealthCheckTimeout, "0", "out of range" },
        { "port zero", WorkloadManifestField.HealthCheckTcpPort, "0", "The port 0 is out of range" },
        { "port too high", WorkloadManifestField.HealthCheckTcpPort, "65536", "from 1 to 65535" },
        { "port timeout too long", WorkloadManifestField.HealthCheckTimeout, "3601", "from 1 to 3600" },
        { "url on another host", WorkloadManifestField.HealthCheckHttpUrl, "http://example.com/", "not on a host-local address" },
        { "url with a password", WorkloadManifestField.HealthCheckHttpUrl, "http://u:p@localhost/", "carries a user name or password" },
        { "url of another scheme", WorkloadManifestField.HealthCheckHttpUrl, "ftp://localhost/", "uses the scheme" },
        { "bare path", WorkloadManifestField.HealthCheckHttpUrl, "/health", "is not an absolute URL" },
        { "no url", WorkloadManifestField.HealthCheckHttpUrl, null, "The value is null" },
        { "url timeout negative", WorkloadManifestField.HealthCheckTimeout, "-1", "out of range" },
    };

    [Theory]
    [MemberData(nameof(HealthCheckFaults))]
    public void EachBadHealthCheckValueIsNamedByItsField(string fault, WorkloadManifestField field, string? value, string message)
    {
        var found = fault switch
        {
            "empty command" => WorkloadManifestValidator.CheckCommandHealthCheck([], 10),
            "NUL in the command" => WorkloadManifestValidator.CheckCommandHealthCheck(["a\0"], 10),
            "command timeout zero" => WorkloadManifestValidator.CheckCommandHealthCheck(["true"], 0),
            "port zero" => WorkloadManifestValidator.CheckTcpPortHealthCheck(0, 10),
            "port too high" => WorkloadManifestValidator.CheckTcpPortHealthCheck(65536, 10),
            "port timeout too long" => WorkloadManifestValidator.CheckTcpPortHealthCheck(80, 3601),
            "url on another host" => WorkloadManifestValidator.CheckHttpUrlHealthCheck("http://example.com/", 10),
            "url with a password" => WorkloadManifestValidator.CheckHttpUrlHealthCheck("http://u:p@localhost/", 10),
            "url of another scheme" => WorkloadManifestValidator.CheckHttpUrlHealthCheck("ftp://localhost/", 10),
            "bare path" => WorkloadManifestValidator.CheckHttpUrlHealthCheck("/health", 10),
            "no url" => WorkloadManifestValidator.CheckHttpUrlHealthCheck(null, 10),
            _ => WorkloadManifestValidator.CheckHttpUrlHealthCheck("http://localhost/", -1),
        };

        Assert.NotNull(found);
        Assert.Equal((field, value), (found.Field, found.Value));
        Assert.Contains(message, found.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheHealthCheckFactoriesRefuseWhatTheValidatorFaultsNamingTheirOwnParameters()
    {
        Assert.Equal("argv", Assert.Throws<ArgumentException>(() => HealthCheck.ForCommand([])).ParamName);
        Assert.Equal("port", Assert.Throws<ArgumentOutOfRangeException>(() => HealthCheck.ForTcpPort(65536)).ParamName);
        Assert.Equal("url", Assert.Throws<ArgumentException>(() => HealthCheck.ForHttpUrl(new Uri("http://example.com/"))).ParamName);
        Assert.Equal("timeoutSeconds", Assert.Throws<ArgumentOutOfRangeException>(() => HealthCheck.ForHttpUrl(new Uri("http://localhost/"), 0)).ParamName);
        Assert.Equal("timeoutSeconds", Assert.Throws<ArgumentOutOfRangeException>(() => HealthCheck.ForCommand(["true"], 3601)).ParamName);
        Assert.Equal(new Uri("http://127.0.0.1:8080/health"), HealthCheck.ForHttpUrl(new Uri("http://127.0.0.1:8080/health")).HttpUrl);
    }
}
