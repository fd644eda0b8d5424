using System.CommandLine;
using MigrationTools.Cli.Options;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Cli.Tests;

/// <summary>
/// The command line's one table of names for the engine's workload fields: every field the engine can blame has an
/// option, and that option is one the commands really take.
/// </summary>
public sealed class WorkloadFieldOptionsTests
{
    private static readonly RootCommand Root = new CliApplication(new CliConsole(TextWriter.Null, TextWriter.Null, ErrorIsTerminal: false, Width: 100)).Root;

    [Fact]
    public void EveryPathFieldHasAnOption()
    {
        Assert.Equal(Enum.GetValues<WorkloadPathField>().Order(), WorkloadFieldOptions.Paths.Keys.Order());
    }

    [Fact]
    public void EveryManifestFieldHasAnOption()
    {
        Assert.Equal(Enum.GetValues<WorkloadManifestField>().Order(), WorkloadFieldOptions.Manifest.Keys.Order());
    }

    [Fact]
    public void EveryCommandThatReachesHostsTakesBothPathOptions()
    {
        // The commands that take the connection options reach hosts (drain included); each of them finds workloads through the paths.
        var remote = Commands(Root).Where(c => c.Options.Any(o => o.Name == "--ssh-config")).ToArray();

        Assert.Equal(14, remote.Length);
        Assert.All(remote, command => Assert.All(
            WorkloadFieldOptions.Paths.Values,
            option => Assert.True(command.Options.Any(o => o.Name == option), $"{command.Name} has no {option}.")));
    }

    [Fact]
    public void EveryManifestOptionIsAnOptionOfWorkloadRegister()
    {
        var register = Commands(Root).Single(c => c.Name == "register");

        foreach (var (field, option) in WorkloadFieldOptions.Manifest)
        {
            // The command is the argument after '--', named in words since it has no option.
            var known = field == WorkloadManifestField.Command
                ? register.Arguments.Any(a => a.Name == "command")
                : register.Options.Any(o => o.Name == option || o.Aliases.Contains(option));
            Assert.True(known, $"{field} is reported as {option}, which workload register does not take.");
        }
    }

    [Theory]
    [InlineData(WorkloadPathField.ManifestDirectory, "--manifest-dir")]
    [InlineData(WorkloadPathField.RuntimeDirectory, "--runtime-dir")]
    public void APathFaultNamesTheOptionThenTheEnginesMessage(WorkloadPathField field, string option)
    {
        var fault = WorkloadPathsValidator.Check(field, "relative")!;

        var error = WorkloadFieldOptions.Usage(fault);

        Assert.Equal($"{option}: {fault.Message}", error.Message);
    }

    [Fact]
    public void AManifestFaultNamesTheOptionThenTheEnginesMessage()
    {
        var fault = WorkloadManifestValidator.CheckTcpPortHealthCheck(0, HealthCheck.DefaultTimeoutSeconds)!;

        Assert.Equal("--health-port: " + fault.Message, WorkloadFieldOptions.Usage(fault).Message);
    }

    [Fact]
    public void AGoodManifestDirectoryReachesTheEngine()
    {
        var app = new CliApplication(new CliConsole(TextWriter.Null, TextWriter.Null, ErrorIsTerminal: false, Width: 100));
        var result = app.Root.Parse(["workload", "list", "h1", "--manifest-dir", "/srv/mt/manifests/", "--runtime-dir", "/run/mt"]);

        var paths = app.Paths.Read(result);

        Assert.Equal(("/srv/mt/manifests", "/run/mt"), (paths.ManifestDirectory, paths.RuntimeDirectory));
    }

    [Fact]
    public void WithoutThePathOptionsTheEnginesDefaultsAreUsed()
    {
        var app = new CliApplication(new CliConsole(TextWriter.Null, TextWriter.Null, ErrorIsTerminal: false, Width: 100));

        var paths = app.Paths.Read(app.Root.Parse(["workload", "list", "h1"]));

        Assert.Equal(WorkloadPaths.Default, paths);
    }

    private static IEnumerable<Command> Commands(Command command) => command.Subcommands.SelectMany(c => Commands(c).Prepend(c));
}
