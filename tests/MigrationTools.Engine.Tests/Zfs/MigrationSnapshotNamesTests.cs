using MigrationTools.Engine.Zfs;

namespace MigrationTools.Engine.Tests.Zfs;

public class MigrationSnapshotNamesTests
{
    [Fact]
    public void FormatsTheDocumentedScheme()
    {
        var name = MigrationSnapshotNames.Format(DatasetName.Parse("tank/web"), "web-20260101", 3);

        Assert.Equal("tank/web@mt-web-20260101-3", name.Value);
        Assert.Equal("mt-abc-1", MigrationSnapshotNames.ShortName("abc", 1));
    }

    [Theory]
    [InlineData("abc", 1)]
    [InlineData("a", 2147483647)]
    [InlineData("web-1", 12)]
    [InlineData("0-0", 1)]
    [InlineData("abcdefghijabcdefghijabcdefghijabcdefghij", 7)]
    public void FormatAndParseRoundTrip(string id, int n)
    {
        var snapshot = MigrationSnapshotNames.Format(DatasetName.Parse("tank/a"), id, n);

        Assert.True(MigrationSnapshotNames.TryParse(snapshot, out var parsedId, out var parsedN));
        Assert.Equal(id, parsedId);
        Assert.Equal(n, parsedN);
        Assert.True(MigrationSnapshotNames.IsOurs(snapshot));
        Assert.True(MigrationSnapshotNames.IsOurs(snapshot, id));
        Assert.False(MigrationSnapshotNames.IsOurs(snapshot, id + "x"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("daily")]
    [InlineData("mt-")]
    [InlineData("mt-abc")]
    [InlineData("mt-abc-")]
    [InlineData("mt--1")]
    [InlineData("mt-abc-0")]
    [InlineData("mt-abc-01")]
    [InlineData("mt-abc--1")]
    [InlineData("mt-ABC-1")]
    [InlineData("mt-a_b-1")]
    [InlineData("mt-abc-1x")]
    [InlineData("mt-abc-+1")]
    [InlineData("mt-abc-99999999999")]
    [InlineData("MT-abc-1")]
    [InlineData("xmt-abc-1")]
    [InlineData("mt-abcdefghijabcdefghijabcdefghijabcdefghijk-1")]
    public void OtherNamesAreNotOurs(string shortName)
    {
        Assert.False(MigrationSnapshotNames.TryParse(shortName, out var id, out var n));
        Assert.Null(id);
        Assert.Equal(0, n);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("ABC", "'A'")]
    [InlineData("a_b", "'_'")]
    [InlineData("a b", "a space")]
    [InlineData("-abc", "begins or ends with '-'")]
    [InlineData("abc-", "begins or ends with '-'")]
    [InlineData("a$(id)", "'$'")]
    [InlineData("abcdefghijabcdefghijabcdefghijabcdefghijk", "41 characters")]
    public void InvalidMigrationIdsAreRefusedNamingTheFault(string id, string fault)
    {
        Assert.Contains(fault, MigrationSnapshotNames.MigrationIdError(id), StringComparison.Ordinal);
        var error = Assert.Throws<ArgumentException>(() => MigrationSnapshotNames.ShortName(id, 1));
        Assert.Contains(fault, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void SequenceNumbersStartAtOne(int n)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MigrationSnapshotNames.ShortName("abc", n));
    }

    [Fact]
    public void AnIdEndingInDigitsStillParsesUnambiguously()
    {
        Assert.True(MigrationSnapshotNames.TryParse("mt-web-2-15", out var id, out var n));

        Assert.Equal("web-2", id);
        Assert.Equal(15, n);
    }

    [Fact]
    public void NextSequenceIsOneAboveTheMigrationsHighest()
    {
        ZfsSnapshot[] existing =
        [
            CommonSnapshotTests.Snap("tank/a@mt-abc-1", 1, 1),
            CommonSnapshotTests.Snap("tank/a@mt-abc-7", 2, 2),
            CommonSnapshotTests.Snap("tank/a@mt-other-40", 3, 3),
            CommonSnapshotTests.Snap("tank/a@daily", 4, 4),
        ];

        Assert.Equal(8, MigrationSnapshotNames.NextSequence(existing, "abc"));
        Assert.Equal(41, MigrationSnapshotNames.NextSequence(existing, "other"));
        Assert.Equal(1, MigrationSnapshotNames.NextSequence(existing, "new"));
    }

    [Fact]
    public void AWholeNameLongerThanZfsAllowsIsRefused()
    {
        var dataset = DatasetName.Parse("tank/" + new string('a', 210));

        Assert.Throws<ArgumentException>(() => MigrationSnapshotNames.Format(dataset, new string('b', 40), 1));
    }
}
