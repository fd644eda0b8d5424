using MigrationTools.Engine.Zfs;

namespace MigrationTools.Engine.Tests.Zfs;

public class DatasetNameTests
{
    public static TheoryData<string, string> Hostile
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var (name, fault) in HostileNames.Datasets)
            {
                data.Add(name, fault);
            }

            return data;
        }
    }

    [Theory]
    [InlineData("tank")]
    [InlineData("tank/workloads/web-1")]
    [InlineData("tank/a_b:c.d-e")]
    [InlineData("Pool2/X")]
    [InlineData("tank/.hidden")]
    [InlineData("tank/a..b")]
    public void AcceptsValidNames(string value)
    {
        var name = DatasetName.Parse(value);

        Assert.Equal(value, name.Value);
        Assert.Equal(value, name.ToString());
        Assert.True(DatasetName.TryParse(value, out var again));
        Assert.Equal(name, again);
    }

    [Theory]
    [MemberData(nameof(Hostile))]
    public void RefusesHostileNamesNamingTheFault(string value, string fault)
    {
        var error = Assert.Throws<ArgumentException>(() => DatasetName.Parse(value));

        Assert.Contains(fault, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", error.Message, StringComparison.Ordinal);
        Assert.False(DatasetName.TryParse(value, out var none));
        Assert.Null(none);
    }

    [Fact]
    public void TheLongestNameIs255Characters()
    {
        var longest = "tank/" + new string('a', 250);

        Assert.Equal(255, DatasetName.Parse(longest).Value.Length);
        Assert.Throws<ArgumentException>(() => DatasetName.Parse(longest + "a"));
    }

    [Fact]
    public void TryParseOfNullIsFalse()
    {
        Assert.False(DatasetName.TryParse(null, out _));
        Assert.Throws<ArgumentException>(() => DatasetName.Parse(null!));
    }

    [Fact]
    public void KnowsItsPoolParentAndLeaf()
    {
        var name = DatasetName.Parse("tank/workloads/web");

        Assert.Equal(PoolName.Parse("tank"), name.Pool);
        Assert.Equal(DatasetName.Parse("tank/workloads"), name.Parent);
        Assert.Equal("web", name.Leaf);
        Assert.Equal(["tank", "workloads", "web"], name.Components);
        Assert.False(name.IsRoot);
        Assert.True(DatasetName.Parse("tank").IsRoot);
        Assert.Null(DatasetName.Parse("tank").Parent);
    }

    [Fact]
    public void BuildsValidatedChildrenAndSnapshots()
    {
        var name = DatasetName.Parse("tank/web");

        Assert.Equal("tank/web/data", name.Child("data").Value);
        Assert.Equal("tank/web@mt-1", name.Snapshot("mt-1").Value);
        Assert.Throws<ArgumentException>(() => name.Child("a/b"));
        Assert.Throws<ArgumentException>(() => name.Child(".."));
        Assert.Throws<ArgumentException>(() => name.Child("$(id)"));
        Assert.Throws<ArgumentException>(() => name.Snapshot("a b"));
        Assert.Throws<ArgumentException>(() => name.Snapshot("x@y"));
    }

    [Fact]
    public void KnowsItsAncestors()
    {
        var web = DatasetName.Parse("tank/web");

        Assert.True(DatasetName.Parse("tank/web/data").IsSelfOrDescendantOf(web));
        Assert.True(web.IsSelfOrDescendantOf(web));
        Assert.False(DatasetName.Parse("tank/webby").IsSelfOrDescendantOf(web));
        Assert.False(DatasetName.Parse("tank").IsSelfOrDescendantOf(web));
    }

    [Fact]
    public void EqualityIsByValue()
    {
        Assert.Equal(DatasetName.Parse("tank/a"), DatasetName.Parse("tank/a"));
        Assert.NotEqual(DatasetName.Parse("tank/a"), DatasetName.Parse("tank/A"));
        Assert.Equal(DatasetName.Parse("tank/a").GetHashCode(), DatasetName.Parse("tank/a").GetHashCode());
    }
}
