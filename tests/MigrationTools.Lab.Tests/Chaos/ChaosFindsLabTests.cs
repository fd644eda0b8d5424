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
    public async Task ARunThatOnceBrokeAnInvariantKeepsThemAll(int seed)
    {
        var run = ChaosRun.Draw(1, seed);
        output.WriteLine(run.ToString());

        var outcome = await new ChaosCampaign(lab).RunAsync(run);

        foreach (var step in outcome.Steps)
        {
            output.WriteLine("  " + step);
        }

        // A replay may miss its moment on a machine of another pace; it is reported, not failed.
        output.WriteLine($"  end: {outcome.EndState}, runs on {outcome.RunsOn}; {(outcome.Landed ? "the fault struck" : "the phase ended before the fault")}");
        Assert.True(outcome.Violations.Count == 0, string.Join(" / ", outcome.Violations));
    }
}
