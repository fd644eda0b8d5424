using System.Collections;
using MigrationTools.Engine.Workloads;
using MigrationTools.Infrastructure;

namespace MigrationTools.Module.Tests.Unit;

/// <summary>Cmdlet input turned into the engine's validated types, with errors that name the parameter, fault and fix.</summary>
public sealed class InputValidationTests
{
    [Fact]
    public void AValidWorkloadNameIsAccepted()
    {
        Assert.Equal("web-1.a_b", InputValidation.WorkloadName("web-1.a_b").Value);
    }

    [Theory]
    [InlineData("web 1", "contains a space")]
    [InlineData("-web", "begins with '-'")]
    [InlineData("", "is empty")]
    public void AnInvalidWorkloadNameNamesTheParameterTheFaultAndTheFix(string name, string fault)
    {
        var error = Assert.Throws<InputException>(() => InputValidation.WorkloadName(name));

        Assert.Equal(ErrorIds.InvalidWorkloadName, error.ErrorId);
        Assert.Equal(name, error.Value);
        Assert.StartsWith("-Name: The workload name", error.Message, StringComparison.Ordinal);
        Assert.Contains(fault, error.Message, StringComparison.Ordinal);
        Assert.Contains("for example 'web-1'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter '", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DatasetNamesAreValidatedOneByOne()
    {
        Assert.Equal(["tank/web", "tank/db"], InputValidation.DatasetNames(["tank/web", "tank/db"]).Select(d => d.Value));

        var error = Assert.Throws<InputException>(() => InputValidation.DatasetNames(["tank/web", "tank/bad name"]));
        Assert.Equal(ErrorIds.InvalidDatasetName, error.ErrorId);
        Assert.Equal("tank/bad name", error.Value);
        Assert.StartsWith("-Dataset: ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("h1", "h1")]
    [InlineData("root@server1:2222", "root@server1:2222")]
    [InlineData("[::1]:22", "[::1]:22")]
    public void AComputerNameIsAnSshDestination(string given, string destination)
    {
        Assert.Equal(destination, InputValidation.ComputerName(given).ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("-oProxyCommand=x")]
    [InlineData("h1;reboot")]
    public void AComputerNameThatSshCouldMisreadIsRefused(string given)
    {
        var error = Assert.Throws<InputException>(() => InputValidation.ComputerName(given));

        Assert.Equal(ErrorIds.InvalidComputerName, error.ErrorId);
        Assert.StartsWith("-ComputerName: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnvironmentValuesBecomeInvariantText()
    {
        var table = new Hashtable { ["PORT"] = 8080, ["RATIO"] = 0.5, ["DEBUG"] = true, ["NAME"] = "web", ["EMPTY"] = "" };

        var variables = InputValidation.EnvironmentVariables(table).ToDictionary(v => v.Key, v => v.Value);

        Assert.Equal(
            new Dictionary<string, string> { ["PORT"] = "8080", ["RATIO"] = "0.5", ["DEBUG"] = "true", ["NAME"] = "web", ["EMPTY"] = "" },
            variables);
    }

    [Fact]
    public void AnEnvironmentVariableWithoutAValueOrAStringNameIsRefused()
    {
        var noValue = Assert.Throws<InputException>(() => InputValidation.EnvironmentVariables(new Hashtable { ["PORT"] = null }));
        var numericName = Assert.Throws<InputException>(() => InputValidation.EnvironmentVariables(new Hashtable { [1] = "x" }));
        var objectValue = Assert.Throws<InputException>(() => InputValidation.EnvironmentVariables(new Hashtable { ["X"] = new object() }));

        Assert.All([noValue, numericName, objectValue], e => Assert.Equal(ErrorIds.InvalidWorkloadDefinition, e.ErrorId));
        Assert.Contains("PORT has no value", noValue.Message, StringComparison.Ordinal);
        Assert.Contains("is not a string", numericName.Message, StringComparison.Ordinal);
        Assert.StartsWith("-Environment: ", objectValue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RegisterWorkloadsParametersMakeTheManifest()
    {
        var manifest = WorkloadDefinition.Create(
            "web", ["tank/web"], ["python3", "app.py", ""], "/srv/web", new Hashtable { ["PORT"] = "8080" },
            CheckpointMode.Restart, WorkloadDefinition.TcpPortHealthCheck(8080, 5), MigrationPolicy.Manual,
            InputValidation.ServiceAddresses(["10.0.0.80/24@eth0", "FD00::80/64@br0"]));

        Assert.Equal("web", manifest.Name.Value);
        Assert.Equal(["10.0.0.80/24@eth0", "fd00::80/64@br0"], manifest.ServiceAddresses.Select(a => a.ToString()));
        Assert.Equal(["tank/web"], manifest.Datasets.Select(d => d.Value));
        Assert.Equal(["python3", "app.py", ""], manifest.Command);
        Assert.Equal("/srv/web", manifest.WorkingDirectory);
        Assert.Equal("8080", manifest.Environment["PORT"]);
        Assert.Equal(CheckpointMode.Restart, manifest.CheckpointMode);
        Assert.Equal(HealthCheck.ForTcpPort(8080, 5), manifest.HealthCheck);
        Assert.Equal(MigrationPolicy.Manual, manifest.MigrationPolicy);
    }

    public static TheoryData<Func<object>, string, string, string> InvalidDefinitions() => new()
    {
        { () => Define(name: "bad name"), ErrorIds.InvalidWorkloadName, "Name", "contains a space" },
        { () => Define(datasets: ["tank/a", "tank/a/b"]), ErrorIds.InvalidWorkloadDefinition, "Dataset", "are nested" },
        { () => Define(command: []), ErrorIds.InvalidWorkloadDefinition, "Command", "The command is empty" },
        { () => Define(command: ["", "x"]), ErrorIds.InvalidWorkloadDefinition, "Command", "program name is empty" },
        { () => Define(workingDirectory: "srv"), ErrorIds.InvalidWorkloadDefinition, "WorkingDirectory", "not an absolute path" },
        { () => Define(environment: new Hashtable { ["1PORT"] = "x" }), ErrorIds.InvalidWorkloadDefinition, "Environment", "begins with '1'" },
        { () => WorkloadDefinition.HttpUrlHealthCheck(new Uri("http://192.0.2.1/health"), 5), ErrorIds.InvalidWorkloadDefinition, "HealthUrl", "not on a host-local address" },
        { () => WorkloadDefinition.CommandHealthCheck([], 5), ErrorIds.InvalidWorkloadDefinition, "HealthCommand", "The command is empty" },
        { () => WorkloadDefinition.TcpPortHealthCheck(80, 0), ErrorIds.InvalidWorkloadDefinition, "HealthTimeoutSeconds", "out of range" },
        { () => WorkloadDefinition.TcpPortHealthCheck(0, 5), ErrorIds.InvalidWorkloadDefinition, "HealthPort", "The port 0 is out of range" },
        { () => Define(environment: new Hashtable { ["PORT"] = "80\080" }), ErrorIds.InvalidWorkloadDefinition, "Environment", "NUL" },
        { () => Define(checkpointMode: (CheckpointMode)7), ErrorIds.InvalidWorkloadDefinition, "CheckpointMode", "Criu or Restart" },
        { () => Define(migrationPolicy: (MigrationPolicy)7), ErrorIds.InvalidWorkloadDefinition, "MigrationPolicy", "Manual, Allowed or Automatic" },
        { () => InputValidation.ServiceAddresses(["10.0.0.80/24"]), ErrorIds.InvalidServiceAddress, "ServiceAddress", "lacks its interface" },
        { () => InputValidation.ServiceAddresses(["10.0.0.80@eth0"]), ErrorIds.InvalidServiceAddress, "ServiceAddress", "lacks its prefix length" },
        { () => InputValidation.ServiceAddresses(["10.0.0.80/33@eth0"]), ErrorIds.InvalidServiceAddress, "ServiceAddress", "out of range" },
        { () => InputValidation.ServiceAddresses(["127.0.0.5/8@lo"]), ErrorIds.InvalidServiceAddress, "ServiceAddress", "loopback" },
        { () => InputValidation.ServiceAddresses(["fe80::1/64@eth0"]), ErrorIds.InvalidServiceAddress, "ServiceAddress", "link-local" },
        { () => InputValidation.ServiceAddresses(["10.0.0.80/24@eth0:1"]), ErrorIds.InvalidServiceAddress, "ServiceAddress", "contains ':'" },
        { () => InputValidation.ServiceAddresses(["10.0.0.80/24@eth0", "10.0.0.80/24@eth1"]), ErrorIds.InvalidServiceAddress, "ServiceAddress", "listed twice" },
        { () => InputValidation.WorkloadPaths("relative", WorkloadPaths.DefaultRuntimeDirectory), ErrorIds.InvalidWorkloadPath, "ManifestDirectory", "The manifest directory 'relative' is not an absolute path" },
        { () => InputValidation.WorkloadPaths(WorkloadPaths.DefaultManifestDirectory, "/run/../etc"), ErrorIds.InvalidWorkloadPath, "RuntimeDirectory", "has a '..' component" },
        { () => InputValidation.WorkloadPaths(WorkloadPaths.DefaultManifestDirectory, null), ErrorIds.InvalidWorkloadPath, "RuntimeDirectory", "is not an absolute path" },
    };

    [Fact]
    public void TheBadValueIsCarriedWithTheError()
    {
        var path = Assert.Throws<InputException>(() => InputValidation.WorkloadPaths("/srv/mt", "run/mt"));
        var variable = Assert.Throws<InputException>(() => Define(environment: new Hashtable { ["A B"] = "x" }));
        var address = Assert.Throws<InputException>(() => InputValidation.ServiceAddresses(["10.0.0.80/24@eth0", "10.0.0.0/24@eth0"]));

        Assert.Equal("run/mt", path.Value);
        Assert.Equal("A B", variable.Value);
        Assert.Equal("10.0.0.0/24@eth0", address.Value);
    }

    [Fact]
    public void GoodDirectoriesMakeTheEnginesPaths()
    {
        var paths = InputValidation.WorkloadPaths("/srv/mt/manifests/", "/run/mt");

        Assert.Equal(("/srv/mt/manifests", "/run/mt"), (paths.ManifestDirectory, paths.RuntimeDirectory));
        Assert.Equal(WorkloadPaths.Default, InputValidation.WorkloadPaths(WorkloadPaths.DefaultManifestDirectory, WorkloadPaths.DefaultRuntimeDirectory));
    }

    [Theory]
    [MemberData(nameof(InvalidDefinitions))]
    public void AnInvalidDefinitionNamesTheParameterAtFault(Func<object> define, string errorId, string parameter, string fault)
    {
        var error = Assert.Throws<InputException>(define);

        Assert.Equal(errorId, error.ErrorId);
        Assert.Equal(parameter, error.ParamName);
        Assert.StartsWith($"-{parameter}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(fault, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Actual value was", error.Message, StringComparison.Ordinal);
    }

    private static WorkloadManifest Define(
        string name = "web",
        string[]? datasets = null,
        string[]? command = null,
        string? workingDirectory = null,
        Hashtable? environment = null,
        CheckpointMode checkpointMode = CheckpointMode.Criu,
        MigrationPolicy migrationPolicy = MigrationPolicy.Allowed) =>
        WorkloadDefinition.Create(
            name, datasets ?? ["tank/web"], command ?? ["sleep", "1000"], workingDirectory, environment,
            checkpointMode, null, migrationPolicy, []);
}
