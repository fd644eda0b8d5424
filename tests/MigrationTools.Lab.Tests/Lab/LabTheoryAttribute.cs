namespace MigrationTools.Lab.Tests.Lab;

/// <summary>A theory that runs on the lab; skipped, like <see cref="LabFactAttribute"/>, only outside CI.</summary>
public sealed class LabTheoryAttribute : TheoryAttribute
{
    public LabTheoryAttribute()
    {
        if (LabEnvironment.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
