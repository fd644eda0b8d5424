using System.Net;
using System.Text;
using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Journal;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Tests.Migrations;
using MigrationTools.Engine.Transfer;

namespace MigrationTools.Engine.Tests.Transfer;

/// <summary>The host link a switch's choice resolved, kept in the record for its dump: read back exactly; older records have none.</summary>
public class MemoryMoveLinkJsonTests
{
    private const string File = "/journal/m-0123456789ab.json";

    private static readonly HostLinkAddresses Link = new(IPAddress.Parse("10.0.7.1"), IPAddress.Parse("fd00::12"));

    private static MigrationRecord Streaming() => SampleRecords.Full() with
    {
        MemoryMove = new MemoryMove(MemoryTransfer.StopAndCopy, true, Link: Link),
    };

    [Fact]
    public void AStreamedMoveReadsBackTheLinkItsChoiceResolved()
    {
        var json = MigrationRecordJson.Serialize(Streaming());

        var read = MigrationRecordJson.Parse(json, File);

        Assert.Equal(Link, read.MemoryMove!.Link);
        Assert.Equal(json, MigrationRecordJson.Serialize(read));
        Assert.Contains("\"linkDestination\": \"fd00::12\"", Encoding.UTF8.GetString(json), StringComparison.Ordinal);
    }

    [Fact]
    public void AMoveWrittenBeforeTheLinkWasKeptReadsWithNone()
    {
        var text = Encoding.UTF8.GetString(MigrationRecordJson.Serialize(Streaming() with
        {
            MemoryMove = new MemoryMove(MemoryTransfer.PostCopy, true, new CriuPageServer(IPAddress.Parse("10.0.7.1"), 40123)),
        }));
        Assert.DoesNotContain("link", text, StringComparison.Ordinal);

        var read = MigrationRecordJson.Parse(Encoding.UTF8.GetBytes(text), File);

        Assert.Null(read.MemoryMove!.Link);
        Assert.Equal(40123, read.MemoryMove.LazyPages!.Port);
    }

    [Theory]
    [InlineData("\"linkSource\": \"10.0.7.1\"", "\"linkSource\": \"h1\"", "not an IP address")]
    [InlineData("\"linkDestination\": \"fd00::12\"", "\"linkDestination\": 12", "linkDestination")]
    public void ADamagedLinkIsNamed(string from, string to, string fault)
    {
        var text = Encoding.UTF8.GetString(MigrationRecordJson.Serialize(Streaming()));
        Assert.Contains(from, text, StringComparison.Ordinal);

        var error = Assert.Throws<JournalCorruptException>(() =>
            MigrationRecordJson.Parse(Encoding.UTF8.GetBytes(text.Replace(from, to, StringComparison.Ordinal)), File));

        Assert.Contains(fault, error.Message, StringComparison.Ordinal);
    }
}
