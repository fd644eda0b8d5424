using System.Globalization;
using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Tests.Workloads;

namespace MigrationTools.Engine.Tests.Criu;

/// <summary>The image shipping scripts, run on this machine: whole streams land, cut ones never do.</summary>
public class CriuImageShipmentScriptTests
{
    [ScriptFact]
    public void AWholeStreamIsRenamedIntoPlaceWithoutTheMarker()
    {
        using var dirs = new ShipDirectories();

        var sent = LocalScript.Run(CriuImageShipment.SendScript, [dirs.Source]);
        var received = LocalScript.Run(CriuImageShipment.ReceiveScript, [dirs.Target, dirs.TargetParent], sent.Output);

        Assert.Equal(0, sent.ExitCode);
        Assert.Equal(0, received.ExitCode);
        Assert.Equal(["a.img", "b.img"], Directory.GetFiles(dirs.Target).Select(Path.GetFileName).Order());
        Assert.Equal(File.ReadAllBytes(Path.Combine(dirs.Source, "b.img")), File.ReadAllBytes(Path.Combine(dirs.Target, "b.img")));
        Assert.Equal([dirs.Target], Directory.GetDirectories(dirs.TargetParent));
    }

    [ScriptFact]
    public void AStreamCutAnywhereLeavesNothingInPlace()
    {
        using var dirs = new ShipDirectories();
        var stream = LocalScript.Run(CriuImageShipment.SendScript, [dirs.Source]).Output;

        // 2560 is where the marker's header starts (a.img: 512 + 512, b.img: 512 + 1024): tar ends quietly there.
        foreach (var length in new[] { 0, 100, 1024, 2000, 2560 })
        {
            var received = LocalScript.Run(CriuImageShipment.ReceiveScript, [dirs.Target, dirs.TargetParent], stream[..length]);

            Assert.True(received.ExitCode != 0, "a stream cut at " + length.ToString(CultureInfo.InvariantCulture) + " was accepted");
            Assert.False(Directory.Exists(dirs.Target));
            Assert.Empty(Directory.GetDirectories(dirs.TargetParent));
        }
    }

    [ScriptFact]
    public void AnEmptyImageDirectoryIsNotSent()
    {
        using var dirs = new ShipDirectories();
        var empty = Directory.CreateDirectory(Path.Combine(dirs.TargetParent, "empty")).FullName;

        var sent = LocalScript.Run(CriuImageShipment.SendScript, [empty]);

        Assert.NotEqual(0, sent.ExitCode);
        Assert.Contains("there are no images", sent.Error, StringComparison.Ordinal);
    }

    [ScriptFact]
    public void TheDumpsOwnLogAndStatisticsStayOnTheSource()
    {
        using var dirs = new ShipDirectories();
        File.WriteAllText(Path.Combine(dirs.Source, "dump.log"), "still being written");
        File.WriteAllText(Path.Combine(dirs.Source, "stats-dump"), "x");
        Directory.CreateDirectory(Path.Combine(dirs.Source, ".operations"));

        var sent = LocalScript.Run(CriuImageShipment.SendScript, [dirs.Source]);
        var received = LocalScript.Run(CriuImageShipment.ReceiveScript, [dirs.Target, dirs.TargetParent], sent.Output);

        Assert.Equal(0, received.ExitCode);
        Assert.Equal(["a.img", "b.img"], Directory.GetFileSystemEntries(dirs.Target).Select(Path.GetFileName).Order());
    }

