using System.Text.Json;
using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Hooks;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Replication;
using MigrationTools.Engine.Transfer;

namespace MigrationTools.Cli.Tests;

/// <summary>
/// Bad command lines end with exit code 2, an error naming the option, the fault and the fix, and nothing done: every
/// case here would otherwise reach for a host that does not exist, so a run past validation would fail differently.
/// </summary>
public sealed class CommandLineParsingTests : IDisposable
{
    private readonly string _journal = Path.Combine(Path.GetTempPath(), "mt-cli-journal-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        if (Directory.Exists(_journal))
        {
            Directory.Delete(_journal, recursive: true);
        }
    }

    [Theory]
    [InlineData(new[] { "wrkload", "list", "h1" }, "wrkload")]
    [InlineData(new[] { "workload", "register", "h1", "bad name", "--", "x" }, "<name>: The workload name 'bad name' contains a space")]
    [InlineData(new[] { "migration", "sync", "m-123" }, "<id>: 'm-123' is not a migration id; a migration id is 'm-' followed by 12 lowercase hex digits")]
    [InlineData(new[] { "move", "web", "--from", "h1", "--to", "h2", "--bandwidth-limit", "fast" }, "--bandwidth-limit: 'fast' is not a bandwidth limit")]
    [InlineData(new[] { "move", "web", "--from", "h1", "--to", "h2", "--bandwidth-limit", "10" }, "--bandwidth-limit: A bandwidth limit must be from 1024 bytes/s")]
    [InlineData(new[] { "move", "web", "--from", "h1", "--to", "h2", "--compression", "zip" }, "--compression takes one of none, auto, zstd, lz4; 'zip' is none of them.")]
    [InlineData(new[] { "move", "web", "--from", "h1", "--to", "h2", "--memory-transfer", "lazy" }, "--memory-transfer takes one of auto, post-copy, pre-copy, stop-and-copy; 'lazy' is none of them.")]
    [InlineData(new[] { "migration", "test", "web", "--from", "h1", "--to", "h2", "--memory-transfer", "postcopy" }, "--memory-transfer takes one of auto, post-copy, pre-copy, stop-and-copy; 'postcopy' is none of them.")]
    [InlineData(new[] { "move", "web", "--from", "h 1", "--to", "h2" }, "--from: The host name 'h 1' contains a space")]
    [InlineData(new[] { "move", "web", "--to", "h2" }, "Option '--from' is required.")]
    [InlineData(new[] { "move", "web", "--from", "h1", "--to", "h2", "--max-sync-rounds", "0" }, "--max-sync-rounds takes a number from 1 to 100.")]
    [InlineData(new[] { "move", "web", "--from", "h1", "--to", "h2", "--converged", "12X" }, "--converged takes a size in bytes with an optional K, M, G or T")]
    [InlineData(new[] { "move", "web", "--from", "h1", "--to", "h2", "--stop-timeout", "7200" }, "--stop-timeout takes whole seconds from 0 to 3600; '7200' is not.")]
    [InlineData(new[] { "move", "web", "--from", "h1", "--to", "h2", "--hook", "before-freeze:router:x" }, "--hook: 'router' is not a place to run a hook; give controller, source or destination")]
    [InlineData(new[] { "move", "web", "--from", "h1", "--to", "h2", "--hook", "during:controller:x" }, "--hook: 'during' is not a stage")]
    [InlineData(new[] { "move", "web", "--from", "h1", "--to", "h2", "--hook", "before-freeze:controller" }, "--hook: 'before-freeze:controller' is not a hook; give STAGE:WHERE:COMMAND")]
    [InlineData(new[] { "migration", "sync", "m-0123456789ab", "--progress", "fancy" }, "--progress takes one of auto, live, plain, json, none; 'fancy' is none of them.")]
    [InlineData(new[] { "workload", "register", "h1", "web" }, "Give the workload's command after '--'")]
    [InlineData(new[] { "workload", "register", "h1", "web", "--manifest", "web.json", "--", "python3" }, "--manifest gives the whole manifest")]
    [InlineData(new[] { "workload", "register", "h1", "web", "--manifest", "web.json", "--service-address", "10.0.0.80/24@eth0" }, "--manifest gives the whole manifest")]
    [InlineData(new[] { "workload", "register", "h1", "web", "--health-port", "80", "--health-command", "true", "--", "x" }, "Give at most one of --health-port, --health-url and --health-command.")]
    [InlineData(new[] { "workload", "register", "h1", "web", "--checkpoint-mode", "live", "--", "x" }, "--checkpoint-mode takes one of criu, restart; 'live' is none of them.")]
    [InlineData(new[] { "workload", "stop", "h1", "web", "--timeout", "-1" }, "--timeout takes whole seconds from 0 to 3600")]
    [InlineData(new[] { "workload", "list" }, "Required argument 'host' missing for command: 'list'.")]
    [InlineData(new[] { "workload", "list", "h1", "root@" }, "<host>:")]
    public async Task AMalformedCommandLineIsAUsageErrorNamingTheFault(string[] args, string expected)
    {
        var outcome = await CliHarness.RunAsync(args);

        Assert.Equal(ExitCodes.Usage, outcome.ExitCode);
        Assert.Contains(expected, outcome.Error, StringComparison.Ordinal);
        Assert.Contains("--help' for usage and examples.", outcome.Error, StringComparison.Ordinal);
        Assert.Equal("", outcome.Out);
    }

