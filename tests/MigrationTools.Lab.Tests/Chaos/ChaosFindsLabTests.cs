using MigrationTools.Lab.Tests.Lab;
using Xunit.Abstractions;

namespace MigrationTools.Lab.Tests.Chaos;

/// <summary>
/// The long campaigns' runs that once broke an invariant, replayed on every change: each fault is drawn from its seed
/// again (tests/chaos/run.sh --replay SEED runs the same), so a fix that regresses shows here and not 100 runs into a
/// long campaign. docs/reliability-campaign.md says what each found.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class ChaosFindsLabTests(LabFixture lab, ITestOutputHelper output)
{
    [LabTheory]
    // The source's sshd stopped during begin: zfs-fuse's send died on SIGPIPE holding the first snapshot, so complete never could destroy it.
    [InlineData(1903048405)]
    // The source's sshd stopped during undo, after the workload stopped on the destination: complete then left it running nowhere.
    [InlineData(1903048516)]
    // An ssh cut during begin lost the claim command's answer after it wrote the claim: no record, so the claim was left.
    [InlineData(1905048493)]
    // An ssh cut during undo failed the destination's stop as the workload ended; complete read it running and went on.
    [InlineData(1905048539)]
    public async Task ARunThatOnceBrokeAnInvariantKeepsThemAll(int seed)
    {
        var run = ChaosRun.Draw(1, seed);
        output.WriteLine(run.ToString());

        var outcome = await new ChaosCampaign(lab).RunAsync(run);

        // A replay may miss its moment on a machine of another pace: its end line says so, and it is not failed for it.
        foreach (var line in outcome.Describe())
        {
            output.WriteLine(line);
        }

        Assert.True(outcome.Violations.Count == 0, string.Join(" / ", outcome.Violations));
    }
}
