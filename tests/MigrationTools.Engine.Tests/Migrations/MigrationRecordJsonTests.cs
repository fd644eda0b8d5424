using System.Text;
using System.Text.RegularExpressions;
using MigrationTools.Engine.Journal;
using MigrationTools.Engine.Network;

namespace MigrationTools.Engine.Tests.Migrations;

/// <summary>Records written as JSON and read back exactly; damaged documents named with their fault.</summary>
public class MigrationRecordJsonTests
{
    private const string File = "/journal/m-0123456789ab.json";

    [Fact]
    public void AFullRecordRoundTripsValueByValue()
    {
        var record = SampleRecords.Full();

        var read = MigrationRecordJson.Parse(MigrationRecordJson.Serialize(record), File);

        Assert.Equal(record.Id, read.Id);
        Assert.Equal(record.Workload, read.Workload);
        Assert.Equal(record.Source, read.Source);
        Assert.Equal(record.Destination, read.Destination);
        Assert.Equal(record.State, read.State);
        Assert.Equal(record.Owner, read.Owner);
        Assert.Equal(record.CheckpointMode, read.CheckpointMode);
        Assert.Equal(record.SyncCount, read.SyncCount);
        Assert.Equal(record.BytesTransferred, read.BytesTransferred);
        Assert.Equal(record.Downtime, read.Downtime);
        Assert.Equal(record.DowntimeParts, read.DowntimeParts);
        Assert.Equal(record.CreatedAt, read.CreatedAt);
        Assert.Equal(record.CreatedAt.Offset, read.CreatedAt.Offset);
        Assert.Equal(record.UpdatedAt, read.UpdatedAt);
        Assert.Equal(record.LastError, read.LastError);
        Assert.Equal(record.Version, read.Version);
        Assert.Equal(record.Phases, read.Phases);
        Assert.Equal(record.Datasets, read.Datasets);
        Assert.Equal(record.Settings, read.Settings);
        Assert.Equal(record.ActivePhase, read.ActivePhase);
        Assert.Equal(record.CheckpointedProcess, read.CheckpointedProcess);
        Assert.Equal(MigrationRecordJson.Serialize(record), MigrationRecordJson.Serialize(read));
    }

    [Fact]
    public void SettingsThatDifferInAnyPartAreNotEqual()
    {
        var settings = SampleRecords.Full().Settings;

        Assert.NotEqual(settings, settings with { Hooks = settings.Hooks.Take(1).ToArray() });
        Assert.NotEqual(settings, settings with { Checkpoint = new Engine.Criu.CriuOptions() });
        Assert.NotEqual(settings, settings with { BandwidthLimit = null });
        Assert.Equal(settings, settings with { Hooks = settings.Hooks.ToArray() });
    }

    [Fact]
    public void AMinimalRecordRoundTrips()
    {
        var record = SampleRecords.New();

        var read = MigrationRecordJson.Parse(MigrationRecordJson.Serialize(record), File);

        Assert.Equal(MigrationRecordJson.Serialize(record), MigrationRecordJson.Serialize(read));
        Assert.Null(read.DowntimeParts);
        Assert.Empty(read.Phases);
    }

    [Fact]
    public void AnUndoLeavingTheDestinationIsKeptAndOtherRecordsDoNotMentionIt()
    {
        var leaving = SampleRecords.Full() with { LeavingDestination = true };

        var read = MigrationRecordJson.Parse(MigrationRecordJson.Serialize(leaving), File);

        Assert.True(read.LeavingDestination);
        Assert.False(MigrationRecordJson.Parse(MigrationRecordJson.Serialize(SampleRecords.Full()), File).LeavingDestination);
        Assert.DoesNotContain("leavingDestination", Encoding.UTF8.GetString(MigrationRecordJson.Serialize(SampleRecords.Full())), StringComparison.Ordinal);
    }

