using System;
using System.Globalization;

namespace MigrationTools.Engine.Remote;

/// <summary>
/// How to reach hosts with the OpenSSH client. Anything left unset is left to the user's ssh_config;
/// host-key checking is always strict and never prompts, whatever is set here.
/// </summary>
public sealed record SshOptions
{
    /// <summary>The bulk cipher preferred when ssh_config chooses none: the fastest on hardware with AES instructions.</summary>
    internal const string DefaultBulkCipher = "aes128-gcm@openssh.com";

    /// <summary>Options that leave everything to ssh_config.</summary>
    public static SshOptions Default { get; } = new();

    /// <summary>The ssh client program: a path, or a name found on <c>PATH</c>.</summary>
    public string SshPath { get; init; } = "ssh";

    /// <summary>The remote user when the destination names none (<c>-l</c>); <see langword="null"/> leaves it to ssh_config.</summary>
    public string? User { get; init; }

    /// <summary>The private key to authenticate with (<c>-i</c>, and only that key: <c>IdentitiesOnly=yes</c>).</summary>
    public string? IdentityFile { get; init; }

    /// <summary>An ssh_config file to read instead of <c>~/.ssh/config</c> and the system one (<c>-F</c>).</summary>
    public string? ConfigFile { get; init; }

    /// <summary>A known_hosts file to check host keys against (<c>UserKnownHostsFile</c>).</summary>
    public string? KnownHostsFile { get; init; }

    /// <summary>
    /// Run remote commands through <c>sudo -n</c> when the remote user is not root: the whole command as root
    /// (<c>sudo -n sh -c …</c>), which needs an unrestricted sudoers rule. <see cref="HostHelper"/> is the least-privilege way.
    /// </summary>
    public bool UseSudo { get; init; }

    /// <summary>
    /// The path of the host helper (<c>mt-host</c>, rendered by <c>Privilege/HostHelperScript</c>) when the remote user is not root:
    /// each operation that needs root runs as <c>sudo -n -- HELPER VERB args…</c>, everything else as the login user,
    /// so sudoers allows only the helper's verbs. <see langword="null"/> (the default) leaves <see cref="UseSudo"/> in charge.
    /// A root login ignores it.
    /// </summary>
    public string? HostHelper { get; init; }

    /// <summary>
    /// How long to wait for the TCP connection and handshake. <see langword="null"/> keeps ssh_config's
    /// <c>ConnectTimeout</c>, or 15 seconds when it sets none.
    /// </summary>
    public TimeSpan? ConnectTimeout { get; init; }

    /// <summary>
    /// How often to probe an idle connection, so a dead peer is noticed (three missed probes end the connection).
    /// <see langword="null"/> keeps ssh_config's <c>ServerAliveInterval</c>, or 15 seconds when it sets none.
    /// </summary>
    public TimeSpan? KeepAliveInterval { get; init; }

    /// <summary>
    /// Share one authenticated connection per host between commands (ssh <c>ControlMaster</c>), so each
    /// command after the first costs milliseconds instead of a handshake. Replaces any <c>ControlMaster</c>/<c>ControlPath</c>
    /// of ssh_config (the engine must own the socket's directory and lifetime); false leaves them to ssh_config.
    /// Only on Linux, where the control directory's owner and mode can be verified; elsewhere it is off.
    /// </summary>
    public bool Multiplexing { get; init; } = true;

    /// <summary>
    /// A private directory (mode 0700, owned by the current user) for the control sockets. <see langword="null"/>
    /// uses <c>$XDG_RUNTIME_DIR/mt-ssh</c>, or <c>/tmp/mt-ssh-UID</c>. At most 40 characters long: socket paths are short.
    /// </summary>
    public string? ControlDirectory { get; init; }

    /// <summary>How long an idle shared connection stays open after its last command.</summary>
    public TimeSpan ControlPersist { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The cipher to ask for (<c>-c</c>) when ssh_config chooses no <c>Ciphers</c>; <see langword="null"/> never asks.
    /// </summary>
    public string? BulkCipher { get; init; } = DefaultBulkCipher;

    /// <summary>Checks every option; the message names the option, the fault and the fix.</summary>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    internal void Validate()
    {
        if (string.IsNullOrEmpty(SshPath))
        {
            throw new ArgumentException("SshPath is empty; give the ssh client's path or 'ssh'.", nameof(SshPath));
        }

        if (User is not null && SshDestination.UserError(User) is { } userError)
        {
            throw new ArgumentException(userError, nameof(User));
        }

        CheckPath(IdentityFile, nameof(IdentityFile));
        CheckPath(ConfigFile, nameof(ConfigFile));
        CheckPath(KnownHostsFile, nameof(KnownHostsFile));
        CheckPath(ControlDirectory, nameof(ControlDirectory));
        CheckDuration(ConnectTimeout, nameof(ConnectTimeout));
        CheckDuration(KeepAliveInterval, nameof(KeepAliveInterval));
        CheckDuration(ControlPersist, nameof(ControlPersist));
        if (BulkCipher is not null)
        {
            foreach (var c in BulkCipher)
            {
                var allowed = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c is '-' or '.' or '@';
                if (!allowed || BulkCipher[0] == '-')
                {
                    throw new ArgumentException(
                        $"BulkCipher {SafeText.Show(BulkCipher)} is not a cipher name; give one that 'ssh -Q cipher' lists, such as '{DefaultBulkCipher}', or null.",
                        nameof(BulkCipher));
                }
            }
        }
    }

    // ssh splits option values on whitespace and quotes, and expands '%' tokens in these paths.
    private static void CheckPath(string? path, string name)
    {
        if (path is null)
        {
            return;
        }

        if (path.Length == 0)
        {
            throw new ArgumentException($"{name} is empty; give a path or leave it null.", name);
        }

        foreach (var c in path)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c) || c is '"' or '\'' or '%' or '\\')
            {
                throw new ArgumentException(
                    $"{name} {SafeText.Show(path)} contains {SafeText.Describe(c)}, which ssh would split or expand; " +
                    "use a path without whitespace, quotes, '%' or '\\' (a symbolic link to the file will do).",
                    name);
            }
        }
    }

    private static void CheckDuration(TimeSpan? value, string name)
    {
        if (value is { } duration && (duration < TimeSpan.FromSeconds(1) || duration > TimeSpan.FromDays(1)))
        {
            throw new ArgumentException(
                $"{name} is {duration.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s; give a duration from 1 second to 1 day.", name);
        }
    }
}
