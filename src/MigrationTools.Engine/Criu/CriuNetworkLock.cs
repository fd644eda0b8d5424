namespace MigrationTools.Engine.Criu;

/// <summary>
/// How CRIU keeps a checkpointed tree's established TCP connections silent from the dump on (<c>--network-lock</c>):
/// DROP rules for each connection's addresses and ports, which stay on the source after a dump that leaves the tree
/// stopped, until <see cref="CriuHost.ReleaseNetworkLockAsync"/> or a restore on the same host removes them.
/// </summary>
public enum CriuNetworkLock
{
    /// <summary>CRIU's default: two <c>iptables</c> rules per connection (INPUT and OUTPUT), run through the iptables tool.</summary>
    Iptables,

    /// <summary>One nftables table per dump, <c>inet CRIU-&lt;run id&gt;</c>, made through CRIU's libnftables.</summary>
    Nftables,
}
