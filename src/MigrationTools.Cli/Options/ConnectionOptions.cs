using System.CommandLine;
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
            IdentityFile = ExistingFile(result.GetValue(KeyFile), "--key-file", "the private key to log in with, or leave it out to use ssh_config and the ssh agent"),
            ConfigFile = ExistingFile(result.GetValue(SshConfig), "--ssh-config", "an existing ssh_config file, or leave it out to use ~/.ssh/config"),
            KnownHostsFile = ExistingFile(result.GetValue(KnownHosts), "--known-hosts", "an existing known_hosts file, or leave it out to use ssh_config's"),
            UseSudo = result.GetValue(Sudo),
        };

        try
        {
            // A connection checks its options when it is created and starts nothing until it is first used.
            using var probe = new SshConnection(new SshDestination("localhost"), options);
        }
        catch (ArgumentException e)
        {
            var option = e.ParamName switch
            {
                nameof(SshOptions.IdentityFile) => "--key-file",
                nameof(SshOptions.ConfigFile) => "--ssh-config",
                nameof(SshOptions.KnownHostsFile) => "--known-hosts",
                _ => "--user",
            };
            throw new UsageException($"{option}: {ValueParsers.EngineMessage(e)}", e);
        }

        return options;
    }

    // ssh would say only that it cannot read the file, and only once it tries to connect.
    private static string? ExistingFile(string? path, string option, string fix)
    {
        if (path is null)
        {
            return null;
        }

        var full = Path.GetFullPath(path);
        return File.Exists(full) ? full : throw new UsageException($"{option}: there is no file {path}; give {fix}.");
    }
}
