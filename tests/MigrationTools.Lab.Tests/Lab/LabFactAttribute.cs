namespace MigrationTools.Lab.Tests.Lab;

/// <summary>
/// A test that runs on the lab. Outside CI on a machine that cannot run the lab it is skipped with the
/// reason; in CI it always runs, so a lab that cannot be built fails the run loudly.
/// </summary>
public sealed class LabFactAttribute : FactAttribute
{
    public LabFactAttribute()
    {
        if (LabEnvironment.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
