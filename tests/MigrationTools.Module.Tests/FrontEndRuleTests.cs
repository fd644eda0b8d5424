using System.Text.RegularExpressions;
using MigrationTools.Engine.Hooks;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Module.Tests;

/// <summary>
/// The module and the command line bind and print; the limits of what they pass on are the engine's. A front end that
/// writes one of those numbers itself has a copy of a rule that can drift from the engine's.
/// </summary>
public sealed class FrontEndRuleTests
{
    private static readonly string[] FrontEnds = ["src/MigrationTools", "src/MigrationTools.Cli"];

    public static TheoryData<string, int> EngineLimits => new()
    {
        { "WorkloadStopTimeout.MaxSeconds", WorkloadStopTimeout.MaxSeconds },
        { "HealthCheck.MaxTimeoutSeconds", HealthCheck.MaxTimeoutSeconds },
        { "CutoverHook.MaxTimeoutSeconds", CutoverHook.MaxTimeoutSeconds },
    };

    [Theory]
    [MemberData(nameof(EngineLimits))]
    public void NoFrontEndWritesAnEngineLimitOfItsOwn(string limit, int value)
    {
        var literal = new Regex($@"(?<![\w.]){value}(?![\w.])", RegexOptions.CultureInvariant);
        var copies = FrontEnds
            .SelectMany(frontEnd => Directory.EnumerateFiles(Path.Combine(RepositoryLayout.Root, frontEnd), "*.cs", SearchOption.AllDirectories))
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(file => File.ReadLines(file).Select((line, index) => (file, line, number: index + 1)))
            .Where(place => !place.line.TrimStart().StartsWith("//", StringComparison.Ordinal) && literal.IsMatch(place.line))
            .Select(place => $"{Path.GetRelativePath(RepositoryLayout.Root, place.file)}:{place.number}: {place.line.Trim()}")
            .ToArray();

        Assert.True(copies.Length == 0, $"{limit} ({value}) is written in a front end; use the engine's constant:{Environment.NewLine}{string.Join(Environment.NewLine, copies)}");
    }
}
