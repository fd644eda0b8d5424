using System.Collections;
using System.Diagnostics;
using System.Management.Automation;
using MigrationTools.Lab.Tests.Lab;
using MigrationTools.Module.Host.Tests.Hosting;

namespace MigrationTools.Lab.Tests.Module;

/// <summary>
/// The built module in a real PowerShell in the test process, against the lab: a live pipeline of the cmdlets, and
/// Stop() (Ctrl+C) during a real sync and switch.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class ModulePipelineLabTests(LabFixture lab)
{
    private static readonly TimeSpan SshGone = TimeSpan.FromSeconds(10);

    [LabFact]
    public async Task RegisterStartGetTestAndMoveChainThroughThePipelineAndMoveTheCounterToH2()
    {
        await using var workload = new ModuleLabWorkload(lab);
        var before = await workload.RegisterAndStartAsync();
        workload.Session.UI.Clear();

        // -ReleaseSourceBeforeRestore, for hosts that share a network, still moves the service (here on hosts that do not).
        var moved = workload.Script(
            "param($Config, $Name, $Journal) " +
            "Get-Workload -SshConfigFile $Config -ComputerName h1 -Name $Name | " +
            "Test-Migration -SshConfigFile $Config -Destination h2 -ReleaseSourceBeforeRestore -JournalPath $Journal | " +
            "Move-Workload -SshConfigFile $Config -JournalPath $Journal -Confirm:$false",
            new Hashtable { ["Config"] = workload.SshConfigPath, ["Name"] = workload.Name, ["Journal"] = workload.JournalDirectory });

        Assert.Empty(moved.AllErrors);
        var migration = Assert.Single(moved.Output);
        Assert.Equal("MigrationTools.Migration", migration.BaseObject.GetType().FullName);
        Assert.Equal("Switched", migration.Properties["State"].Value.ToString());
        Assert.Equal("h1", migration.Properties["Source"].Value);
        Assert.Equal("h2", migration.Properties["Destination"].Value);
        Assert.Equal(true, migration.Properties["ReleaseSourceBeforeRestore"].Value);
        Assert.Equal(["h2"], await workload.RunningOnAsync());
        var after = await workload.Service.WaitForServiceAsync();
        Assert.Equal(before.Token, after.Token);
        Assert.True(after.Counter >= before.Counter, $"The counter went back from {before.Counter} to {after.Counter}.");
        Assert.Empty(workload.Session.UI.Prompts);
        Assert.NotEmpty(workload.Session.UI.Progress);
        ProgressAssert.WellFormed(workload.Session.UI.Progress);

        var completed = workload.Script(
            "param($Journal, $Config) Get-Migration -JournalPath $Journal -State Switched | Complete-Migration -SshConfigFile $Config -Confirm:$false",
            new Hashtable { ["Journal"] = workload.JournalDirectory, ["Config"] = workload.SshConfigPath });

        Assert.Empty(completed.AllErrors);
        Assert.Equal("Completed", Assert.Single(completed.Output).Properties["State"].Value.ToString());
        Assert.Empty(await workload.SshLeftAsync(SshGone));
    }

    [LabFact]
    public async Task StopDuringASwitchLeavesTheCounterRunningOnExactlyOneHostAndNoSshBehind()
    {
        await using var workload = new ModuleLabWorkload(lab);
        await workload.RegisterAndStartAsync();
        var id = Begin(workload);

        var elapsed = await StopDuringAsync(workload, "Switch-Migration", id, "Switch");

        Assert.True(elapsed < TimeSpan.FromSeconds(60), $"Stop took {elapsed}.");

        // A stopped switch is rolled back (Synced, on h1) unless it had already committed (Switched, on h2).
        var state = workload.Script(
            "param($Journal, $Id) (Get-Migration -JournalPath $Journal -Id $Id).State.ToString()",
            new Hashtable { ["Journal"] = workload.JournalDirectory, ["Id"] = id });
        var expectedHost = Assert.Single(state.Output).BaseObject switch
        {
            "Synced" => "h1",
            "Switched" => "h2",
            var other => throw new Xunit.Sdk.XunitException($"The stopped switch left the migration {other}."),
        };
        Assert.Equal([expectedHost], await workload.RunningOnAsync());
        await workload.Service.WaitForServiceAsync();
        Assert.Empty(await workload.SshLeftAsync(SshGone));
        await AbortIfNotSwitchedAsync(workload, id);
    }

    [LabFact]
    public async Task StopDuringASyncLeavesTheCounterRunningOnH1AndNoSshBehind()
    {
        await using var workload = new ModuleLabWorkload(lab);
        await workload.RegisterAndStartAsync();
        var id = Begin(workload);

        // Enough new data that the round is still sending when it is stopped.
        await lab.SshCheckedAsync("h1", $"head -c 150M /dev/urandom > {workload.Service.DataDirectory}/bulk");
        var elapsed = await StopDuringAsync(workload, "Sync-Migration", id, "Sync");

        Assert.True(elapsed < TimeSpan.FromSeconds(30), $"Stop took {elapsed}.");
        Assert.Equal(["h1"], await workload.RunningOnAsync());
        await workload.Service.WaitForServiceAsync();
        Assert.Empty(await workload.SshLeftAsync(SshGone));
        await AbortIfNotSwitchedAsync(workload, id);
    }

    /// <summary>Starts the migration to h2 with Start-Migration and returns its id.</summary>
    private static string Begin(ModuleLabWorkload workload)
    {
        var begun = workload.Script(
            "param($Config, $Name, $Journal) Start-Migration -SshConfigFile $Config -ComputerName h1 -Name $Name -Destination h2 " +
            "-JournalPath $Journal -Confirm:$false",
            new Hashtable { ["Config"] = workload.SshConfigPath, ["Name"] = workload.Name, ["Journal"] = workload.JournalDirectory });
        Assert.Empty(begun.AllErrors);
        return (string)Assert.Single(begun.Output).Properties["Id"].Value;
    }

    /// <summary>
    /// Runs <paramref name="command"/> on the migration and stops the pipeline once its first progress record of
    /// <paramref name="phase"/> arrived; returns how long Stop() took.
    /// </summary>
    private static async Task<TimeSpan> StopDuringAsync(ModuleLabWorkload workload, string command, string id, string phase)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnProgress(object? sender, RecordedProgress progress)
        {
            if (progress.Record.Activity.StartsWith(phase, StringComparison.Ordinal) && !progress.IsCompleted)
            {
                started.TrySetResult();
            }
        }

        workload.Session.UI.ProgressWritten += OnProgress;
        using var ps = workload.Session.NewPowerShell();
        ps.AddCommand(command).AddParameters(workload.Common(("Id", id), ("JournalPath", workload.JournalDirectory), ("Confirm", false)));
        var running = ps.BeginInvoke();
        try
        {
            await started.Task.WaitAsync(TimeSpan.FromSeconds(60));
            Assert.False(running.IsCompleted, $"{command} ended before it could be stopped.");
            var watch = Stopwatch.StartNew();
            ps.Stop();
            watch.Stop();
            Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
            return watch.Elapsed;
        }
        finally
        {
            workload.Session.UI.ProgressWritten -= OnProgress;
            if (!running.IsCompleted)
            {
                ps.Stop();
            }
        }
    }

    /// <summary>Aborts the migration, unless the switch went through, so its holds and claim are released.</summary>
    private static async Task AbortIfNotSwitchedAsync(ModuleLabWorkload workload, string id)
    {
        var state = workload.Script(
            "param($Journal, $Id) Get-Migration -JournalPath $Journal -Id $Id",
            new Hashtable { ["Journal"] = workload.JournalDirectory, ["Id"] = id });
        if (Assert.Single(state.Output).Properties["State"].Value.ToString() is "Begun" or "Synced")
        {
            var aborted = workload.Script(
                "param($Journal, $Id, $Config) Stop-Migration -Id $Id -JournalPath $Journal -SshConfigFile $Config -Confirm:$false",
                new Hashtable { ["Journal"] = workload.JournalDirectory, ["Id"] = id, ["Config"] = workload.SshConfigPath });
            Assert.Empty(aborted.AllErrors);
            Assert.Equal(["h1"], await workload.RunningOnAsync());
        }
    }
}
