using System.Management.Automation;

namespace MigrationTools.Module.Host.Tests.Hosting;

/// <summary>What every command's progress must look like to a host.</summary>
internal static class ProgressAssert
{
    /// <summary>
    /// Ids are never negative, a parent is an activity of the same command, percentages are unknown (-1) or 0-100, and
    /// every activity's last record is Completed, so no bar is left on the screen.
    /// </summary>
    public static void WellFormed(IReadOnlyList<RecordedProgress> progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var activities = progress.Select(p => p.ActivityId).ToHashSet();
        foreach (var record in progress.Select(p => p.Record))
        {
            Assert.True(record.ActivityId >= 0, $"Activity id {record.ActivityId} is negative.");
            Assert.True(record.PercentComplete is -1 or (>= 0 and <= 100), $"{record.Activity}: {record.PercentComplete}% is out of range.");
            Assert.True(
                record.ParentActivityId == -1 || (record.ParentActivityId != record.ActivityId && activities.Contains(record.ParentActivityId)),
                $"{record.Activity}: parent {record.ParentActivityId} is no other activity of the command.");
        }

        foreach (var activity in progress.GroupBy(p => p.ActivityId))
        {
            var last = activity.Last().Record;
            Assert.True(last.RecordType == ProgressRecordType.Completed, $"Activity {activity.Key} ('{last.Activity}') ends with a {last.RecordType} record.");
        }
    }
}
