using MigrationTools.Engine.Workloads;

namespace MigrationTools.Engine.Tests.Workloads;

/// <summary>The rule for the hosts' workload directories: which directory is wrong, the value, and a message naming it.</summary>
public sealed class WorkloadPathsValidatorTests
{
    public static TheoryData<string?, string> BadDirectories => new()
    {
        { null, "is not an absolute path" },
        { "", "is not an absolute path" },
        { "relative/dir", "'relative/dir' is not an absolute path" },
        { "~/workloads", "is not an absolute path" },
        { "/", "is the root directory" },
        { "///", "is the root directory" },
        { "/srv/mt\nx", "contains" },
        { "/srv/\tmt", "contains" },
        { "/srv/./mt", "has a '.' component" },
        { "/run/../etc", "has a '..' component" },
        { "/srv/mt/..", "has a '..' component" },
    };

    [Fact]
    public void TheDefaultsAndOtherAbsoluteDirectoriesHaveNoFault()
    {
        Assert.Null(WorkloadPathsValidator.Check(WorkloadPaths.DefaultManifestDirectory, WorkloadPaths.DefaultRuntimeDirectory));
        Assert.Null(WorkloadPathsValidator.Check("/srv/mt/manifests/", "/run/mt"));
        Assert.Null(WorkloadPathsValidator.Check("/srv/my workloads", "/run/..mt"));
    }

    [Theory]
    [MemberData(nameof(BadDirectories))]
    public void ABadManifestDirectoryIsNamedWithItsValue(string? path, string fault)
    {
        var found = WorkloadPathsValidator.Check(path, WorkloadPaths.DefaultRuntimeDirectory);

        Assert.NotNull(found);
        Assert.Equal((WorkloadPathField.ManifestDirectory, path), (found.Field, found.Value));
        Assert.StartsWith("The manifest directory ", found.Message, StringComparison.Ordinal);
        Assert.Contains(fault, found.Message, StringComparison.Ordinal);
        Assert.EndsWith("such as " + WorkloadPaths.DefaultManifestDirectory + ".", found.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(BadDirectories))]
    public void ABadRuntimeDirectoryIsNamedWithItsValue(string? path, string fault)
    {
        var found = WorkloadPathsValidator.Check(WorkloadPaths.DefaultManifestDirectory, path);

        Assert.NotNull(found);
        Assert.Equal((WorkloadPathField.RuntimeDirectory, path), (found.Field, found.Value));
        Assert.StartsWith("The runtime directory ", found.Message, StringComparison.Ordinal);
        Assert.Contains(fault, found.Message, StringComparison.Ordinal);
        Assert.EndsWith("such as " + WorkloadPaths.DefaultRuntimeDirectory + ".", found.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WhenBothAreBadTheManifestDirectoryIsReportedFirst()
    {
        Assert.Equal(WorkloadPathField.ManifestDirectory, WorkloadPathsValidator.Check("a", "b")?.Field);
    }

    [Fact]
    public void AControlCharacterIsShownEscapedNotWrittenRaw()
    {
        var found = WorkloadPathsValidator.Check(WorkloadPathField.RuntimeDirectory, "/run/\u001b[2Jmt")!;

        Assert.DoesNotContain('\u001b', found.Message);
    }

    [Theory]
    [MemberData(nameof(BadDirectories))]
    public void TheConstructorRefusesWhatTheValidatorFaultsWithTheSameMessage(string? path, string fault)
    {
        var manifest = Assert.Throws<ArgumentException>(() => new WorkloadPaths(path!));
        var runtime = Assert.Throws<ArgumentException>(() => new WorkloadPaths(WorkloadPaths.DefaultManifestDirectory, path!));

        Assert.StartsWith(WorkloadPathsValidator.Check(WorkloadPathField.ManifestDirectory, path)!.Message, manifest.Message, StringComparison.Ordinal);
        Assert.StartsWith(WorkloadPathsValidator.Check(WorkloadPathField.RuntimeDirectory, path)!.Message, runtime.Message, StringComparison.Ordinal);
        Assert.Contains(fault, runtime.Message, StringComparison.Ordinal);
    }
}
