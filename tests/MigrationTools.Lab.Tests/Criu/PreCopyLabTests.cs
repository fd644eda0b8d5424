using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Transfer;
using MigrationTools.Lab.Tests.Lab;
using MigrationTools.Lab.Tests.Memory;
using MigrationTools.Lab.Tests.Migrations;
using Xunit.Abstractions;

namespace MigrationTools.Lab.Tests.Criu;

/// <summary>
/// Pre-copy on the lab, whose kernel does not track dirty memory: asked for, the preflight refuses it naming
/// mem_dirty_track and nothing changes; Auto picks another method and says why pre-copy was passed over.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class PreCopyLabTests(LabFixture lab, ITestOutputHelper output)
{
    [LabFact]
    public async Task PreCopyAskedForWithoutDirtyMemoryTrackingIsRefusedAndAutoPicksAnotherMethodSayingWhy()
    {
        await using var m = MemoryWorkload.Lab(lab, 16);
        await MemoryWorkload.StartAsync(m, lab);
        var asked = MigrationLab.LabSettings with { Path = TransferPath.Direct, MemoryTransfer = MemoryTransfer.PreCopy };

        var plan = await m.Engine.TestAsync(m.Request(asked));

        var check = Assert.Single(plan.Checks, c => c.Name == MigrationChecks.MemoryTransfer);
        output.WriteLine(check.Message);
        Assert.False(check.Passed);
        Assert.False(plan.Passed);
        Assert.Contains("mem_dirty_track", check.Message, StringComparison.Ordinal);
        Assert.Contains("-MemoryTransfer Auto or StopAndCopy", check.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<MigrationRefusedException>(() => m.Engine.BeginAsync(m.Request(asked)));
        Assert.Empty(m.Engine.Journal.List().Records);
        Assert.Equal("h1", await m.RunningOnAsync());

        // With post-copy ruled out too (a source ended before the restore cannot serve pages), Auto's choice shows why
        // it passed over pre-copy.
        var relayed = await m.Engine.TestAsync(m.Request(MigrationLab.LabSettings with { MemoryTransfer = MemoryTransfer.Auto, ReleaseSourceBeforeRestore = true }));
        var direct = await m.Engine.TestAsync(m.Request(MigrationLab.LabSettings with { Path = TransferPath.Direct, MemoryTransfer = MemoryTransfer.Auto }));

        output.WriteLine($"relayed: {relayed.MemoryTransfer}: {relayed.MemoryTransferReason}");
        output.WriteLine($"direct: {direct.MemoryTransfer}: {direct.MemoryTransferReason}");
        Assert.Equal(MemoryTransfer.StopAndCopy, relayed.MemoryTransfer);
        Assert.Contains("mem_dirty_track", relayed.MemoryTransferReason, StringComparison.Ordinal);
        Assert.Equal(MemoryTransfer.PostCopy, direct.MemoryTransfer);
        Assert.True(relayed.Checks.Single(c => c.Name == MigrationChecks.MemoryTransfer).Passed);
    }
}
