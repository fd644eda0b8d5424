using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Journal;
using MigrationTools.Engine.Migrations;

namespace MigrationTools.Engine.Tests.Migrations;

/// <summary>
/// The memory transfer in the journal: the setting asked for, the move a switch under way chose (with where the source
/// serves its pages), and the method and post-copy time in the downtime parts, read back exactly; older records read.
/// </summary>
public class MemoryMoveJsonTests
{
    private const string File = "/journal/m-0123456789ab.json";

    private static MigrationRecord Moving() => SampleRecords.Full() with
    {
        Settings = SampleRecords.Full().Settings with { MemoryTransfer = MemoryTransfer.PostCopy },
        MemoryMove = new MemoryMove(MemoryTransfer.PostCopy, true, new CriuPageServer(IPAddress.Parse("10.0.7.1"), 40123)),
        DowntimeParts = new DowntimeParts { Dump = TimeSpan.FromMilliseconds(40), MemoryTransfer = MemoryTransfer.PostCopy, PostCopy = TimeSpan.FromSeconds(3.5) },
    };

    [Fact]
    public void ASwitchUnderWayReadsBackItsMoveAndTheSettingItAskedFor()
    {
        var record = Moving();

        var json = MigrationRecordJson.Serialize(record);
        var read = MigrationRecordJson.Parse(json, File);

        Assert.Equal(MemoryTransfer.PostCopy, read.Settings.MemoryTransfer);
        Assert.Equal(record.MemoryMove, read.MemoryMove);
        Assert.Equal(record.DowntimeParts, read.DowntimeParts);
        Assert.Equal(json, MigrationRecordJson.Serialize(read));
        Assert.Contains("\"lazyPagesAddress\": \"10.0.7.1\"", Encoding.UTF8.GetString(json), StringComparison.Ordinal);
    }

    [Fact]
    public void AStreamedStopAndCopyHasNoPageServerOfTheSource()
    {
        var record = Moving() with { MemoryMove = new MemoryMove(MemoryTransfer.StopAndCopy, true) };

        var read = MigrationRecordJson.Parse(MigrationRecordJson.Serialize(record), File);

        Assert.Equal(record.MemoryMove, read.MemoryMove);
        Assert.Null(read.MemoryMove!.LazyPages);
    }

    [Fact]
    public void ARecordWrittenBeforeMemoryTransfersReadsAsAutoWithNoMove()
    {
        var text = Encoding.UTF8.GetString(MigrationRecordJson.Serialize(Moving()));
        var older = Regex.Replace(text, ",\\s*\"memoryMove\": \\{[^}]*\\}", "");
        older = Regex.Replace(older, "\\s*\"memoryTransfer\": (\"\\w+\"|null),", "");
        older = Regex.Replace(older, ",\\s*\"postCopy\": [^,}\\s]+", "");
        Assert.DoesNotContain("memoryMove", older, StringComparison.Ordinal);
        Assert.DoesNotContain("memoryTransfer", older, StringComparison.Ordinal);
        Assert.DoesNotContain("postCopy", older, StringComparison.Ordinal);

        var read = MigrationRecordJson.Parse(Encoding.UTF8.GetBytes(older), File);

        Assert.Equal(MemoryTransfer.Auto, read.Settings.MemoryTransfer);
        Assert.Null(read.MemoryMove);
        Assert.Null(read.DowntimeParts!.MemoryTransfer);
        Assert.Null(read.DowntimeParts.PostCopy);
    }

    [Theory]
    [InlineData("\"method\": \"postCopy\"", "\"method\": \"auto\"", "never Auto")]
    [InlineData("\"lazyPagesAddress\": \"10.0.7.1\"", "\"lazyPagesAddress\": \"h1\"", "not an IP address")]
    [InlineData("\"lazyPagesPort\": 40123", "\"lazyPagesPort\": 70000", "lazyPagesPort")]
    public void ADamagedMoveIsNamedWithItsPath(string from, string to, string fault)
    {
        var text = Encoding.UTF8.GetString(MigrationRecordJson.Serialize(Moving()));
        Assert.Contains(from, text, StringComparison.Ordinal);

        var error = Assert.Throws<JournalCorruptException>(() =>
            MigrationRecordJson.Parse(Encoding.UTF8.GetBytes(text.Replace(from, to, StringComparison.Ordinal)), File));

        Assert.Contains("$.memoryMove", error.Message, StringComparison.Ordinal);
        Assert.Contains(fault, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SettingsThatAskForAnotherMemoryTransferAreNotEqual()
    {
        var settings = SampleRecords.Full().Settings;

        Assert.NotEqual(settings, settings with { MemoryTransfer = MemoryTransfer.StopAndCopy });
    }
}
