using MigrationTools.Engine.Hooks;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Switching;

namespace MigrationTools.Engine.Tests.Migrations;

/// <summary>Hooks: validation, the remote command line, and controller hooks run for real with the migration's facts.</summary>
public sealed class CutoverHookTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "mt-hooks-" + Guid.NewGuid().ToString("N"));

    public CutoverHookTests() => Directory.CreateDirectory(_directory);

    [Theory]
    [InlineData(new string[0], "needs a command")]
    [InlineData(new[] { "" }, "needs a command")]
    [InlineData(new[] { "A=B", "x" }, "must not contain '='")]
    [InlineData(new[] { "ok", "a\0b" }, "NUL")]
    public void ABadCommandIsRefusedByName(string[] command, string fault)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => new CutoverHook(CutoverStage.BeforeFreeze, CutoverHookLocation.Source, command));
        Assert.Contains(fault, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3601)]
    public void ATimeoutOutOfRangeIsRefused(int seconds) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new CutoverHook(CutoverStage.AfterCommit, CutoverHookLocation.Controller, ["true"], seconds));

    [Fact]
    public void ARemoteHookRunsAsArgvUnderEnvAndTimeout()
    {
        var hook = new CutoverHook(CutoverStage.AfterCommit, CutoverHookLocation.Destination, ["dns-update", "it's $HOME"], 42);
        var record = SampleRecords.New();

        var command = CutoverHookRunner.RemoteCommandFor(hook, CutoverHookRunner.Environment(record, CutoverStage.AfterCommit));

        var argv = Assert.Single(command.Stages);
        Assert.Equal("env", argv[0]);
        Assert.Contains("MIGRATIONTOOLS_MIGRATION_ID=" + record.Id.Value, argv);
        Assert.Contains("MIGRATIONTOOLS_STAGE=after-commit", argv);
        Assert.Equal(["timeout", "-k", "5", "42", "dns-update", "it's $HOME"], argv.Skip(7));
        Assert.Contains(Engine.Remote.ShellQuote.Quote("it's $HOME"), command.CommandLine, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ControllerHooksSeeTheMigrationsFactsAndAFailureStopsTheRest()
    {
        var seen = Path.Combine(_directory, "seen");
        var after = Path.Combine(_directory, "after");
        var record = SampleRecords.New() with
        {
            Settings = new MigrationSettings
            {
                Hooks =
                [
                    new CutoverHook(CutoverStage.BeforeFreeze, CutoverHookLocation.Controller,
                        ["sh", "-c", "printf '%s %s %s' \"$MIGRATIONTOOLS_WORKLOAD\" \"$MIGRATIONTOOLS_DESTINATION\" \"$MIGRATIONTOOLS_STAGE\" > \"$1\"", "sh", seen]),
                    new CutoverHook(CutoverStage.BeforeFreeze, CutoverHookLocation.Controller, ["sh", "-c", "echo no route to the balancer >&2; exit 7"]),
                    new CutoverHook(CutoverStage.BeforeFreeze, CutoverHookLocation.Controller, ["touch", after]),
                    new CutoverHook(CutoverStage.AfterCommit, CutoverHookLocation.Controller, ["touch", after]),
                ],
            },
        };
        using var nowhere = new Engine.Remote.SshConnection(Engine.Remote.SshDestination.Parse("unused.invalid"));

        var outcomes = await CutoverHookRunner.RunAsync(record, CutoverStage.BeforeFreeze, nowhere, nowhere);

        Assert.Equal(2, outcomes.Count);
        Assert.True(outcomes[0].Succeeded);
        Assert.Equal("web root@host-b:2222 before-freeze", await File.ReadAllTextAsync(seen));
        var failed = CutoverHookRunner.FailureOf(outcomes)!;
        Assert.Equal(7, failed.ExitCode);
        Assert.Contains("no route to the balancer", failed.Describe(), StringComparison.Ordinal);
        Assert.False(File.Exists(after));
    }

    [Fact]
    public async Task AControllerHookThatOverrunsItsTimeoutFails()
    {
        var record = SampleRecords.New() with
        {
            Settings = new MigrationSettings { Hooks = [new CutoverHook(CutoverStage.AfterCommit, CutoverHookLocation.Controller, ["sleep", "30"], 1)] },
        };
        using var nowhere = new Engine.Remote.SshConnection(Engine.Remote.SshDestination.Parse("unused.invalid"));
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var outcomes = await CutoverHookRunner.RunAsync(record, CutoverStage.AfterCommit, nowhere, nowhere);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10));
        var failed = CutoverHookRunner.FailureOf(outcomes)!;
        Assert.Contains("did not finish within 1 s", failed.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
