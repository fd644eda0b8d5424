using System;
using System.Collections.Generic;
using System.IO;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Infrastructure;

/// <summary>
/// Maps the cmdlets' connection parameters onto the engine's <see cref="SshOptions"/>: <c>-UserName</c> or the
/// user name of <c>-Credential</c> (a password is never used) to <see cref="SshOptions.User"/>, <c>-KeyFilePath</c> to
/// <see cref="SshOptions.IdentityFile"/>, <c>-SshConfigFile</c> to <see cref="SshOptions.ConfigFile"/> and
/// <c>-UseSudo</c> to <see cref="SshOptions.UseSudo"/>. Anything not given is left to ssh_config.
/// </summary>
internal static class ConnectionOptions
{
    // The engine names its options; the cmdlets' users know the parameters.
    private static readonly Dictionary<string, string> ParameterOfOption = new(StringComparer.Ordinal)
    {
        [nameof(SshOptions.User)] = "UserName",
        [nameof(SshOptions.IdentityFile)] = "KeyFilePath",
        [nameof(SshOptions.ConfigFile)] = "SshConfigFile",
    };

    /// <summary>Builds and checks the options.</summary>
    /// <param name="userName">-UserName, or <see langword="null"/>.</param>
    /// <param name="credentialUserName">The user name of -Credential, or <see langword="null"/>.</param>
    /// <param name="keyFilePath">-KeyFilePath as a full file-system path, or <see langword="null"/>.</param>
    /// <param name="sshConfigFile">-SshConfigFile as a full file-system path, or <see langword="null"/>.</param>
    /// <param name="useSudo">-UseSudo.</param>
    /// <returns>The engine's options.</returns>
    /// <exception cref="InputException">A parameter is invalid; its error identifier says which kind of fault.</exception>
    public static SshOptions Create(string? userName, string? credentialUserName, string? keyFilePath, string? sshConfigFile, bool useSudo)
    {
        if (userName is not null && credentialUserName is not null)
        {
            throw new InputException(
                ErrorIds.ConflictingUserName, "Credential", credentialUserName,
                "Both -UserName and -Credential name the remote user; give only one of them.");
        }

        if (keyFilePath is not null && !File.Exists(keyFilePath))
        {
            throw new InputException(
                ErrorIds.KeyFileNotFound, "KeyFilePath", keyFilePath,
                $"There is no private key file at {keyFilePath}; give the path of the key to log in with, or leave -KeyFilePath out to use ssh_config and the ssh agent.");
        }

        if (sshConfigFile is not null && !File.Exists(sshConfigFile))
        {
            throw new InputException(
                ErrorIds.SshConfigFileNotFound, "SshConfigFile", sshConfigFile,
                $"There is no ssh_config file at {sshConfigFile}; give the path of an existing file, or leave -SshConfigFile out to use ~/.ssh/config.");
        }

        var options = new SshOptions
        {
            User = userName ?? credentialUserName,
            IdentityFile = keyFilePath,
            ConfigFile = sshConfigFile,
            UseSudo = useSudo,
        };
        Check(options);
        return options;
    }

    /// <summary>Has the engine check the options without connecting anywhere.</summary>
    private static void Check(SshOptions options)
    {
        try
        {
            // A connection checks its options when created and starts nothing until first used.
            using var probe = new SshConnection(new SshDestination("localhost"), options);
        }
        catch (ArgumentException error)
        {
            var parameter = error.ParamName is { } option && ParameterOfOption.TryGetValue(option, out var name) ? name : "UserName";
            var value = parameter switch
            {
                "KeyFilePath" => options.IdentityFile,
                "SshConfigFile" => options.ConfigFile,
                _ => options.User,
            };
            throw new InputException(ErrorIds.InvalidConnectionOption, parameter, value, InputValidation.Fault(error), error);
        }
    }
}
