using System.Globalization;
using MigrationTools.Lab.Tests.Lab;
using Xunit.Abstractions;

namespace MigrationTools.Lab.Tests.Cli;

/// <summary>
/// <c>migrationtools demo</c> end to end, on a lab of its own: it brings the lab up, moves the counter, proves the
/// move and takes the lab down again. It runs in the lab collection so that it never shares the two cores with
/// another lab test, and it sits beside the shared lab rather than in it (its own state directory and addresses).
/// </summary>
[Collection(LabCollection.Name)]
public sealed class CliDemoLabTests(LabFixture lab, ITestOutputHelper output)
{
    [LabFact]
    public async Task TheDemoBringsUpALabMovesTheCounterLiveProvesItAndTakesTheLabDown()
    {
        // The shared lab's state directory and addresses, moved aside: the demo's lab must not touch it.
        var stateDirectory = Path.GetDirectoryName(lab.SshConfigPath) + "-demo";
        var firstAddress = DemoAddress(lab.Hosts[0].Address);
        var environment = new Dictionary<string, string>
        {
            ["MT_LAB_STATE"] = stateDirectory,
            ["MT_LAB_FIRST_ADDRESS"] = firstAddress,
            ["MT_LAB_HOSTS"] = "2",
        };
        Assert.False(Directory.Exists(stateDirectory), $"{stateDirectory} is left from an earlier run; take that lab down first");

        CliRun demo;
        try
        {
            demo = await CliTool.RunAsync(["demo", "--data-size", "32M", "--json", "--progress", "json"], TimeSpan.FromMinutes(15), environment);
        }
        finally
        {
            // Whatever happened, no lab of this test's is left behind (a no-op when the demo took it down).
            if (Directory.Exists(stateDirectory))
            {
                await LabFixture.RunLabAsync(["down"], TimeSpan.FromMinutes(2), environment);
            }
        }

        output.WriteLine(demo.Out);
        output.WriteLine(demo.Error);
        Assert.Equal(0, demo.ExitCode);
        var result = demo.Json;
        Assert.True(result.GetProperty("passed").GetBoolean());
        Assert.Equal(
            ["sameProcess", "runsOnDestination", "counterContinued", "nothingLost", "nothingOnSource", "clientConnectionKept"],
            result.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.All(result.GetProperty("checks").EnumerateArray(), c => Assert.True(c.GetProperty("passed").GetBoolean(), c.GetProperty("detail").GetString()));
        Assert.Equal(("h1", "h2"), (result.GetProperty("source").GetString(), result.GetProperty("destination").GetString()));
        Assert.True(result.GetProperty("downtimeSeconds").GetDouble() > 0);
        Assert.True(result.GetProperty("bytesTransferred").GetInt64() > 32L << 20, "less than the random data was moved");
        Assert.Equal("completed", result.GetProperty("migration").GetProperty("state").GetString());
        var labView = result.GetProperty("lab");
        Assert.Equal(stateDirectory, labView.GetProperty("stateDirectory").GetString());
        Assert.True(labView.GetProperty("startedByDemo").GetBoolean());
        Assert.False(labView.GetProperty("stillUp").GetBoolean());
        Assert.False(Directory.Exists(stateDirectory), "the demo left its lab's state directory");

        var notes = demo.ProgressEvents.Where(e => e.GetProperty("type").GetString() == "note").Select(e => e.GetProperty("activity").GetString()!).ToArray();
        Assert.Contains(notes, n => n.StartsWith("Bringing up the lab", StringComparison.Ordinal));
        Assert.Contains(notes, n => n.StartsWith("Taking the lab down", StringComparison.Ordinal));
        Assert.Contains(demo.ProgressEvents, e => e.GetProperty("type").GetString() == "progress" && e.GetProperty("phase").GetString() == "switch");
        Assert.Equal(0, (await LabFixture.RunLabAsync(["status"], TimeSpan.FromMinutes(1))).ExitCode);
    }

    [LabFact]
    public async Task TheDemoRefusesToRunWithoutRootAndSaysHow()
    {
        // The tool as an unprivileged user: setpriv drops to nobody for this one process.
        var dotnetHome = Path.Combine(Path.GetTempPath(), "mt-cli-nobody-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dotnetHome);
        try
        {
            if (OperatingSystem.IsLinux())
            {
                // nobody needs a home it can write to for the dotnet host's first-run files.
                File.SetUnixFileMode(dotnetHome, (UnixFileMode)0x1FF);
            }

            // A copy of the tool nobody can read wherever the checkout is (a clone under /root is not).
            var tool = Path.Combine(dotnetHome, "tool");
            CopyDirectory(Path.GetDirectoryName(CliTool.Assembly)!, tool);
            var result = await Shell.RunAsync(
                "setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", CliTool.Dotnet, Path.Combine(tool, Path.GetFileName(CliTool.Assembly)), "demo"],
                TimeSpan.FromMinutes(2), new Dictionary<string, string> { ["HOME"] = dotnetHome, ["DOTNET_CLI_HOME"] = dotnetHome });

            Assert.True(result.ExitCode == 3, $"exit {result.ExitCode}: {result.StandardError}");
            Assert.Contains("The demo needs root", result.StandardError, StringComparison.Ordinal);
            Assert.Contains("sudo", result.StandardError, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dotnetHome, recursive: true);
        }
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (var directory in Directory.GetDirectories(from))
        {
            CopyDirectory(directory, Path.Combine(to, Path.GetFileName(directory)));
        }
    }

    /// <summary>h1's address for the demo's lab: the shared lab's, 100 further on (127.0.0.11 gives 127.0.0.111).</summary>
    private static string DemoAddress(string sharedFirstAddress)
    {
        var octets = sharedFirstAddress.Split('.');
        var last = int.Parse(octets[3], CultureInfo.InvariantCulture) + 100;
        Assert.InRange(last, 1, 250);
        return string.Join('.', octets[..3].Append(last.ToString(CultureInfo.InvariantCulture)));
    }
}
