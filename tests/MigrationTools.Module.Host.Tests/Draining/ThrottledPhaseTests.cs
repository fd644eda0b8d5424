using System.Collections;
using System.Diagnostics;
using System.Management.Automation;
using MigrationTools.Module.Host.Tests.Fixtures;
using MigrationTools.Module.Host.Tests.Hosting;

namespace MigrationTools.Module.Host.Tests.Draining;

/// <summary>
/// -ThrottleLimit as a host sees it, on migrations recorded in a journal of the test's own whose hosts cannot be
/// reached (or never answer): every input is confirmed and run through the drain, each failure is reported while the
/// others go on, -ErrorAction Stop ends with one error naming them all, Ctrl+C ends the drain promptly, and the
/// progress is one parent bar with child bars under it, every one closed.
/// </summary>
public sealed class ThrottledPhaseTests : IDisposable
{
    private static readonly TimeSpan StopLimit = TimeSpan.FromSeconds(10);

    private readonly UnreachableHosts _hosts = new();
    private readonly ModuleSession _session = new();
    private readonly TestJournal _journal;
    private readonly string[] _ids = [NewId(), NewId(), NewId()];

    public ThrottledPhaseTests()
    {
        _journal = new TestJournal(_session);
    }

    public void Dispose()
    {
        _journal.Dispose();
        _session.Dispose();
        _hosts.Dispose();
    }

    [Fact]
    public void EachMigrationIsWrittenAsItsPhaseEnds()
    {
        // Recorded without datasets, a sync round has nothing to send: it ends Synced without reaching a host.
        Record(UnreachableHosts.Refusing);

        var result = _session.Script(
            "param($Journal, $Config) Get-Migration -JournalPath $Journal | Sync-Migration -ThrottleLimit 2 -SshConfigFile $Config -Confirm:$false",
            new Hashtable { ["Journal"] = _journal.Directory, ["Config"] = _hosts.ConfigPath });

        Assert.Empty(result.AllErrors);
        Assert.Equal(_ids.Order(StringComparer.Ordinal), result.Property("Id").Cast<string>().Order(StringComparer.Ordinal));
        Assert.All(result.Property("State"), s => Assert.Equal("Synced", s?.ToString()));
        Assert.All(result.Property("JournalPath"), p => Assert.Equal(_journal.Directory, p));
        AssertOneDrainBar("Sync-Migration: 3 migration(s) from " + UnreachableHosts.Refusing);
    }

    [Fact]
    public void EachFailureIsReportedForItsMigrationWhileTheOthersGoOn()
    {
        Record(UnreachableHosts.Refusing);

        var result = _session.Script(
            "param($Journal, $Config) Get-Migration -JournalPath $Journal | Stop-Migration -ThrottleLimit 2 -SshConfigFile $Config -Confirm:$false",
            new Hashtable { ["Journal"] = _journal.Directory, ["Config"] = _hosts.ConfigPath });

        Assert.Empty(result.Output);
        Assert.Null(result.Terminating);
        Assert.Equal(3, result.Errors.Count);
        Assert.Equal(_ids.Order(StringComparer.Ordinal), result.Errors.Select(TargetId).Order(StringComparer.Ordinal));
        AssertOneDrainBar("Stop-Migration: 3 migration(s) from " + UnreachableHosts.Refusing);
    }

