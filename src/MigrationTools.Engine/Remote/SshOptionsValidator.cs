using System;
using System.IO;

namespace MigrationTools.Engine.Remote;

/// <summary>
/// Checks <see cref="SshOptions"/> as a connection would, and that the files they name exist, without connecting
/// anywhere: front ends check their connection parameters with it before any host is reached, and map
/// <see cref="SshOptionFault.Field"/> to their own parameter's name.
/// </summary>
public static class SshOptionsValidator
{
    /// <summary>The first fault of <paramref name="options"/>, or <see langword="null"/> when they can be used.</summary>
    /// <param name="options">The options; paths in them are taken as given (relative to the current directory).</param>
    /// <returns>The fault, or <see langword="null"/>.</returns>
    public static SshOptionFault? Check(SshOptions options)
    {
        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }

        try
        {
            options.Validate();
        }
        catch (ArgumentException error) when (Enum.TryParse<SshOptionField>(error.ParamName, out var field))
        {
            return new SshOptionFault(field, ValueOf(options, field), WithoutParameterName(error), FileNotFound: false);
        }

        if (options.ControlDirectory is { } directory && !Path.IsPathRooted(directory))
        {
            return new SshOptionFault(
                SshOptionField.ControlDirectory, directory, $"ControlDirectory {SafeText.Show(directory)} is relative; give an absolute path.", FileNotFound: false);
        }

        return Missing(SshOptionField.IdentityFile, options.IdentityFile, "private key file", "give the path of the key to log in with, or leave it out to use ssh_config and the ssh agent")
            ?? Missing(SshOptionField.ConfigFile, options.ConfigFile, "ssh_config file", "give the path of an existing file, or leave it out to use ~/.ssh/config")
            ?? Missing(SshOptionField.KnownHostsFile, options.KnownHostsFile, "known_hosts file", "give the path of an existing file, or leave it out to use the one ssh_config names");
    }

    private static SshOptionFault? Missing(SshOptionField field, string? path, string what, string fix) =>
        path is null || File.Exists(path) ? null : new SshOptionFault(field, path, $"There is no {what} at {path}; {fix}.", FileNotFound: true);

    private static string? ValueOf(SshOptions options, SshOptionField field) => field switch
    {
        SshOptionField.SshPath => options.SshPath,
        SshOptionField.User => options.User,
        SshOptionField.IdentityFile => options.IdentityFile,
        SshOptionField.ConfigFile => options.ConfigFile,
        SshOptionField.KnownHostsFile => options.KnownHostsFile,
        SshOptionField.ControlDirectory => options.ControlDirectory,
        SshOptionField.ConnectTimeout => options.ConnectTimeout?.ToString(),
        SshOptionField.KeepAliveInterval => options.KeepAliveInterval?.ToString(),
        SshOptionField.ControlPersist => options.ControlPersist.ToString(),
        _ => options.BulkCipher,
    };

    // .NET appends " (Parameter 'x')" to the message, .NET Framework a line "Parameter name: x"; the field is carried separately.
    private static string WithoutParameterName(ArgumentException error)
    {
        foreach (var suffix in new[] { $" (Parameter '{error.ParamName}')", $"{Environment.NewLine}Parameter name: {error.ParamName}" })
        {
            var at = error.Message.IndexOf(suffix, StringComparison.Ordinal);
            if (at > 0)
            {
                return error.Message.Substring(0, at);
            }
        }

        return error.Message;
    }
}