    [ScriptFact]
    public void ImagesShippedBesideAPageServersPagesJoinThemAndCutOnesNever()
    {
        using var dirs = new ShipDirectories();
        var stream = LocalScript.Run(CriuImageShipment.SendScript, [dirs.Source]).Output;
        var noServer = LocalScript.Run(CriuImageShipment.ReceiveBesidePagesScript, [dirs.Target]);
        Directory.CreateDirectory(dirs.Target);
        File.WriteAllText(Path.Combine(dirs.Target, "pages-1.img"), "pages");

        var cut = LocalScript.Run(CriuImageShipment.ReceiveBesidePagesScript, [dirs.Target], stream[..2560]);
        Assert.Equal(["pages-1.img"], Directory.GetFileSystemEntries(dirs.Target).Select(Path.GetFileName));
        var whole = LocalScript.Run(CriuImageShipment.ReceiveBesidePagesScript, [dirs.Target], stream);

        Assert.NotEqual(0, noServer.ExitCode);
        Assert.Contains("does not exist", noServer.Error, StringComparison.Ordinal);
        Assert.NotEqual(0, cut.ExitCode);
        Assert.Equal(0, whole.ExitCode);
        Assert.Equal(["a.img", "b.img", "pages-1.img"], Directory.GetFileSystemEntries(dirs.Target).Select(Path.GetFileName).Order());
        Assert.Equal("pages", File.ReadAllText(Path.Combine(dirs.Target, "pages-1.img")));
        Assert.Equal([dirs.Target], Directory.GetDirectories(dirs.TargetParent));
    }

    [ScriptFact]
    public void AChainedDumpsImagesKeepTheirLinkToThePreviousRoundShippedWholeOrBesideThePages()
    {
        using var dirs = new ShipDirectories();
        File.CreateSymbolicLink(Path.Combine(dirs.Source, "parent"), "../images.pre-2");
        var round = Directory.CreateDirectory(dirs.Target + ".pre-2").FullName;
        File.WriteAllText(Path.Combine(round, "pages-1.img"), "round 2");
        var stream = LocalScript.Run(CriuImageShipment.SendScript, [dirs.Source]).Output;

        var whole = LocalScript.Run(CriuImageShipment.ReceiveScript, [dirs.Target, dirs.TargetParent], stream);

        Assert.Equal(0, whole.ExitCode);
        Assert.Equal("../images.pre-2", new FileInfo(Path.Combine(dirs.Target, "parent")).LinkTarget);
        Assert.Equal("round 2", File.ReadAllText(Path.Combine(dirs.Target, "parent", "pages-1.img")));

        // A page server chained to the same round made the directory and its link; the dump's own joins it.
        Directory.Delete(dirs.Target, recursive: true);
        Directory.CreateDirectory(dirs.Target);
        File.WriteAllText(Path.Combine(dirs.Target, "pages-1.img"), "dirtied pages");
        File.CreateSymbolicLink(Path.Combine(dirs.Target, "parent"), "../images.pre-2");
        var beside = LocalScript.Run(CriuImageShipment.ReceiveBesidePagesScript, [dirs.Target], stream);

        Assert.Equal(0, beside.ExitCode);
        Assert.Equal(["a.img", "b.img", "pages-1.img", "parent"], Directory.GetFileSystemEntries(dirs.Target).Select(Path.GetFileName).Order());
        Assert.Equal("../images.pre-2", new FileInfo(Path.Combine(dirs.Target, "parent")).LinkTarget);
        Assert.Equal("round 2", File.ReadAllText(Path.Combine(dirs.Target, "parent", "pages-1.img")));
        Assert.Equal(2, Directory.GetDirectories(dirs.TargetParent).Length);
    }

    private sealed class ShipDirectories : IDisposable
    {
        private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("mt-ship-");

        public ShipDirectories()
        {
            Source = Directory.CreateDirectory(Path.Combine(_root.FullName, "source")).FullName;
            TargetParent = Directory.CreateDirectory(Path.Combine(_root.FullName, "target")).FullName;
            Target = Path.Combine(TargetParent, "images");
            File.WriteAllBytes(Path.Combine(Source, "a.img"), new byte[100]);
            File.WriteAllBytes(Path.Combine(Source, "b.img"), Enumerable.Range(0, 600).Select(i => (byte)i).ToArray());
        }

        public string Source { get; }

        public string TargetParent { get; }

        public string Target { get; }

        public void Dispose() => _root.Delete(recursive: true);
    }
}
