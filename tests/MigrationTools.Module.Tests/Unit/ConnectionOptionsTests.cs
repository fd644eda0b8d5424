using MigrationTools.Infrastructure;

namespace MigrationTools.Module.Tests.Unit;

/// <summary>The connection parameters mapped onto the engine's ssh options.</summary>
public sealed class ConnectionOptionsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mt-options-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void NothingGivenLeavesEverythingToSshConfig()
    {
        var options = ConnectionOptions.Create(null, null, null, null, useSudo: false);

        Assert.Null(options.User);
        Assert.Null(options.IdentityFile);
        Assert.Null(options.ConfigFile);
        Assert.False(options.UseSudo);
        Assert.True(options.Multiplexing);
    }

    [Fact]
    public void EachParameterSetsItsOption()
    {
        var key = File(("id_ed25519"));
        var config = File("ssh_config");

        var options = ConnectionOptions.Create("deploy", null, key, config, useSudo: true);

        Assert.Equal("deploy", options.User);
        Assert.Equal(key, options.IdentityFile);
        Assert.Equal(config, options.ConfigFile);
        Assert.True(options.UseSudo);
    }

    [Fact]
    public void TheCredentialGivesOnlyItsUserName()
    {
        Assert.Equal("root", ConnectionOptions.Create(null, "root", null, null, useSudo: false).User);
    }

    [Fact]
    public void UserNameAndCredentialTogetherAreRefused()
    {
        var error = Assert.Throws<InputException>(() => ConnectionOptions.Create("root", "deploy", null, null, useSudo: false));

        Assert.Equal(ErrorIds.ConflictingUserName, error.ErrorId);
        Assert.Contains("only one", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFilesAreRefusedWithTheirOwnIdentifiers()
    {
        var missing = Path.Combine(_directory, "absent");

        var key = Assert.Throws<InputException>(() => ConnectionOptions.Create(null, null, missing, null, useSudo: false));
        var config = Assert.Throws<InputException>(() => ConnectionOptions.Create(null, null, null, missing, useSudo: false));

        Assert.Equal((ErrorIds.KeyFileNotFound, "KeyFilePath", missing), (key.ErrorId, key.ParamName, key.Value));
        Assert.Equal((ErrorIds.SshConfigFileNotFound, "SshConfigFile", missing), (config.ErrorId, config.ParamName, config.Value));
    }

    [Fact]
    public void AKnownHostsFileIsPassedOnAndAMissingOneIsRefusedWithItsOwnIdentifier()
    {
        var known = File("known_hosts");
        var missing = Path.Combine(_directory, "absent");

        var options = ConnectionOptions.Create(null, null, null, null, useSudo: false, knownHostsFile: known);
        var error = Assert.Throws<InputException>(() => ConnectionOptions.Create(null, null, null, null, useSudo: false, knownHostsFile: missing));

        Assert.Equal(known, options.KnownHostsFile);
        Assert.Equal((ErrorIds.KnownHostsFileNotFound, "KnownHostsFile", missing), (error.ErrorId, error.ParamName, error.Value));
        Assert.StartsWith($"-KnownHostsFile: There is no known_hosts file at {missing}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AHostHelperIsPassedOnUnresolvedAndARelativeOneIsRefused()
    {
        var options = ConnectionOptions.Create("migrator", null, null, null, useSudo: false, hostHelper: "/opt/mt/mt-host");
        var error = Assert.Throws<InputException>(() => ConnectionOptions.Create("migrator", null, null, null, useSudo: false, hostHelper: "mt-host"));

        Assert.Equal("/opt/mt/mt-host", options.HostHelper);
        Assert.Null(ConnectionOptions.Create(null, null, null, null, useSudo: false).HostHelper);
        Assert.Equal((ErrorIds.InvalidConnectionOption, "HostHelper", (object)"mt-host"), (error.ErrorId, error.ParamName, error.Value));
        Assert.StartsWith("-HostHelper:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void APathSshWouldSplitIsRefusedNamingTheCmdletsParameter()
    {
        var key = File("my key");

        var error = Assert.Throws<InputException>(() => ConnectionOptions.Create(null, null, key, null, useSudo: false));

        Assert.Equal(ErrorIds.InvalidConnectionOption, error.ErrorId);
        Assert.Equal("KeyFilePath", error.ParamName);
        Assert.StartsWith("-KeyFilePath: IdentityFile", error.Message, StringComparison.Ordinal);
        Assert.Contains("ssh would split", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnInvalidUserNameIsRefusedBeforeAnyHostIsReached()
    {
        var error = Assert.Throws<InputException>(() => ConnectionOptions.Create("root;reboot", null, null, null, useSudo: false));

        Assert.Equal((ErrorIds.InvalidConnectionOption, "UserName"), (error.ErrorId, error.ParamName));
    }

    private string File(string name)
    {
        var path = Path.Combine(_directory, name);
        System.IO.File.WriteAllText(path, "");
        return path;
    }
}