    [Theory]
    [InlineData(new[] { "workload", "register", "h1", "web", "--env", "NOVALUE", "--", "x" }, "--env: 'NOVALUE' is not NAME=VALUE")]
    [InlineData(new[] { "workload", "register", "h1", "web", "--env", "1BAD=x", "--", "x" }, "--env: ")]
    [InlineData(new[] { "workload", "register", "h1", "web", "-d", "tank/a@b", "--", "x" }, "--dataset: ")]
    [InlineData(new[] { "workload", "register", "h1", "web", "-d", "tank/a", "-d", "tank/a/b", "--", "x" }, "--dataset: ")]
    [InlineData(new[] { "workload", "register", "h1", "web", "--working-directory", "relative", "--", "x" }, "--working-directory: ")]
    [InlineData(new[] { "workload", "register", "h1", "web", "--health-port", "70000", "--", "x" }, "--health-port: ")]
    [InlineData(new[] { "workload", "register", "h1", "web", "--health-url", "http://example.com/", "--", "x" }, "--health-url: ")]
    [InlineData(new[] { "workload", "register", "h1", "web", "--manifest", "/nonexistent/web.json" }, "--manifest: /nonexistent/web.json cannot be read")]
    [InlineData(new[] { "workload", "list", "h1", "--key-file", "/nonexistent/key" }, "--key-file: There is no private key file at /nonexistent/key; give the path of the key")]
    [InlineData(new[] { "workload", "list", "h1", "--known-hosts", "/nonexistent/known_hosts" }, "--known-hosts: There is no known_hosts file at /nonexistent/known_hosts")]
    [InlineData(new[] { "workload", "stop", "h1", "web", "--timeout", "3601" }, "--timeout")]
    [InlineData(new[] { "workload", "list", "h1", "--manifest-dir", "relative/dir" }, "--manifest-dir: The manifest directory 'relative/dir' is not an absolute path")]
    [InlineData(new[] { "workload", "start", "h1", "web", "--runtime-dir", "/run/../etc" }, "--runtime-dir: The runtime directory '/run/../etc' has a '..' component")]
    [InlineData(new[] { "workload", "list", "h1", "--manifest-dir", "/srv/mt", "--runtime-dir", "/" }, "--runtime-dir: The runtime directory is the root directory")]
    [InlineData(new[] { "migration", "sync", "m-0123456789ab", "--manifest-dir", "etc/mt" }, "--manifest-dir: The manifest directory 'etc/mt' is not an absolute path")]
    [InlineData(new[] { "workload", "register", "h1", "web", "--health-command", "true", "--", "" }, "the command after '--': The program name is empty")]
    [InlineData(new[] { "workload", "register", "h1", "web", "--service-address", "10.0.0.80/24", "--", "x" }, "--service-address: The service address '10.0.0.80/24' lacks its interface")]
    [InlineData(new[] { "workload", "register", "h1", "web", "--service-address", "127.0.0.5/8@lo", "--", "x" }, "--service-address: 127.0.0.5 is a loopback address")]
    [InlineData(new[] { "workload", "register", "h1", "web", "--service-address", "10.0.0.80/24@eth0;reboot", "--", "x" }, "--service-address: The interface name")]
    [InlineData(new[] { "workload", "register", "h1", "web", "--service-address", "10.0.0.80/24@eth0", "--service-address", "10.0.0.80/16@eth1", "--", "x" }, "--service-address: The service address 10.0.0.80 is listed twice")]
    public async Task AValueTheEngineRejectsIsAUsageErrorBeforeAnyHostIsReached(string[] args, string expected)
    {
        var outcome = await CliHarness.RunAsync(args);

        Assert.Equal(ExitCodes.Usage, outcome.ExitCode);
        // The message is the validation's own from its first word: nothing ran before it to fail otherwise.
        Assert.StartsWith("error: " + expected, outcome.Error, StringComparison.Ordinal);
        Assert.Equal("", outcome.Out);
    }

