using System.Collections.Generic;
using MigrationTools.Engine.Privilege;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Infrastructure;

/// <summary>
/// Maps the cmdlets' connection parameters onto the engine's <see cref="SshOptions"/>: <c>-UserName</c> or the
/// user name of <c>-Credential</c> (a password is never used) to <see cref="SshOptions.User"/>, <c>-KeyFilePath</c> to
/// <see cref="SshOptions.IdentityFile"/>, <c>-SshConfigFile</c> to <see cref="SshOptions.ConfigFile"/>,
/// <c>-KnownHostsFile</c> to <see cref="SshOptions.KnownHostsFile"/>, <c>-UseSudo</c> to
/// <see cref="SshOptions.UseSudo"/> and <c>-HostHelper</c> to <see cref="SshOptions.HostHelper"/>. Anything not given is left to ssh_config; the engine's validator checks the rest.
/// </summary>
internal static class ConnectionOptions
{
    // The engine names its fields; the cmdlets' users know the parameters. A missing file has an identifier of its own.
    private static readonly Dictionary<SshOptionField, (string Parameter, string MissingFileErrorId)> ParameterOf = new()
    {
        [SshOptionField.User] = ("UserName", ErrorIds.InvalidConnectionOption),
        [SshOptionField.IdentityFile] = ("KeyFilePath", ErrorIds.KeyFileNotFound),
        [SshOptionField.ConfigFile] = ("SshConfigFile", ErrorIds.SshConfigFileNotFound),
        [SshOptionField.KnownHostsFile] = ("KnownHostsFile", ErrorIds.KnownHostsFileNotFound),
    };

    /// <summary>Builds and checks the options.</summary>
    /// <param name="userName">-UserName, or <see langword="null"/>.</param>
    /// <param name="credentialUserName">The user name of -Credential, or <see langword="null"/>.</param>
    /// <param name="keyFilePath">-KeyFilePath as a full file-system path, or <see langword="null"/>.</param>
    /// <param name="sshConfigFile">-SshConfigFile as a full file-system path, or <see langword="null"/>.</param>
    /// <param name="useSudo">-UseSudo.</param>
    /// <param name="knownHostsFile">-KnownHostsFile as a full file-system path, or <see langword="null"/>.</param>
    /// <param name="hostHelper">-HostHelper, a path on the hosts, or <see langword="null"/>.</param>
    /// <returns>The engine's options.</returns>
    /// <exception cref="InputException">A parameter is invalid; its error identifier says which kind of fault.</exception>
    public static SshOptions Create(string? userName, string? credentialUserName, string? keyFilePath, string? sshConfigFile, bool useSudo, string? knownHostsFile = null, string? hostHelper = null)
    {
        if (userName is not null && credentialUserName is not null)
        {
            throw new InputException(
                ErrorIds.ConflictingUserName, "Credential", credentialUserName,
                "Both -UserName and -Credential name the remote user; give only one of them.");
        }

        // The helper runs as root through sudoers, which matches its path literally: only a plain absolute path will do.
        if (hostHelper is not null && HostPolicy.HelperPathError(hostHelper) is { } helperError)
        {
            throw new InputException(ErrorIds.InvalidConnectionOption, "HostHelper", hostHelper, helperError);
        }

        var options = new SshOptions
        {
            User = userName ?? credentialUserName,
            IdentityFile = keyFilePath,
            ConfigFile = sshConfigFile,
            KnownHostsFile = knownHostsFile,
            UseSudo = useSudo,
            HostHelper = hostHelper,
        };
        if (SshOptionsValidator.Check(options) is { } fault)
        {
            var (parameter, missingFile) = ParameterOf.TryGetValue(fault.Field, out var known) ? known : (fault.Field.ToString(), ErrorIds.InvalidConnectionOption);
            throw new InputException(fault.FileNotFound ? missingFile : ErrorIds.InvalidConnectionOption, parameter, fault.Value, fault.Message);
        }

        return options;
    }
}
