using System.Collections;
using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Hooks;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Replication;
using MigrationTools.Engine.Transfer;
using MigrationTools.Infrastructure;

namespace MigrationTools.Module.Tests.Unit;

/// <summary>
/// The migration cmdlets' input turned into the engine's request: ids, bandwidth limits, hooks, settings and hosts,
/// each refused with an error that names the parameter.
/// </summary>
public sealed class MigrationInputTests
{
    [Fact]
    public void AMigrationIdIsParsed()
    {
        Assert.Equal("m-0123456789ab", InputValidation.MigrationId("m-0123456789ab").Value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("m-0123")]
    [InlineData("M-0123456789AB")]
    [InlineData("web")]
    public void AnInvalidMigrationIdNamesTheParameterAndTheForm(string given)
    {
        var error = Assert.Throws<InputException>(() => InputValidation.MigrationId(given));

        Assert.Equal(ErrorIds.InvalidMigrationId, error.ErrorId);
        Assert.Equal(given, error.Value);
        Assert.StartsWith("-Id: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("'m-' followed by 12 lowercase hex digits", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("50M", 50L << 20)]
    [InlineData("1.5G", 3L << 29)]
    [InlineData("800KiB", 800L << 10)]
    [InlineData("52428800", 50L << 20)]
    public void ABandwidthLimitIsARateWithABinarySuffixOrAPlainNumberOfBytes(string given, long bytesPerSecond)
    {
        // PowerShell turns -BandwidthLimit 50MB into the number 52428800, which reaches the cmdlet as its text.
        Assert.Equal(bytesPerSecond, InputValidation.BandwidthLimit(given)?.BytesPerSecond);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void NoBandwidthLimitMeansNone(string? given)
    {
        Assert.Null(InputValidation.BandwidthLimit(given));
    }

    [Theory]
    [InlineData("fast", "is not a bandwidth limit")]
    [InlineData("-5M", "is not a bandwidth limit")]
    [InlineData("10", "must be from 1024 bytes/s")]
    public void AnInvalidBandwidthLimitNamesTheParameterAndTheForm(string given, string fault)
    {
        var error = Assert.Throws<InputException>(() => InputValidation.BandwidthLimit(given));

        Assert.Equal(ErrorIds.InvalidBandwidthLimit, error.ErrorId);
        Assert.Equal(given, error.Value);
        Assert.StartsWith("-BandwidthLimit: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(fault, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter '", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HooksAreReadFromHashtablesWithDefaultsForLocationAndTimeout()
    {
        var hooks = InputValidation.CutoverHooks(
        [
            new Hashtable { ["Stage"] = "BeforeFreeze", ["Command"] = new object[] { "drain", "web", 8080 } },
            new Hashtable { ["stage"] = CutoverStage.AfterCommit, ["location"] = "destination", ["command"] = "true", ["timeoutSeconds"] = "5" },
            new Hashtable { ["Stage"] = "after-commit", ["Location"] = CutoverHookLocation.Source, ["Command"] = new List<string> { "logger", "moved" } },
        ]);

        Assert.Equal(
            [
                new CutoverHook(CutoverStage.BeforeFreeze, CutoverHookLocation.Controller, ["drain", "web", "8080"], 60),
                new CutoverHook(CutoverStage.AfterCommit, CutoverHookLocation.Destination, ["true"], 5),
                new CutoverHook(CutoverStage.AfterCommit, CutoverHookLocation.Source, ["logger", "moved"], 60),
            ],
            hooks);
        Assert.Empty(InputValidation.CutoverHooks(null));
    }

    public static TheoryData<Hashtable?, string> InvalidHooks() => new()
    {
        { null, "Hook 1: it is empty" },
        { new Hashtable { ["Command"] = "true" }, "Hook 1: Stage is missing" },
        { new Hashtable { ["Stage"] = "Later", ["Command"] = "true" }, "Hook 1: Stage is 'Later' (String)" },
        { new Hashtable { ["Stage"] = "1", ["Command"] = "true" }, "Hook 1: Stage is '1' (String)" },
        { new Hashtable { ["Stage"] = "BeforeFreeze" }, "Hook 1: Command is missing" },
        { new Hashtable { ["Stage"] = "BeforeFreeze", ["Command"] = new object[] { "a", new Hashtable() } }, "Hook 1: Command is" },
        { new Hashtable { ["Stage"] = "BeforeFreeze", ["Command"] = Array.Empty<string>() }, "Hook 1: A cutover hook needs a command" },
        { new Hashtable { ["Stage"] = "BeforeFreeze", ["Command"] = "true", ["Location"] = "Elsewhere" }, "Hook 1: Location is 'Elsewhere' (String)" },
        { new Hashtable { ["Stage"] = "BeforeFreeze", ["Command"] = "true", ["TimeoutSeconds"] = "soon" }, "Hook 1: TimeoutSeconds is 'soon' (String)" },
        { new Hashtable { ["Stage"] = "BeforeFreeze", ["Command"] = "true", ["TimeoutSeconds"] = 0 }, "Hook 1: A cutover hook's timeout must be from 1 to 3600 seconds." },
        { new Hashtable { ["Stage"] = "BeforeFreeze", ["Command"] = "true", ["When"] = "now" }, "Hook 1: 'When' (String) is not a key of a hook" },
    };

    [Theory]
    [MemberData(nameof(InvalidHooks))]
    public void AnInvalidHookNamesTheParameterTheHookAndTheFault(Hashtable? hook, string fault)
    {
        var error = Assert.Throws<InputException>(() => InputValidation.CutoverHooks([hook]));

        Assert.Equal(ErrorIds.InvalidCutoverHook, error.ErrorId);
        Assert.StartsWith("-Hook: " + fault, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSecondOfTwoHooksIsNamedAsSuch()
    {
        var error = Assert.Throws<InputException>(() => InputValidation.CutoverHooks(
            [new Hashtable { ["Stage"] = "BeforeFreeze", ["Command"] = "true" }, new Hashtable { ["Command"] = "true" }]));

        Assert.StartsWith("-Hook: Hook 2: Stage is missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSettingsCarryEveryParameter()
    {
        var hook = new CutoverHook(CutoverStage.AfterCommit, CutoverHookLocation.Controller, ["true"]);

        var settings = MigrationDefinition.Settings(true, StreamCompression.Lz4, "100M", true, true, true, [hook], 5, MemoryTransfer.PostCopy);

        Assert.Equal(TransferPath.Direct, settings.Path);
        Assert.Equal(StreamCompression.Lz4, settings.Compression);
        Assert.Equal(BandwidthLimit.Parse("100M"), settings.BandwidthLimit);
        Assert.True(settings.ReleaseSourceBeforeRestore);
        Assert.True(settings.Checkpoint.TcpEstablished);
        Assert.True(settings.Checkpoint.FileLocks);
        Assert.Equal([hook], settings.Hooks);
        Assert.Equal(5, settings.StopTimeoutSeconds);
        Assert.Equal(MemoryTransfer.PostCopy, settings.MemoryTransfer);
        Assert.Equal(new MigrationSettings(), MigrationDefinition.Settings(false, StreamCompression.None, null, false, false, false, []));
    }

    [Fact]
    public void TheRequestNamesTheWorkloadAndBothHosts()
    {
        var settings = new MigrationSettings { ReleaseSourceBeforeRestore = true };

        var request = MigrationDefinition.Request("h1", "web", "root@h2:2222", settings, force: true);

        Assert.Equal("web", request.Workload.Value);
        Assert.Equal("h1", request.SourceHost.ToString());
        Assert.Equal("root@h2:2222", request.DestinationHost.ToString());
        Assert.Same(settings, request.Settings);
        Assert.True(request.Force);
    }

    [Theory]
    [InlineData("h1", "bad name", "h2", "Name", "InvalidWorkloadName")]
    [InlineData("-oProxyCommand=x", "web", "h2", "ComputerName", "InvalidComputerName")]
    [InlineData("h1", "web", "h2;reboot", "Destination", "InvalidComputerName")]
    [InlineData("h1", "web", "", "Destination", "InvalidComputerName")]
    public void AnInvalidWorkloadOrHostNamesItsParameter(string computerName, string name, string destination, string parameter, string errorId)
    {
        var error = Assert.Throws<InputException>(() => MigrationDefinition.Request(computerName, name, destination, new MigrationSettings(), force: false));

        Assert.Equal(errorId, error.ErrorId);
        Assert.Equal(parameter, error.ParamName);
    }
}