    [Fact]
    public async Task AnOptionRejectedBeforeTheEngineRunsLeavesNoJournalBehind()
    {
        var outcome = await CliHarness.RunAsync("migration", "start", "web", "--from", "h1", "--to", "h2", "--journal", _journal, "--ssh-config", "/nonexistent/config");

        Assert.Equal(ExitCodes.Usage, outcome.ExitCode);
        Assert.Contains("--ssh-config: There is no ssh_config file at /nonexistent/config", outcome.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_journal), "a rejected command created the journal directory");
    }

    [Fact]
    public async Task ShowingAMigrationFromAJournalThatDoesNotExistIsRefusedAndCreatesNothing()
    {
        var outcome = await CliHarness.RunAsync("migration", "show", "m-0123456789ab", "--journal", _journal);

        Assert.Equal(ExitCodes.Refused, outcome.ExitCode);
        Assert.Contains($"There is no journal at {_journal}", outcome.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_journal));
    }

    [Fact]
    public async Task ListingAJournalThatDoesNotExistShowsNoMigrationsAndCreatesNothing()
    {
        var outcome = await CliHarness.RunAsync("migration", "list", "--journal", _journal, "--json");

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        Assert.Equal(JsonValueKind.Array, JsonDocument.Parse(outcome.Out).RootElement.ValueKind);
        Assert.Empty(JsonDocument.Parse(outcome.Out).RootElement.EnumerateArray());
        Assert.False(Directory.Exists(_journal));
    }

    [Fact]
    public async Task WithJsonAUsageErrorIsAlsoAFailureDocumentOnStandardOutput()
    {
        var outcome = await CliHarness.RunAsync("migration", "show", "not-an-id", "--json");

        Assert.Equal(ExitCodes.Usage, outcome.ExitCode);
        var error = JsonDocument.Parse(outcome.Out).RootElement.GetProperty("error");
        Assert.Equal(2, error.GetProperty("exitCode").GetInt32());
        Assert.Equal("usage", error.GetProperty("kind").GetString());
        Assert.Contains("'not-an-id' is not a migration id", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void TheMigrationOptionsBecomeTheRequestsSettings()
    {
        var app = new CliApplication(new CliConsole(TextWriter.Null, TextWriter.Null, false, 80));
        var result = app.Root.Parse([
            "move", "web", "--from", "root@host-a", "--to", "host-b", "--direct", "--compression", "ZSTD", "--bandwidth-limit", "50M",
            "--release-source-before-restore", "--tcp-established", "--memory-transfer", "Pre-Copy", "--stop-timeout", "3", "--force", "--hook-timeout", "30",
            "--hook", "before-freeze:controller:./drain.sh web", "--hook", "after-commit:destination:echo a:b",
        ]);
        Assert.Empty(result.Errors);

        var request = app.Settings.Request(result, Engine.Workloads.WorkloadName.Parse("web"), "root@host-a", "host-b");

        Assert.Equal("root@host-a", request.SourceHost.ToString());
        Assert.Equal("host-b", request.DestinationHost.ToString());
        Assert.True(request.Force);
        var settings = request.Settings;
        Assert.Equal(TransferPath.Direct, settings.Path);
        Assert.Equal(StreamCompression.Zstd, settings.Compression);
        Assert.Equal(50L << 20, settings.BandwidthLimit!.BytesPerSecond);
        Assert.True(settings.ReleaseSourceBeforeRestore);
        Assert.True(settings.Checkpoint.TcpEstablished);
        Assert.Equal(MemoryTransfer.PreCopy, settings.MemoryTransfer);
        Assert.Equal(3, settings.StopTimeoutSeconds);
        Assert.Equal(
            [
                new CutoverHook(CutoverStage.BeforeFreeze, CutoverHookLocation.Controller, ["sh", "-c", "./drain.sh web"], 30),
                new CutoverHook(CutoverStage.AfterCommit, CutoverHookLocation.Destination, ["sh", "-c", "echo a:b"], 30),
            ],
            settings.Hooks);
    }

    [Theory]
    [InlineData("migration start", "auto", MemoryTransfer.Auto)]
    [InlineData("migration test", "post-copy", MemoryTransfer.PostCopy)]
    [InlineData("move", "pre-copy", MemoryTransfer.PreCopy)]
    [InlineData("move", "stop-and-copy", MemoryTransfer.StopAndCopy)]
    public void EachCommandThatStartsAMigrationTakesTheMemoryTransfer(string command, string word, MemoryTransfer expected)
    {
        var app = new CliApplication(new CliConsole(TextWriter.Null, TextWriter.Null, false, 80));
        var result = app.Root.Parse([.. command.Split(' '), "web", "--from", "h1", "--to", "h2", "--memory-transfer", word]);
        Assert.Empty(result.Errors);

        var request = app.Settings.Request(result, Engine.Workloads.WorkloadName.Parse("web"), "h1", "h2");

        Assert.Equal(expected, request.Settings.MemoryTransfer);
    }

    [Fact]
    public void WithoutOptionsARequestHasTheEnginesDefaults()
    {
        var app = new CliApplication(new CliConsole(TextWriter.Null, TextWriter.Null, false, 80));
        var result = app.Root.Parse(["migration", "start", "web", "--from", "h1", "--to", "h2"]);
        Assert.Empty(result.Errors);

        var request = app.Settings.Request(result, Engine.Workloads.WorkloadName.Parse("web"), "h1", "h2");

        Assert.Equal(new MigrationSettings(), request.Settings);
        Assert.False(request.Force);
    }

    [Fact]
    public void TheRegisterOptionsBecomeTheManifestTheEngineStores()
    {
        var manifest = Commands.WorkloadCommands.Manifest(
            Engine.Workloads.WorkloadName.Parse("web"), ["tank/web"], ["python3", "/tank/web/app.py", "--port", "8080"],
            Engine.Workloads.CheckpointMode.Restart, "/tank/web", ["GREETING=a=b c", "EMPTY="], null, null, "test -e /tank/web/ready", 7,
            Engine.Workloads.MigrationPolicy.Manual, ["10.0.0.80/24@eth0", "FD00::80/64@br0"]);

        Assert.Equal(["python3", "/tank/web/app.py", "--port", "8080"], manifest.Command);
        Assert.Equal(["10.0.0.80/24@eth0", "fd00::80/64@br0"], manifest.ServiceAddresses.Select(a => a.ToString()));
        Assert.Equal("/tank/web", manifest.WorkingDirectory);
        Assert.Equal("a=b c", manifest.Environment["GREETING"]);
        Assert.Equal("", manifest.Environment["EMPTY"]);
        Assert.Equal(["sh", "-c", "test -e /tank/web/ready"], manifest.HealthCheck!.Command);
        Assert.Equal(7, manifest.HealthCheck.TimeoutSeconds);
        Assert.Equal(Engine.Workloads.MigrationPolicy.Manual, manifest.MigrationPolicy);
        Assert.Equal(Engine.Workloads.CheckpointMode.Restart, manifest.CheckpointMode);
    }

    [Fact]
    public void AManifestFileMustDeclareTheWorkloadNamedOnTheCommandLine()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, """{"name": "db", "command": ["true"], "checkpointMode": "restart"}""");

            var error = Assert.Throws<UsageException>(() => Commands.WorkloadCommands.ReadManifestFile(file, Engine.Workloads.WorkloadName.Parse("web")));

            Assert.Contains("declares the workload db, not web", error.Message, StringComparison.Ordinal);
            Assert.Equal("db", Commands.WorkloadCommands.ReadManifestFile(file, Engine.Workloads.WorkloadName.Parse("db")).Name.Value);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
