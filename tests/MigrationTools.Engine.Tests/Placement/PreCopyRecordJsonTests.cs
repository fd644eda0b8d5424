using System.Text;
using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Journal;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Tests.Migrations;

namespace MigrationTools.Engine.Tests.Placement;

/// <summary>Pre-copy's rounds in the journal: in the move while the switch is under way, in the downtime parts after it; older records read.</summary>
public class PreCopyRecordJsonTests
{
    private const string File = "/journal/m-0123456789ab.json";

    private static MigrationRecord PreCopied() => SampleRecords.Full() with
    {
        MemoryMove = new MemoryMove(MemoryTransfer.PreCopy, true, PreCopyPages: [262_100, 4100, -1]),
        DowntimeParts = new DowntimeParts
        {
            Dump = TimeSpan.FromMilliseconds(40),
            MemoryTransfer = MemoryTransfer.PreCopy,
            PreCopy = TimeSpan.FromSeconds(2.25),
            PreCopyPages = [262_100, 4100, 3900],
        },
    };

    [Fact]
    public void TheRoundsPagesReadBackInOrderAndWriteTheSameBytes()
    {
        var json = MigrationRecordJson.Serialize(PreCopied());

        var read = MigrationRecordJson.Parse(json, File);

        Assert.Equal([262_100L, 4100, -1], read.MemoryMove!.PreCopyPages);
        Assert.Equal((MemoryTransfer.PreCopy, true), (read.MemoryMove.Method, read.MemoryMove.Streamed));
        Assert.Equal([262_100L, 4100, 3900], read.DowntimeParts!.PreCopyPages);
        Assert.Equal(TimeSpan.FromSeconds(2.25), read.DowntimeParts.PreCopy);
        Assert.Equal(json, MigrationRecordJson.Serialize(read));
        Assert.Contains("\"preCopyPages\": [", Encoding.UTF8.GetString(json), StringComparison.Ordinal);
    }

    [Fact]
    public void RecordsWithoutRoundsWriteNoneAndReadAsBefore()
    {
        var record = PreCopied() with
        {
            MemoryMove = new MemoryMove(MemoryTransfer.PreCopy, false),
            DowntimeParts = new DowntimeParts { Dump = TimeSpan.FromMilliseconds(40), MemoryTransfer = MemoryTransfer.StopAndCopy },
        };

        var json = MigrationRecordJson.Serialize(record);
        var read = MigrationRecordJson.Parse(json, File);

        Assert.DoesNotContain("preCopyPages", Encoding.UTF8.GetString(json), StringComparison.Ordinal);
        Assert.DoesNotContain("\"preCopy\":", Encoding.UTF8.GetString(json), StringComparison.Ordinal);
        Assert.Null(read.MemoryMove!.PreCopyPages);
        Assert.Null(read.DowntimeParts!.PreCopyPages);
        Assert.Null(read.DowntimeParts.PreCopy);
    }

    [Theory]
    [InlineData("[\n      262100,", "[\n      -2,")]
    [InlineData("[\n      262100,", "[\n      \"many\",")]
    public void ADamagedPageCountIsRefused(string from, string to)
    {
        var text = Encoding.UTF8.GetString(MigrationRecordJson.Serialize(PreCopied()));
        Assert.Contains(from, text, StringComparison.Ordinal);

        Assert.Throws<JournalCorruptException>(() =>
            MigrationRecordJson.Parse(Encoding.UTF8.GetBytes(text.Replace(from, to, StringComparison.Ordinal)), File));
    }
}
