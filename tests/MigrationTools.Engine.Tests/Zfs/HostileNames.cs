namespace MigrationTools.Engine.Tests.Zfs;

/// <summary>Text that must never pass as a ZFS or workload name, with the fault each message must name.</summary>
internal static class HostileNames
{
    public static readonly (string Name, string Fault)[] Datasets =
    [
        ("", "empty"),
        ("tank/a b", "a space"),
        ("tank/a\tb", "a tab"),
        ("tank/a\nb", "a line break"),
        ("tank/it's", "'''"),
        ("tank/\"q\"", "'\"'"),
        ("tank/$(touch x)", "'$'"),
        ("tank/`id`", "'`'"),
        ("tank/a;b", "';'"),
        ("tank/a|b", "'|'"),
        ("tank/a&b", "'&'"),
        ("tank/a>b", "'>'"),
        ("tank/*", "'*'"),
        ("tank/a\\b", "'\\'"),
        ("tank/a%b", "'%'"),
        ("tank/\u00e9t\u00e9", "'\u00e9'"),
        ("tank/a\u0000b", "U+0000"),
        ("tank/\u001b[31m", "U+001B"),
        ("tank/-rf", "begin with '-'"),
        ("-tank", "begin with '-'"),
        ("tank/..", "'..' is not allowed"),
        ("tank/.", "'.' is not allowed"),
        ("tank/../etc", "'..' is not allowed"),
        ("tank//a", "empty component"),
        ("/tank", "empty component"),
        ("tank/", "empty component"),
        ("tank@snap", "names a snapshot"),
        ("tank#mark", "names a bookmark"),
        ("1tank/a", "begin with a letter"),
        ("mirror/a", "reserved"),
        ("raidz1/a", "reserved"),
        ("spare/a", "reserved"),
        ("log/a", "reserved"),
        ("c0t0d0/a", "disk devices"),
        ("tank/" + new string('a', 251), "ZFS allows at most 255"),
    ];
}
