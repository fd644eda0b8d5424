using System.Text.RegularExpressions;
using MigrationTools.Engine.Hooks;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Module.Tests;

/// <summary>
/// The module and the command line bind and print; the rules for what they pass on are the engine's. A front end that
/// writes one of the engine's limits or defaults itself has a copy of a rule that can drift from the engine's, and one
/// that picks its own name from the name of the engine's parameter at fault translates a rule the engine's validators
/// already report as a typed field (<see cref="WorkloadPathField"/>, <see cref="WorkloadManifestField"/>).
/// </summary>
public sealed class FrontEndRuleTests
{
    private static readonly string[] FrontEnds = ["src/MigrationTools", "src/MigrationTools.Cli"];

    public static TheoryData<string, int> EngineLimits => new()
    {
        { "WorkloadStopTimeout.MaxSeconds", WorkloadStopTimeout.MaxSeconds },
        { "HealthCheck.MaxTimeoutSeconds", HealthCheck.MaxTimeoutSeconds },
        { "HealthCheck.MaxTcpPort", HealthCheck.MaxTcpPort },
        { "WorkloadManifest.MaxWorkingDirectoryLength", WorkloadManifest.MaxWorkingDirectoryLength },
        { "CutoverHook.MaxTimeoutSeconds", CutoverHook.MaxTimeoutSeconds },
    };

    public static TheoryData<string, string> EngineDefaults => new()
    {
        { "WorkloadPaths.DefaultManifestDirectory", WorkloadPaths.DefaultManifestDirectory },
        { "WorkloadPaths.DefaultRuntimeDirectory", WorkloadPaths.DefaultRuntimeDirectory },
    };

    // The parameters of WorkloadPaths, WorkloadManifest and HealthCheck that name what is wrong in an engine
    // exception; a front end that writes one maps ParamName to a name of its own.
    public static TheoryData<string> EngineParameterNames => new()
    {
        "manifestDirectory", "runtimeDirectory", "workingDirectory", "checkpointMode", "migrationPolicy", "timeoutSeconds", "serviceAddresses",
    };

    [Theory]
    [MemberData(nameof(EngineLimits))]
    public void NoFrontEndWritesAnEngineLimitOfItsOwn(string limit, int value)
    {
        var copies = Lines(new Regex($@"(?<![\w.]){value}(?![\w.])", RegexOptions.CultureInvariant));

        Assert.True(copies.Length == 0, $"{limit} ({value}) is written in a front end; use the engine's constant:{Environment.NewLine}{string.Join(Environment.NewLine, copies)}");
    }

    [Theory]
    [MemberData(nameof(EngineDefaults))]
    public void NoFrontEndWritesAnEngineDefaultOfItsOwn(string constant, string value)
    {
        var copies = Lines(new Regex(Regex.Escape(value), RegexOptions.CultureInvariant));

        Assert.True(copies.Length == 0, $"{constant} ({value}) is written in a front end; use the engine's constant:{Environment.NewLine}{string.Join(Environment.NewLine, copies)}");
    }

    [Theory]
    [MemberData(nameof(EngineParameterNames))]
    public void NoFrontEndWritesTheNameOfAnEngineParameter(string name)
    {
        var copies = Lines(new Regex($"\"{name}\"", RegexOptions.CultureInvariant));

        Assert.True(copies.Length == 0, $"The engine's parameter name \"{name}\" is written in a front end; map the validator's field instead:{Environment.NewLine}{string.Join(Environment.NewLine, copies)}");
    }

    [Fact]
    public void NoFrontEndChoosesANameByTheEnginesParameterName()
    {
        // Reading ParamName to cut .NET's " (Parameter 'x')" from a message is fine; comparing or looking it up is not.
        var choices = Lines(new Regex(@"ParamName\s*(==|!=|switch\b|is\s+""|is\s+\{\s*\}\s*\w+\s*&&)|TryGetValue\([^)]*ParamName", RegexOptions.CultureInvariant));

        Assert.True(choices.Length == 0, $"A front end picks a name by the engine's ParamName; map the validator's field instead:{Environment.NewLine}{string.Join(Environment.NewLine, choices)}");
    }

    [Fact]
    public void TheScanFindsWhatItLooksFor()
    {
        // The front ends do write the engine's constants by name; a scan that saw no line at all would pass everything.
        Assert.NotEmpty(Lines(new Regex(@"WorkloadPaths\.DefaultManifestDirectory", RegexOptions.CultureInvariant)));
        Assert.NotEmpty(Lines(new Regex(@"HealthCheck\.MaxTcpPort", RegexOptions.CultureInvariant)));
    }

    /// <summary>The front ends' code lines (comments left out) that match, as <c>file:line: text</c>.</summary>
    private static string[] Lines(Regex pattern) =>
        FrontEnds
            .SelectMany(frontEnd => Directory.EnumerateFiles(Path.Combine(RepositoryLayout.Root, frontEnd), "*.cs", SearchOption.AllDirectories))
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(file => File.ReadLines(file).Select((line, index) => (file, line, number: index + 1)))
            .Where(place => !place.line.TrimStart().StartsWith("//", StringComparison.Ordinal) && pattern.IsMatch(place.line))
            .Select(place => $"{Path.GetRelativePath(RepositoryLayout.Root, place.file)}:{place.number}: {place.line.Trim()}")
            .ToArray();
}
