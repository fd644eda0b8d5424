using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Tests.Remote;

/// <summary>The ssh options validator: which field is wrong, whether a file is missing, and the message without .NET's parameter suffix.</summary>
public sealed class SshOptionsValidatorTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("mt-sshoptions-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public void OptionsThatCanBeUsedHaveNoFault()
    {
        Assert.Null(SshOptionsValidator.Check(SshOptions.Default));
        Assert.Null(SshOptionsValidator.Check(new SshOptions { User = "deploy", IdentityFile = File("id"), ConfigFile = File("config"), KnownHostsFile = File("known") }));
    }

    [Fact]
    public void EachMissingFileIsNamedByItsField()
    {
        var missing = Path.Combine(_directory.FullName, "absent");

        foreach (var (options, field) in new (SshOptions, SshOptionField)[]
        {
            (new SshOptions { IdentityFile = missing }, SshOptionField.IdentityFile),
            (new SshOptions { ConfigFile = missing }, SshOptionField.ConfigFile),
            (new SshOptions { KnownHostsFile = missing }, SshOptionField.KnownHostsFile),
        })
        {
            var fault = SshOptionsValidator.Check(options);

            Assert.NotNull(fault);
            Assert.Equal((field, missing, true), (fault.Field, fault.Value, fault.FileNotFound));
            Assert.StartsWith("There is no ", fault.Message, StringComparison.Ordinal);
            Assert.Contains(missing, fault.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void AValueSshCouldNotUseIsNamedByItsFieldWithoutTheParameterSuffix()
    {
        var split = File("my key");

        var path = SshOptionsValidator.Check(new SshOptions { KnownHostsFile = split });
        var user = SshOptionsValidator.Check(new SshOptions { User = "root;reboot" });
        var directory = SshOptionsValidator.Check(new SshOptions { ControlDirectory = "relative" });

        Assert.Equal((SshOptionField.KnownHostsFile, split, false), (path!.Field, path.Value, path.FileNotFound));
        Assert.Contains("ssh would split", path.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", path.Message, StringComparison.Ordinal);
        Assert.Equal((SshOptionField.User, "root;reboot"), (user!.Field, user.Value));
        Assert.Equal(SshOptionField.ControlDirectory, directory!.Field);
    }

    [Fact]
    public void AValueSshCouldNotUseIsReportedBeforeAMissingFile()
    {
        var fault = SshOptionsValidator.Check(new SshOptions { User = "-oProxyCommand=x", IdentityFile = Path.Combine(_directory.FullName, "absent") });

        Assert.Equal(SshOptionField.User, fault!.Field);
    }

    private string File(string name)
    {
        var path = Path.Combine(_directory.FullName, name);
        System.IO.File.WriteAllText(path, "");
        return path;
    }
}
