using MigrationTools.Engine.Zfs;

namespace MigrationTools.Engine.Tests.Zfs;

public class SnapshotNameTests
{
    [Theory]
    [InlineData("tank@1")]
    [InlineData("tank/web@mt-2026-01-01T00:00:00")]
    [InlineData("tank/web@a.b_c")]
    public void AcceptsValidSnapshots(string value)
    {
        var name = SnapshotName.Parse(value);

        Assert.Equal(value, name.Value);
        Assert.Equal(value[..value.IndexOf('@')], name.Dataset.Value);
        Assert.Equal(value[(value.IndexOf('@') + 1)..], name.ShortName);
        Assert.True(SnapshotName.TryParse(value, out _));
    }

    [Theory]
    [InlineData("tank", "no '@'")]
    [InlineData("tank@", "empty")]
    [InlineData("@snap", "empty")]
    [InlineData("tank@a@b", "more than one '@'")]
    [InlineData("tank@a/b", "may not contain '/'")]
    [InlineData("tank@a#b", "may not contain '#'")]
    [InlineData("tank@-x", "begin with '-'")]
    [InlineData("tank@..", "'..' is not allowed")]
    [InlineData("tank@a b", "a space")]
    [InlineData("tank@$(reboot)", "'$'")]
    [InlineData("tank@a\nb", "a line break")]
    [InlineData("tank/a b@x", "a space")]
    [InlineData("tank/-a@x", "begin with '-'")]
    public void RefusesInvalidSnapshots(string value, string fault)
    {
        var error = Assert.Throws<ArgumentException>(() => SnapshotName.Parse(value));

        Assert.Contains(fault, error.Message, StringComparison.Ordinal);
        Assert.False(SnapshotName.TryParse(value, out _));
    }

    [Fact]
    public void ASnapshotNameIsAtMost255CharactersInAll()
    {
        var dataset = "tank/" + new string('a', 240);

        Assert.Equal(255, SnapshotName.Parse(dataset + "@" + new string('s', 9)).Value.Length);
        Assert.Contains("255", Assert.Throws<ArgumentException>(() => SnapshotName.Parse(dataset + "@" + new string('s', 10))).Message, StringComparison.Ordinal);
    }
}
