using System;

namespace MigrationTools.Engine.Remote;

/// <summary>
/// What a connection decided once, when it opened: the options it adds to every ssh invocation
/// beyond the caller's, because ssh_config leaves them unset.
/// </summary>
/// <param name="ControlPath">The control socket path pattern, or <see langword="null"/> without multiplexing.</param>
/// <param name="BulkCipher">The cipher to ask for with <c>-c</c>, or <see langword="null"/>.</param>
/// <param name="ConnectTimeout">The <c>ConnectTimeout</c> to set, or <see langword="null"/> to keep ssh_config's.</param>
/// <param name="KeepAliveInterval">The <c>ServerAliveInterval</c> to set, or <see langword="null"/> to keep ssh_config's.</param>
/// <param name="Elevate">Run remote commands under <c>sudo -n</c>.</param>
/// <param name="Helper">Run the stages that need root through this host helper (<see cref="HostElevation"/>), or <see langword="null"/>.</param>
/// <param name="User">The remote login user, as ssh_config resolves it.</param>
internal sealed record SshSettings(
    string? ControlPath,
    string? BulkCipher,
    TimeSpan? ConnectTimeout,
    TimeSpan? KeepAliveInterval,
    bool Elevate,
    string? Helper = null,
    string? User = null)
{
    /// <summary>Used when neither the caller nor ssh_config sets a connect timeout.</summary>
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Used when neither the caller nor ssh_config sets a keep-alive interval.</summary>
    public static readonly TimeSpan DefaultKeepAliveInterval = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Decides the settings: what the caller set explicitly wins; otherwise a value the user's ssh_config chose
    /// (it differs from ssh's built-in default) is left alone; otherwise the engine's default applies.
    /// </summary>
    /// <param name="options">The caller's options.</param>
    /// <param name="effective"><c>ssh -G</c> with the user's configuration.</param>
    /// <param name="defaults"><c>ssh -G -F /dev/null</c>: ssh's built-in defaults.</param>
    /// <param name="controlPath">The control socket path pattern, or <see langword="null"/>.</param>
    public static SshSettings Decide(SshOptions options, SshClientConfig effective, SshClientConfig defaults, string? controlPath)
    {
        var isRoot = string.Equals(effective.User, "root", StringComparison.Ordinal);
        var configChoosesCiphers = !string.Equals(effective["ciphers"], defaults["ciphers"], StringComparison.Ordinal);
        var configChoosesTimeout = !string.Equals(effective["connecttimeout"], defaults["connecttimeout"], StringComparison.Ordinal);
        var configChoosesKeepAlive = !string.Equals(effective["serveraliveinterval"], defaults["serveraliveinterval"], StringComparison.Ordinal);
        return new SshSettings(
            controlPath,
            configChoosesCiphers ? null : options.BulkCipher,
            options.ConnectTimeout ?? (configChoosesTimeout ? null : DefaultConnectTimeout),
            options.KeepAliveInterval ?? (configChoosesKeepAlive ? null : DefaultKeepAliveInterval),
            options.UseSudo && !isRoot && options.HostHelper is null,
            isRoot ? null : options.HostHelper,
            effective.User);
    }
}
