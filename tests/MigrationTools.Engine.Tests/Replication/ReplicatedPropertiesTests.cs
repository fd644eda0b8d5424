using MigrationTools.Engine.Replication;
using MigrationTools.Engine.Zfs;

namespace MigrationTools.Engine.Tests.Replication;

/// <summary>When an incremental stream of one dataset must carry its properties: only when the copy lacks one of them.</summary>
public sealed class ReplicatedPropertiesTests
{
    private static IReadOnlyList<ZfsPropertyRow> Rows(string dataset, params string[] lines) =>
        ZfsPropertyRow.ParseAll(string.Join("\n", lines.Select(l => dataset + "\t" + l)));

    private static readonly IReadOnlyList<ZfsPropertyRow> Source = Rows(
        "tank/app",
        "compression\tlz4\tlocal",
        "readonly\toff\tlocal",
        "migrationtools:migration\tm-0123456789ab\tlocal",
        "atime\ton\tdefault",
        "quota\t0\tdefault",
        "recordsize\t131072\tinherited from tank");

    [Fact]
    public void ACopyWithEverySetPropertyNeedsNone() =>
        Assert.False(ReplicatedProperties.Differ(Source, Rows(
            "backup/app",
            "compression\tlz4\treceived",
            // Fencing keeps the copy read-only; that is no reason to send properties.
            "readonly\ton\tlocal",
            "migrationtools:migration\tm-0123456789ab\treceived",
            "atime\toff\tlocal")));

    [Theory]
    [InlineData("compression\tgzip\treceived")] // changed on the source since the last round
    [InlineData("atime\ton\tdefault")] // compression never reached the copy
    [InlineData("compression\tlz4\ttemporary")] // a mount option hides the property's own value
    public void ACopyLackingOnePropertyNeedsThemAll(string copyLine) =>
        Assert.True(ReplicatedProperties.Differ(Source, Rows(
            "backup/app", copyLine, "migrationtools:migration\tm-0123456789ab\treceived")));

    [Fact]
    public void ReceivedValuesOnTheSourceTravelToo() =>
        Assert.True(ReplicatedProperties.Differ(
            Rows("tank/app", "com.example:tier\tgold\treceived"),
            Rows("backup/app", "com.example:tier\tsilver\tlocal")));

    [Fact]
    public void DefaultAndInheritedValuesAreNotTheDatasetsOwn() =>
        Assert.False(ReplicatedProperties.Differ(
            Rows("tank/app", "atime\ton\tdefault", "recordsize\t131072\tinherited from tank"),
            Rows("backup/app", "atime\toff\tlocal")));
}
