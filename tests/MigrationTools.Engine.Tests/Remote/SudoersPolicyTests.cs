using MigrationTools.Engine.Privilege;

namespace MigrationTools.Engine.Tests.Remote;

/// <summary>The sudoers rules: one per helper verb, naming only the helper, for a plainly named user.</summary>
public sealed class SudoersPolicyTests
{
    [Fact]
    public void EveryVerbGetsExactlyOneRuleThroughTheHelper()
    {
        var rules = SudoersPolicy.Render("migrator").Split('\n').Where(l => l.StartsWith("migrator ", StringComparison.Ordinal)).ToArray();

        Assert.Equal(HostVerbs.All.Count, rules.Length);
        foreach (var verb in HostVerbs.All)
        {
            Assert.Single(rules, r => (r + ",").StartsWith("migrator ALL=(root) NOPASSWD: " + HostPolicy.DefaultHelperPath + " " + verb.Name + (verb.MayTakeNoArguments ? "," : " *"), StringComparison.Ordinal));
        }
    }

    [Fact]
    public void AVerbWithoutArgumentsAllowsExactlyNoneAndTheOthersOneOrMore()
    {
        Assert.Equal(
            "migrator ALL=(root) NOPASSWD: " + HostPolicy.DefaultHelperPath + " zfs-usage",
            SudoersPolicy.Rule("migrator", HostPolicy.DefaultHelperPath, "zfs-usage"));
        Assert.Equal(
            "migrator ALL=(root) NOPASSWD: " + HostPolicy.DefaultHelperPath + " zfs-send *",
            SudoersPolicy.Rule("migrator", HostPolicy.DefaultHelperPath, "zfs-send"));
        Assert.Equal(
            "migrator ALL=(root) NOPASSWD: " + HostPolicy.DefaultHelperPath + " criu-check",
            SudoersPolicy.Rule("migrator", HostPolicy.DefaultHelperPath, "criu-check"));

        // The engine reads `zfs get` with no argument, and sudoers' "*" matches no empty argument list.
        Assert.Equal(
            "migrator ALL=(root) NOPASSWD: " + HostPolicy.DefaultHelperPath + " zfs-get, " + HostPolicy.DefaultHelperPath + " zfs-get *",
            SudoersPolicy.Rule("migrator", HostPolicy.DefaultHelperPath, "zfs-get"));
    }

    [Fact]
    public void NoRuleNamesAShellOrAProgramDirectly()
    {
        var text = SudoersPolicy.Render("migrator");

        foreach (var line in text.Split('\n').Where(l => l.Length > 0 && l[0] != '#'))
        {
            Assert.DoesNotContain(" ALL\n", line + "\n", StringComparison.Ordinal);
            Assert.DoesNotContain("/sh", line, StringComparison.Ordinal);
            Assert.DoesNotContain("/zfs", line, StringComparison.Ordinal);
            Assert.DoesNotContain("/criu", line, StringComparison.Ordinal);
        }

        Assert.Contains("Defaults:migrator !requiretty\n", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-migrator")]
    [InlineData("ALL")]
    [InlineData("mig rator")]
    [InlineData("migrator,root")]
    [InlineData("%wheel")]
    public void AUserSudoersCannotNamePlainlyIsRefused(string user)
    {
        Assert.Throws<ArgumentException>(() => SudoersPolicy.Render(user));
    }

    [Fact]
    public void TheRulesNameTheHelperWhereverItIsInstalled()
    {
        Assert.Equal("ops ALL=(root) NOPASSWD: /opt/mt/mt-host zfs-send *", SudoersPolicy.Rule("ops", "/opt/mt/mt-host", "zfs-send"));
        Assert.Throws<ArgumentException>(() => SudoersPolicy.Render("ops", "/opt/mt/mt-host *"));
        Assert.Throws<ArgumentException>(() => SudoersPolicy.Render("ops", "/opt/mt/mt-host,/bin/sh"));
    }

    [Fact]
    public void AnUnknownVerbHasNoRule()
    {
        Assert.Throws<ArgumentException>(() => SudoersPolicy.Rule("migrator", HostPolicy.DefaultHelperPath, "sh"));
    }
}