    [Fact]
    public void TheJsonIsReadable()
    {
        var text = Encoding.UTF8.GetString(MigrationRecordJson.Serialize(SampleRecords.Full()));

        Assert.Contains("\"state\": \"switched\"", text, StringComparison.Ordinal);
        Assert.Contains("\"checkpointMode\": \"criu\"", text, StringComparison.Ordinal);
        Assert.Contains("\"commonSnapshotGuid\": 18446744073709551615", text, StringComparison.Ordinal);
        Assert.EndsWith("}\n", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("{\"id\": \"m-0123", "not valid JSON")]
    [InlineData("[]", "Expected an object")]
    [InlineData("{}", "\"id\" is missing")]
    public void DamagedDocumentsAreNamed(string json, string fault)
    {
        var error = Assert.Throws<JournalCorruptException>(() => MigrationRecordJson.Parse(Encoding.UTF8.GetBytes(json), File));

        Assert.Contains(fault, error.Message, StringComparison.Ordinal);
        Assert.Equal(File, error.File);
        Assert.StartsWith(File + ": ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"state\": \"switched\"", "\"state\": \"sideways\"", "$.state")]
    [InlineData("\"syncCount\": 3", "\"syncCount\": -1", "$.syncCount")]
    [InlineData("\"syncCount\": 3", "\"syncCount\": 3, \"extra\": 1", "$.extra")]
    [InlineData("\"syncCount\": 3", "\"syncCount\": 3, \"syncCount\": 4", "given twice")]
    [InlineData("\"version\": 7,", "", "\"version\" is missing")]
    [InlineData("\"bytes\": 1000", "\"bytes\": \"1000\"", "$.phases[0].bytes")]
    [InlineData("\"target\": \"backup/web\"", "\"target\": \"backup//web\"", "$.datasets[0].target")]
    [InlineData("\"commonSnapshotGuid\": 18446744073709551615", "\"commonSnapshotGuid\": -5", "$.datasets[0].commonSnapshotGuid")]
    [InlineData("\"bandwidthLimit\": 52428800", "\"bandwidthLimit\": 5", "$.settings.bandwidthLimit")]
    [InlineData("\"path\": \"direct\"", "\"path\": \"carrier-pigeon\"", "$.settings.path")]
    [InlineData("\"tcpEstablished\": true", "\"tcpEstablished\": \"yes\"", "$.settings.checkpoint.tcpEstablished")]
    [InlineData("\"mnt[/data]:data\"", "\"-mnt\"", "$.settings.checkpoint.external")]
    [InlineData("\"dns-update\"", "\"A=B\"", "$.settings.hooks[1]")]
    [InlineData("\"timeoutSeconds\": 30", "\"timeoutSeconds\": 0", "$.settings.hooks[0]")]
    [InlineData("\"activePhase\": \"switch\"", "\"activePhase\": \"dance\"", "$.activePhase")]
    [InlineData("\"pid\": 4242", "\"pid\": 0", "$.checkpointedProcess.pid")]
    public void InvalidValuesAreNamedWithTheirPath(string from, string to, string fault)
    {
        var text = Encoding.UTF8.GetString(MigrationRecordJson.Serialize(SampleRecords.Full()));
        Assert.Contains(from, text, StringComparison.Ordinal);

        var error = Assert.Throws<JournalCorruptException>(() =>
            MigrationRecordJson.Parse(Encoding.UTF8.GetBytes(text.Replace(from, to, StringComparison.Ordinal)), File));

        Assert.Contains(fault, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ARecordWithServiceAddressesReadsBackEqual()
    {
        var record = SampleRecords.Full() with
        {
            ServiceAddresses = [ServiceAddress.Parse("10.0.0.80/24@eth0"), ServiceAddress.Parse("fd00::80/64@br0")],
        };

        var json = MigrationRecordJson.Serialize(record);
        var read = MigrationRecordJson.Parse(json, File);

        Assert.Contains("\"10.0.0.80/24@eth0\"", Encoding.UTF8.GetString(json), StringComparison.Ordinal);
        Assert.Equal(record.ServiceAddresses, read.ServiceAddresses);
        Assert.Equal(json, MigrationRecordJson.Serialize(read));
    }

    [Fact]
    public void ARecordWrittenBeforeServiceAddressesStillReads()
    {
        var record = SampleRecords.Full() with { ServiceAddresses = [ServiceAddress.Parse("10.0.0.80/24@eth0")] };
        var text = Encoding.UTF8.GetString(MigrationRecordJson.Serialize(record));
        var older = Regex.Replace(text, "\\s*\"serviceAddresses\": \\[[^\\]]*\\],", "");
        Assert.DoesNotContain("serviceAddresses", older, StringComparison.Ordinal);

        var read = MigrationRecordJson.Parse(Encoding.UTF8.GetBytes(older), File);

        Assert.Empty(read.ServiceAddresses);
        Assert.Equal(record.Id, read.Id);
        Assert.Equal(record.Settings, read.Settings);
    }

    [Theory]
    [InlineData("\"10.0.0.80/24@eth0\"", "\"10.0.0.80/24\"", "lacks its interface")]
    [InlineData("\"10.0.0.80/24@eth0\"", "\"127.0.0.1/8@lo\"", "loopback")]
    [InlineData("\"10.0.0.80/24@eth0\"", "80", "Expected a string")]
    public void AnInvalidServiceAddressInTheJournalIsNamedWithItsPath(string from, string to, string fault)
    {
        var record = SampleRecords.Full() with { ServiceAddresses = [ServiceAddress.Parse("10.0.0.80/24@eth0")] };
        var text = Encoding.UTF8.GetString(MigrationRecordJson.Serialize(record));

        var error = Assert.Throws<JournalCorruptException>(() =>
            MigrationRecordJson.Parse(Encoding.UTF8.GetBytes(text.Replace(from, to, StringComparison.Ordinal)), File));

        Assert.Contains("$.serviceAddresses[0]", error.Message, StringComparison.Ordinal);
        Assert.Contains(fault, error.Message, StringComparison.Ordinal);
    }
}