    [Fact]
    public void UnderErrorActionStopTheOthersGoOnAndOneErrorNamesEveryFailure()
    {
        Record(UnreachableHosts.Refusing);

        var result = _session.Script(
            "param($Journal, $Config) Get-Migration -JournalPath $Journal | Stop-Migration -ThrottleLimit 3 -SshConfigFile $Config -Confirm:$false -ErrorAction Stop",
            new Hashtable { ["Journal"] = _journal.Directory, ["Config"] = _hosts.ConfigPath });

        // No error for each failure: one, once they have all ended (statement-terminating in the script).
        var error = Assert.Single(result.AllErrors);
        Assert.StartsWith(ErrorIds.DrainFailed + ",", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.StartsWith("3 of 3 migrations failed", error.Exception.Message, StringComparison.Ordinal);
        var failed = Assert.IsType<object[]>(error.TargetObject);
        Assert.Equal(_ids.Order(StringComparer.Ordinal), failed.Select(IdOf).Order(StringComparer.Ordinal));
        var failures = (System.Collections.IEnumerable)PSObject.AsPSObject(error.Exception).Properties["Failures"].Value;
        Assert.Equal(3, failures.Cast<Exception>().Count());
        Assert.Equal(3, CountOf("Could not connect to " + UnreachableHosts.Refusing, error.Exception.Message));
        ProgressAssert.WellFormed(_session.UI.Progress);
    }

    [Fact]
    public void WhatIfConfirmsEachMigrationAndRunsNone()
    {
        Record(UnreachableHosts.Refusing);
        var before = _journal.Snapshot();

        var result = _session.Script(
            "param($Journal, $Config) Get-Migration -JournalPath $Journal | Switch-Migration -ThrottleLimit 2 -SshConfigFile $Config -WhatIf",
            new Hashtable { ["Journal"] = _journal.Directory, ["Config"] = _hosts.ConfigPath });

        Assert.Empty(result.AllErrors);
        Assert.Equal(3, _session.UI.Lines.Count(l => l.StartsWith("What if: ", StringComparison.Ordinal)));
        Assert.Equal(before, _journal.Snapshot());
        Assert.Empty(_session.UI.Progress);
    }

    [Fact]
    public async Task StopEndsEveryRunningMigrationPromptlyAndClosesEveryBar()
    {
        Record(UnreachableHosts.Stuck);

        using var ps = _session.NewPowerShell();
        ps.AddScript("param($Journal, $Config) Get-Migration -JournalPath $Journal | Stop-Migration -ThrottleLimit 3 -SshConfigFile $Config -Confirm:$false")
            .AddParameters(new Hashtable { ["Journal"] = _journal.Directory, ["Config"] = _hosts.ConfigPath });
        var running = ps.BeginInvoke();
        try
        {
            // The default limit lets two migrations act on the stuck host at once; the third waits for a slot.
            var waiting = await WaitForAsync(() => _session.UI.Progress.Any(p => p.Record.StatusDescription.Contains("Waiting for a slot", StringComparison.Ordinal)));
            Assert.True(waiting, "No migration ever waited for a slot on the stuck host.");
            Assert.True(await WaitForAsync(() => SshProcesses.Naming(_hosts.ProxyMarker).Count > 0), "No migration ever started ssh to the stuck host.");

            var watch = Stopwatch.StartNew();
            ps.Stop();
            watch.Stop();

            Assert.True(watch.Elapsed < StopLimit, $"Stop took {watch.Elapsed}.");
            Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
        }
        finally
        {
            if (!running.IsCompleted)
            {
                ps.Stop();
            }
        }

        var parent = AssertOneDrainBar("Stop-Migration: 3 migration(s) from " + UnreachableHosts.Stuck);
        Assert.Contains(_session.UI.Progress, p => p.Record.ParentActivityId == parent && p.Record.StatusDescription.Contains("Waiting for a slot", StringComparison.Ordinal));
        Assert.Empty(await SshProcesses.WaitUntilGoneAsync(() => SshProcesses.Naming(_hosts.ProxyMarker), StopLimit));
    }

    private static int CountOf(string part, string text) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;

    private static string NewId() => "m-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>The id of the migration an error's target is (a Migration object as the phase left it).</summary>
    private static string TargetId(ErrorRecord error) => IdOf(error.TargetObject);

    private static string IdOf(object target) => (string)PSObject.AsPSObject(target).Properties["Id"].Value;

    private static async Task<bool> WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }

            await Task.Delay(50);
        }

        return true;
    }

    private void Record(string source)
    {
        foreach (var (id, workload) in _ids.Zip(["web", "api", "db"]))
        {
            _journal.Add(id, workload, source, UnreachableHosts.AlsoRefusing, ["Begun"]);
        }

        _session.UI.Clear();
    }

    /// <summary>
    /// The drain's bars: one parent under the command's activity id, named <paramref name="activity"/> at its end, and
    /// every other bar of the command a child of it; all closed. Returns the parent's id.
    /// </summary>
    private int AssertOneDrainBar(string activity)
    {
        var progress = _session.UI.Progress;
        ProgressAssert.WellFormed(progress);
        var parents = progress.Where(p => p.Record.ParentActivityId == -1).Select(p => p.ActivityId).Distinct().ToArray();
        var parent = Assert.Single(parents);
        Assert.Equal(activity, progress.Last(p => p.ActivityId == parent).Record.Activity);
        Assert.All(progress.Where(p => p.ActivityId != parent), p => Assert.Equal(parent, p.Record.ParentActivityId));
        return parent;
    }
}
