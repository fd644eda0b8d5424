using System.Management.Automation;

namespace MigrationTools.Module.Host.Tests.Hosting;

/// <summary>A progress record as the host received it, with the id of the command that wrote it.</summary>
public sealed record RecordedProgress(long SourceId, ProgressRecord Record)
{
    public int ActivityId => Record.ActivityId;

    public bool IsCompleted => Record.RecordType == ProgressRecordType.Completed;
}
