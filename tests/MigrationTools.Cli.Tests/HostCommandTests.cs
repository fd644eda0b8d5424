using MigrationTools.Engine.Privilege;

namespace MigrationTools.Cli.Tests;

/// <summary><c>host sudoers</c> and <c>host helper</c>: they print what a least-privilege host needs, and check their values first.</summary>
public sealed class HostCommandTests
{
    [Fact]
    public async Task SudoersPrintsOneRulePerVerbForTheUser()
    {
        var outcome = await CliHarness.RunAsync("host", "sudoers", "--user", "migrator");

        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal(SudoersPolicy.Render("migrator"), outcome.Out);
        Assert.Contains("migrator ALL=(root) NOPASSWD: " + HostPolicy.DefaultHelperPath + " zfs-send *\n", outcome.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SudoersNamesTheHelperWhereItIsInstalled()
    {
        var outcome = await CliHarness.RunAsync("host", "sudoers", "-u", "ops", "--helper", "/opt/mt/mt-host");

        Assert.Equal(0, outcome.ExitCode);
        Assert.Contains("ops ALL=(root) NOPASSWD: /opt/mt/mt-host zfs-send *\n", outcome.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(HostPolicy.DefaultHelperPath + " ", outcome.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("host", "sudoers")]
    [InlineData("host", "sudoers", "--user", "ALL")]
    [InlineData("host", "sudoers", "--user", "a,b")]
    [InlineData("host", "sudoers", "--user", "migrator", "--helper", "/opt/mt host")]
    [InlineData("host", "helper", "--dataset-root", "tank/../x")]
    [InlineData("host", "helper")]
    [InlineData("workload", "list", "h1", "--host-helper", "relative/mt-host")]
    [InlineData("workload", "list", "h1", "--host-helper", "/opt/mt host")]
    public async Task ABadValueIsAUsageError(params string[] args)
    {
        var outcome = await CliHarness.RunAsync(args);

        Assert.Equal(ExitCodes.Usage, outcome.ExitCode);
        Assert.Empty(outcome.Out);
        Assert.StartsWith("error: ", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HelperPrintsTheHelperForTheRoots()
    {
        var outcome = await CliHarness.RunAsync("host", "helper", "--dataset-root", "tank/apps", "--dataset-root", "backup/copies");

        Assert.Equal(0, outcome.ExitCode);
        Assert.StartsWith("#!/bin/sh\n", outcome.Out, StringComparison.Ordinal);
        Assert.Contains("in_roots() { case $1 in 'tank/apps'|'tank/apps'/*|'backup/copies'|'backup/copies'/*) return 0", outcome.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HelperListsItsVerbs()
    {
        var outcome = await CliHarness.RunAsync("host", "helper", "--list");

        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal(HostHelperScript.Listing(), outcome.Out);
        Assert.Contains("\nzfs-destroy: ", outcome.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JsonCarriesTheTextWhole()
    {
        var outcome = await CliHarness.RunAsync("host", "sudoers", "--user", "migrator", "--json");

        Assert.Equal(0, outcome.ExitCode);
        using var document = System.Text.Json.JsonDocument.Parse(outcome.Out);
        Assert.Equal("sudoers", document.RootElement.GetProperty("kind").GetString());
        Assert.Equal(SudoersPolicy.Render("migrator"), document.RootElement.GetProperty("text").GetString());
    }
}
