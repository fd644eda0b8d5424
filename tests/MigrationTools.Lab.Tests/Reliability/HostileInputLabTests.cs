using MigrationTools.Engine.Hooks;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Transfer;
using MigrationTools.Engine.Workloads;
using MigrationTools.Engine.Zfs;
using MigrationTools.Lab.Tests.Lab;
using MigrationTools.Lab.Tests.Migrations;
using Xunit.Abstractions;
using static MigrationTools.Lab.Tests.Reliability.ReliabilityLog;

namespace MigrationTools.Lab.Tests.Reliability;

/// <summary>Hostile and bad input: each refused with an error that names the fault, and nothing changed anywhere.</summary>
[Collection(LabCollection.Name)]
public sealed class HostileInputLabTests(LabFixture lab, ITestOutputHelper output)
{
    private static readonly string[] HostileNames =
    [
        "web;rm -rf /", "web$(touch /tmp/pwned)", "web`id`", "a b", "a\nb", "it's", "say \"hi\"", "../etc", "-rf", "--help",
        "web|cat", "web&", "web>x", "", new string('a', 300),
    ];

    [LabFact]
    public async Task HostileWorkloadDatasetAndHostNamesAreRefusedBeforeAnyHostIsAsked()
    {
        await using var m = new MigrationLab(lab);
        await m.StartAsync();
        var canary = "/tmp/pwned";

        var workloads = HostileNames.Where(n => WorkloadName.TryParse(n, out _)).ToArray();
        var datasets = HostileNames.Select(n => "tank/" + n).Where(n => DatasetName.TryParse(n, out _)).ToArray();
        var hostErrors = new List<string>();
        foreach (var name in HostileNames)
        {
            var error = Assert.ThrowsAny<ArgumentException>(() => new MigrationRequest(m.Service.Name, name, "h2"));
            hostErrors.Add(error.Message);
        }

        var named = new Dictionary<string, string>
        {
            ["workload"] = Assert.ThrowsAny<ArgumentException>(() => WorkloadName.Parse("web;rm -rf /")).Message,
            ["dataset"] = Assert.ThrowsAny<ArgumentException>(() => DatasetName.Parse("tank/../etc")).Message,
            ["host"] = hostErrors[0],
        };
        foreach (var (what, message) in named)
        {
            output.WriteLine($"{what}: {message}");
        }

        var untouched = m.Engine.Journal.List().Records.Count == 0 && !await m.ClaimExistsAsync() &&
            (await lab.SshAsync("h1", $"test -e {canary}")).ExitCode != 0 && (await lab.SshAsync("h2", $"test -e {canary}")).ExitCode != 0;
        Record(Kind.BadInput, "Workload, dataset and host names with shell metacharacters, quotes, spaces, newlines, '..', leading '-', empty, 300 characters",
            "every one refused when parsed, with a message naming the fault; nothing reaches a host",
            $"{HostileNames.Length - workloads.Length} of {HostileNames.Length} workload names, {HostileNames.Length - datasets.Length} of " +
            $"{HostileNames.Length} dataset names and {hostErrors.Count} of {HostileNames.Length} host names refused; " +
            $"e.g. \"{named["workload"].Split('\n')[0]}\"; nothing changed: {untouched}");
        Assert.Empty(workloads);
        Assert.Empty(datasets);
        Assert.All(hostErrors, message => Assert.NotEmpty(message));
        Assert.True(untouched);
    }

