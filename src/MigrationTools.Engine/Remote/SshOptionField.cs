namespace MigrationTools.Engine.Remote;

/// <summary>An option of <see cref="SshOptions"/>, as a fault names it; each member is named as its property.</summary>
public enum SshOptionField
{
    /// <summary><see cref="SshOptions.SshPath"/>.</summary>
    SshPath,

    /// <summary><see cref="SshOptions.User"/>.</summary>
    User,

    /// <summary><see cref="SshOptions.IdentityFile"/>.</summary>
    IdentityFile,

    /// <summary><see cref="SshOptions.ConfigFile"/>.</summary>
    ConfigFile,

    /// <summary><see cref="SshOptions.KnownHostsFile"/>.</summary>
    KnownHostsFile,

    /// <summary><see cref="SshOptions.ControlDirectory"/>.</summary>
    ControlDirectory,

    /// <summary><see cref="SshOptions.ConnectTimeout"/>.</summary>
    ConnectTimeout,

    /// <summary><see cref="SshOptions.KeepAliveInterval"/>.</summary>
    KeepAliveInterval,

    /// <summary><see cref="SshOptions.ControlPersist"/>.</summary>
    ControlPersist,

    /// <summary><see cref="SshOptions.BulkCipher"/>.</summary>
    BulkCipher,
}
