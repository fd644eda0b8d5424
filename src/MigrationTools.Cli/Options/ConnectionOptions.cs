using System.CommandLine;
using MigrationTools.Engine.Privilege;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Cli.Options;

/// <summary>
/// How to reach the hosts, as the cmdlets' connection parameters say it: <c>--user</c>, <c>--key-file</c>,
/// <c>--ssh-config</c>, <c>--known-hosts</c> and <c>--sudo</c>. Anything not given is left to ssh_config; host keys
/// are always checked.
/// </summary>
internal sealed class ConnectionOptions
{
    /// <summary>The remote user when the host names none.</summary>
    public Option<string?> User { get; } = new("--user", "-l")
    {
        Description = "The remote user, when neither the host (user@host) nor ssh_config names one.",
        HelpName = "name",
    };

    /// <summary>The private key to log in with.</summary>
    public Option<string?> KeyFile { get; } = new("--key-file", "-i")
    {
        Description = "The private key to log in with (ssh -i, and only that key).",
        HelpName = "file",
    };

    /// <summary>An ssh_config file to read instead of ~/.ssh/config.</summary>
    public Option<string?> SshConfig { get; } = new("--ssh-config", "-F")
    {
        Description = "An ssh_config file to read instead of ~/.ssh/config (ssh -F).",
        HelpName = "file",
    };

    /// <summary>A known_hosts file to check host keys against.</summary>
    public Option<string?> KnownHosts { get; } = new("--known-hosts")
    {
        Description = "A known_hosts file to check host keys against, instead of ssh_config's.",
        HelpName = "file",
    };

    /// <summary>Run remote commands through sudo.</summary>
    public Option<bool> Sudo { get; } = new("--sudo")
    {
        Description = "Run remote commands through 'sudo -n' when the remote user is not root.",
    };

    /// <summary>Elevate per operation through the host helper instead of a root shell.</summary>
    public Option<string?> HostHelper { get; } = new("--host-helper")
    {
        Description = "When the remote user is not root, run each operation that needs root as 'sudo -n -- PATH VERB ...' through the host helper " +
            "installed at PATH (see 'migrationtools host helper'), and everything else as the user.",
        HelpName = "path",
        Validators =
        {
            result =>
            {
                if (result.Tokens.Count == 1 && HostPolicy.HelperPathError(result.Tokens[0].Value) is { } error)
                {
                    result.AddError("--host-helper: " + error);
                }
            },
        },
    };

    /// <summary>Adds the options to a command.</summary>
    /// <param name="command">The command.</param>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Add(User);
        command.Add(KeyFile);
        command.Add(SshConfig);
        command.Add(KnownHosts);
        command.Add(Sudo);
        command.Add(HostHelper);
    }

    /// <summary>The engine's ssh options from the command line, checked by the engine without connecting anywhere.</summary>
    /// <param name="result">The parsed command line.</param>
    /// <returns>The options.</returns>
    /// <exception cref="UsageException">A file does not exist, or the engine rejects a value; the message names the option.</exception>
    public SshOptions Read(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var options = new SshOptions
        {
            User = result.GetValue(User),
            IdentityFile = FullPath(result.GetValue(KeyFile)),
            ConfigFile = FullPath(result.GetValue(SshConfig)),
            KnownHostsFile = FullPath(result.GetValue(KnownHosts)),
            UseSudo = result.GetValue(Sudo),
            HostHelper = result.GetValue(HostHelper),
        };
        return SshOptionsValidator.Check(options) is { } fault
            ? throw new UsageException($"{OptionOf(fault.Field)}: {fault.Message}")
            : options;
    }

    // The engine names its fields; the command line's users know the options.
    private static string OptionOf(SshOptionField field) => field switch
    {
        SshOptionField.User => "--user",
        SshOptionField.IdentityFile => "--key-file",
        SshOptionField.ConfigFile => "--ssh-config",
        SshOptionField.KnownHostsFile => "--known-hosts",
        _ => field.ToString(),
    };

    private static string? FullPath(string? path) => path is null ? null : Path.GetFullPath(path);
}