    [LabFact]
    public async Task ATargetDatasetHoldingUnrelatedDataIsRefusedAndLeftUntouched()
    {
        await using var m = new MigrationLab(lab);
        await m.StartAsync();
        await lab.SshCheckedAsync("h2", $"zfs create {m.Dataset} && echo precious > /{m.Dataset}/keep && zfs snapshot {m.Dataset}@theirs");
        var describeTarget = $"sha256sum /{m.Dataset}/keep; zfs list -H -o name -t snapshot -r {m.Dataset}";
        var before = await lab.SshCheckedAsync("h2", describeTarget);

        var refused = await Assert.ThrowsAsync<MigrationRefusedException>(() => m.Engine.BeginAsync(m.Request()));

        var after = await lab.SshCheckedAsync("h2", describeTarget);
        output.WriteLine(refused.Message);
        Record(Kind.BadInput, "Target dataset existing with unrelated data",
            "refused by the preflight; the target's data and snapshots untouched; nothing recorded",
            $"refused ({refused.Preflight!.Checks.First(c => !c.Passed).Name}); target {(before == after ? "untouched" : "CHANGED")}",
            before != after);
        Assert.Contains("TargetState", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, after);
        Assert.Empty(m.Engine.Journal.List().Records);
        Assert.False(await m.ClaimExistsAsync());
        Assert.Empty(await m.SnapshotsAsync("h1"));
    }

    [LabFact]
    public async Task AnInvalidManifestAndOnePointingAtAMissingDatasetFailThePreflightByName()
    {
        await using var m = new MigrationLab(lab);
        await m.StartAsync();
        var file = m.Service.Paths.ManifestFile(m.Service.Name);
        var good = await lab.SshCheckedAsync("h1", $"cat {file}");

        await lab.SshCheckedAsync("h1", $"printf '{{\"name\": \"{m.Service.Name}\", \"command\": [' > {file}");
        var invalid = await m.Engine.TestAsync(m.Request());
        var declared = invalid.Checks.Single(c => c.Name == MigrationChecks.WorkloadDeclared);

        var missing = DatasetName.Parse(m.Dataset + "-missing");
        using (var h1 = lab.Connect("h1"))
        {
            await new WorkloadCatalog(h1, m.Service.Paths).RegisterAsync(new WorkloadManifest(
                m.Service.Name, [missing], m.Manifest.Command, CheckpointMode.Criu, m.Manifest.WorkingDirectory, m.Manifest.Environment,
                m.Manifest.HealthCheck));
        }

        var pointing = await m.Engine.TestAsync(m.Request());
        var exists = pointing.Checks.Single(c => c.Name == "SourceDatasetExists");
        await lab.SshCheckedAsync("h1", $"printf '%s' {ShellQuote.Quote(good)} > {file}");

        output.WriteLine(declared.Message);
        output.WriteLine(exists.Message);
        Record(Kind.BadInput, "Invalid manifest JSON",
            "the preflight fails naming the file and the fault", $"{declared.Name} failed: {declared.Message.Split('\n')[0]}");
        Record(Kind.BadInput, "A manifest pointing at a missing dataset",
            "the preflight fails naming the dataset", $"{exists.Name} failed: {exists.Message}");
        Assert.False(declared.Passed);
        Assert.Contains(file, declared.Message, StringComparison.Ordinal);
        Assert.False(exists.Passed);
        Assert.Contains(missing.Value, exists.Message, StringComparison.Ordinal);
        Assert.Empty(m.Engine.Journal.List().Records);
    }

    [Fact]
    public void AbsurdBandwidthTimeoutAndRoundValuesAreRefusedByName()
    {
        var refusals = new (string Input, Action Act)[]
        {
            ("bandwidth -5M", () => BandwidthLimit.Parse("-5M")),
            ("bandwidth 0", () => BandwidthLimit.Parse("0")),
            ("bandwidth 999T", () => BandwidthLimit.Parse("999T")),
            ("bandwidth 'fast'", () => BandwidthLimit.Parse("fast")),
            ("stop timeout -1 s", () => _ = new MigrationSettings { StopTimeoutSeconds = -1 }),
            ("stop timeout 10 days", () => _ = new MigrationSettings { StopTimeoutSeconds = 864000 }),
            ("health timeout 0 s", () => HealthCheck.ForTcpPort(80, 0)),
            ("health port 70000", () => HealthCheck.ForTcpPort(70000)),
            ("hook timeout 0 s", () => _ = new CutoverHook(CutoverStage.BeforeFreeze, CutoverHookLocation.Controller, ["true"], 0)),
            ("sync rounds 0", () => _ = new MoveOptions { MaxSyncRounds = 0 }),
            ("converged size -1", () => _ = new MoveOptions { ConvergedBytes = -1 }),
        };

        var messages = refusals.Select(r => (r.Input, Message: Refusal(r.Act))).ToArray();

        foreach (var (input, message) in messages)
        {
            output.WriteLine($"{input}: {message}");
        }

        Record(Kind.BadInput, "Negative or absurd bandwidth, timeout, port and round values",
            "refused with the valid range", $"{messages.Length} of {refusals.Length} refused, e.g. \"{messages[0].Message.Split('\n')[0]}\"");
        Assert.All(messages, m => Assert.Matches("[0-9]", m.Message));
    }

