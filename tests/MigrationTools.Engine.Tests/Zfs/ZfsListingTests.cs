using MigrationTools.Engine.Zfs;

namespace MigrationTools.Engine.Tests.Zfs;

public class ZfsListingTests
{
    [Fact]
    public void ParsesARecordedZfsFuseTreeParentsFirstWithSnapshotsInOrder()
    {
        var listing = ZfsListing.Parse(ZfsTestData.Read("zfs-fuse-get-tree.txt"));

        Assert.Empty(listing.UnsupportedNames);
        Assert.Equal(["tank/ex2", "tank/ex2/c"], listing.Datasets.Select(d => d.Name.Value));
        var root = listing.Datasets[0];
        Assert.Equal(ZfsDatasetType.Filesystem, root.Type);
        Assert.Equal(4129446035484531605UL, root.Guid);
        Assert.Equal(170UL, root.CreateTxg);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1795305195), root.Creation);
        Assert.Equal(331776, root.Used);
        Assert.Equal(3118198784, root.Available);
        Assert.Equal(126976, root.Referenced);
        Assert.Equal("/tank/ex2", root.Mountpoint);
        Assert.True(root.Mounted);
        Assert.False(root.ReadOnly);
        Assert.Equal(["tank/ex2@1", "tank/ex2@2"], root.Snapshots.Select(s => s.Name.Value));
        Assert.Equal([6349867308751257740UL, 12905890164829588629UL], root.Snapshots.Select(s => s.Guid));
    }

    [Fact]
    public void ReadsHoldsFromUserRefs()
    {
        var listing = ZfsListing.Parse(ZfsTestData.Read("zfs-fuse-get-tree.txt"));
        var root = listing.Find(DatasetName.Parse("tank/ex2"))!;

        Assert.Equal(1, root.FindSnapshot("1")!.UserRefs);
        Assert.True(root.FindSnapshot("1")!.IsHeld);
        Assert.Equal(0, root.FindSnapshot("2")!.UserRefs);
        Assert.False(root.FindSnapshot("2")!.IsHeld);
        Assert.Null(root.FindSnapshot("3"));
        Assert.Equal(86016, root.FindSnapshot("1")!.Used);
        Assert.Equal(126976, root.FindSnapshot("1")!.Referenced);
    }

    [Fact]
    public void ReadOnlyIsThePropertyAsSetNotTheMountOverride()
    {
        // Recorded on a received copy after 'zfs set readonly=on': zfs-fuse shows "off, temporary" and refuses writes.
        var listing = ZfsListing.Parse(ZfsTestData.Read("zfs-fuse-get-readonly-copy.txt"));

        Assert.All(listing.Datasets, d => Assert.True(d.ReadOnly));
    }

    [Theory]
    [InlineData("on", "local", true)]
    [InlineData("on", "inherited from tank", true)]
    [InlineData("off", "default", false)]
    [InlineData("off", "temporary", true)]
    [InlineData("on", "temporary", false)]
    [InlineData("-", "-", false)]
    public void ReadOnlySources(string value, string source, bool expected)
    {
        var listing = ZfsListing.Parse(Dataset("tank/a", ("readonly", value, source)));

        Assert.Equal(expected, listing.Datasets[0].ReadOnly);
    }

    [Fact]
    public void ParsesOddButValidValues()
    {
        var text = string.Join("\r\n",
            Dataset("tank/v", ("type", "volume", "-"), ("mountpoint", "-", "-"), ("mounted", "-", "-"), ("guid", "18446744073709551615", "-")),
            Dataset("tank/legacy", ("mountpoint", "legacy", "local"), ("mounted", "no", "-")),
            Dataset("tank/none", ("mountpoint", "none", "local")),
            Dataset("tank/spaced", ("mountpoint", "/srv/my data\twith tab", "local"), ("compressratio", "1.00x", "-")),
            "tank/a#mark\ttype\tbookmark\t-",
            "tank/a#mark\tguid\t1\t-");

        var listing = ZfsListing.Parse(text + "\r\n\r\n");

        Assert.Equal(["tank/v", "tank/legacy", "tank/none", "tank/spaced"], listing.Datasets.Select(d => d.Name.Value));
        var volume = listing.Datasets[0];
        Assert.Equal(ZfsDatasetType.Volume, volume.Type);
        Assert.Null(volume.Mountpoint);
        Assert.False(volume.Mounted);
        Assert.Equal(ulong.MaxValue, volume.Guid);
        Assert.Equal("legacy", listing.Datasets[1].Mountpoint);
        Assert.False(listing.Datasets[1].Mounted);
        Assert.Equal("none", listing.Datasets[2].Mountpoint);
        Assert.Equal("/srv/my data\twith tab", listing.Datasets[3].Mountpoint);
    }

    [Fact]
    public void SnapshotsAreOrderedByCreateTxgAndTiesKeepZfsOrder()
    {
        var text = string.Join("\n",
            Dataset("tank/a"),
            Snapshot("tank/a@late", guid: 3, txg: 30),
            Snapshot("tank/a@same-1", guid: 4, txg: 20),
            Snapshot("tank/a@early", guid: 1, txg: 10),
            Snapshot("tank/a@same-2", guid: 5, txg: 20));

        var snapshots = ZfsListing.Parse(text).Datasets[0].Snapshots;

        Assert.Equal(["early", "same-1", "same-2", "late"], snapshots.Select(s => s.Name.ShortName));
    }

    [Fact]
    public void NamesTheEngineRefusesAreReportedNotDropped()
    {
        var text = string.Join("\n",
            Dataset("tank/a"),
            Dataset("tank/a/my data"),
            Snapshot("tank/a/my data@1", guid: 9, txg: 9),
            Snapshot("tank/a@ok", guid: 8, txg: 8));

        var listing = ZfsListing.Parse(text);

        Assert.Equal(["tank/a"], listing.Datasets.Select(d => d.Name.Value));
        Assert.Equal(["tank/a/my data", "tank/a/my data@1"], listing.UnsupportedNames);
        Assert.Single(listing.Datasets[0].Snapshots);
    }

    [Fact]
    public void EmptyOutputIsAnEmptyListing()
    {
        var listing = ZfsListing.Parse("");

        Assert.Empty(listing.Datasets);
        Assert.Empty(listing.UnsupportedNames);
        Assert.Empty(ZfsListing.Empty.Datasets);
    }

    [Theory]
    [InlineData("tank/a\tguid\t12\n", "fields")]
    [InlineData("tank/a\tguid\tabc\t-\ntank/a\ttype\tfilesystem\t-\n", "not a whole number")]
    [InlineData("tank/a\tguid\t-5\t-\ntank/a\ttype\tfilesystem\t-\n", "not a whole number")]
    public void MalformedOutputIsRefusedWithTheLineOrValue(string text, string fault)
    {
        var error = Assert.Throws<FormatException>(() => ZfsListing.Parse(text));

        Assert.Contains(fault, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HumanReadableSizesAskForParsableOutput()
    {
        var text = Dataset("tank/a", ("used", "3.5G", "-"));

        var error = Assert.Throws<FormatException>(() => ZfsListing.Parse(text));

        Assert.Contains("'3.5G'", error.Message, StringComparison.Ordinal);
        Assert.Contains("-p", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingTypeOrUnknownTypeIsRefused()
    {
        var noType = string.Join("\n", Dataset("tank/a").Split('\n').Where(l => !l.Contains("\ttype\t", StringComparison.Ordinal)));
        var odd = Dataset("tank/a", ("type", "hologram", "-"));

        Assert.Contains("no type", Assert.Throws<FormatException>(() => ZfsListing.Parse(noType)).Message, StringComparison.Ordinal);
        Assert.Contains("'hologram'", Assert.Throws<FormatException>(() => ZfsListing.Parse(odd)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASnapshotWithoutItsDatasetIsRefused()
    {
        var error = Assert.Throws<FormatException>(() => ZfsListing.Parse(Snapshot("tank/a@1", guid: 1, txg: 1)));

        Assert.Contains("tank/a@1", error.Message, StringComparison.Ordinal);
    }

    /// <summary>zfs get -H -p lines for a filesystem, with defaults that <paramref name="overrides"/> replace.</summary>
    internal static string Dataset(string name, params (string Property, string Value, string Source)[] overrides)
    {
        var properties = new List<(string Property, string Value, string Source)>
        {
            ("type", "filesystem", "-"), ("guid", "77", "-"), ("createtxg", "5", "-"), ("creation", "1795305195", "-"),
            ("used", "1000", "-"), ("available", "2000", "-"), ("referenced", "500", "-"), ("mountpoint", "/" + name, "default"),
            ("mounted", "yes", "-"), ("readonly", "off", "default"), ("userrefs", "-", "-"),
        };
        foreach (var o in overrides)
        {
            var at = properties.FindIndex(p => p.Property == o.Property);
            if (at >= 0)
            {
                properties[at] = o;
            }
            else
            {
                properties.Add(o);
            }
        }

        return string.Join("\n", properties.Select(p => $"{name}\t{p.Property}\t{p.Value}\t{p.Source}"));
    }

    internal static string Snapshot(string name, ulong guid, ulong txg, int userRefs = 0) => string.Join("\n",
        $"{name}\ttype\tsnapshot\t-",
        $"{name}\tguid\t{guid}\t-",
        $"{name}\tcreatetxg\t{txg}\t-",
        $"{name}\tcreation\t1795305195\t-",
        $"{name}\tused\t0\t-",
        $"{name}\tavailable\t-\t-",
        $"{name}\treferenced\t4096\t-",
        $"{name}\tmountpoint\t-\t-",
        $"{name}\tmounted\t-\t-",
        $"{name}\treadonly\t-\t-",
        $"{name}\tuserrefs\t{userRefs}\t-");
}