    private static string Refusal(Action act)
    {
        var error = Assert.ThrowsAny<Exception>(act);
        Assert.True(error is ArgumentException or FormatException, error.ToString());
        return error.Message;
    }

    [LabFact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task WhatTheEngineCreatesIsOwnerOnlyAndNoKeyMaterialIsWritten()
    {
        await using var m = new MigrationLab(lab);
        await m.StartAsync();
        var switched = await m.Engine.MoveAsync(m.Request(), new MoveOptions { MaxSyncRounds = 1 });
        var images = "/run/migrationtools/images/" + m.Service.Name + "-" + switched.Id;

        var local = new List<(string Path, UnixFileMode Mode)>
        {
            (m.Engine.Journal.Directory, File.GetUnixFileMode(m.Engine.Journal.Directory)),
            (m.Engine.Journal.PathOf(switched.Id), File.GetUnixFileMode(m.Engine.Journal.PathOf(switched.Id))),
            (m.Engine.Journal.LogDirectoryOf(switched.Id), File.GetUnixFileMode(m.Engine.Journal.LogDirectoryOf(switched.Id))),
            (m.ControlDirectory, File.GetUnixFileMode(m.ControlDirectory)),
        };
        local.AddRange(Directory.GetFiles(m.Engine.Journal.LogDirectoryOf(switched.Id)).Select(f => (f, File.GetUnixFileMode(f))));
        var remote = (await lab.SshCheckedAsync("h1",
            $"stat -c '%a %n' {images} {m.Service.Paths.ClaimFile(m.Service.Name)} {m.Service.Paths.ManifestFile(m.Service.Name)} " +
            $"{m.Service.Paths.ManifestDirectory}")).Trim().Split('\n');
        var key = (await File.ReadAllLinesAsync(lab.IdentityFile)).Where(l => !l.StartsWith("-----", StringComparison.Ordinal)).ToArray();
        var written = string.Join("\n", Directory.GetFiles(m.Engine.Journal.Directory, "*", SearchOption.AllDirectories).Select(File.ReadAllText));
        var leaked = written.Contains("PRIVATE KEY", StringComparison.Ordinal) || key.Any(line => written.Contains(line, StringComparison.Ordinal));

        const UnixFileMode Group = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute;
        const UnixFileMode Other = UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        var open = local.Where(f => (f.Mode & (Group | Other)) != 0).Select(f => f.Path)
            .Concat(remote.Where(line => !(line.StartsWith("700 ", StringComparison.Ordinal) || line.StartsWith("600 ", StringComparison.Ordinal))))
            .ToArray();
        foreach (var line in local.Select(f => $"{f.Mode} {f.Path}").Concat(remote))
        {
            output.WriteLine(line);
        }

        Record(Kind.BadInput, "Permissions of what the engine creates; key material in its files",
            "journal, logs, control sockets' directory, image directories, claim and manifest owner-only; no key material written",
            $"{local.Count + remote.Length} paths checked, {open.Length} open to others; key material {(leaked ? "FOUND" : "absent")}");
        Assert.Empty(open);
        Assert.False(leaked);
    }
}
