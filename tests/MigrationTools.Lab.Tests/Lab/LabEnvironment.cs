using System.Runtime.InteropServices;

namespace MigrationTools.Lab.Tests.Lab;

/// <summary>Whether this machine can run the lab, and where the lab's files are.</summary>
public static class LabEnvironment
{
    /// <summary>True where CI=true: the lab must run there, and its absence is a failure, not a skip.</summary>
    public static bool IsCi { get; } =
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Why lab tests cannot run here, or null when they can.</summary>
    public static string? UnavailableReason { get; } = FindUnavailableReason();

    /// <summary>The reason a lab test is skipped here, or null when it runs. In CI nothing is skipped.</summary>
    public static string? SkipReason => IsCi ? null : UnavailableReason;

    /// <summary>The repository root: the directory holding MigrationTools.sln.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The lab script.</summary>
    public static string LabScript => Path.Combine(RepositoryRoot, "tests", "lab", "lab.sh");

    /// <summary>The lab's state directory: MT_LAB_STATE, or lab.sh's default.</summary>
    public static string StateDirectory =>
        Environment.GetEnvironmentVariable("MT_LAB_STATE") is { Length: > 0 } state ? state : "/var/lib/migrationtools-lab";

    /// <summary>The lab network's service-address range and client namespace (read once the lab is up).</summary>
    public static LabNetwork Network => LabNetwork.Read(StateDirectory);

    private static string? FindUnavailableReason()
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
        {
            return "lab tests need Linux (namespaces, FUSE, CRIU); skipped on " + RuntimeInformation.OSDescription;
        }

        if (geteuid() != 0)
        {
            return "lab tests need root (the lab creates namespaces and mounts); run the tests as root to include them";
        }

        return null;
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "MigrationTools.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No MigrationTools.sln above {AppContext.BaseDirectory}.");
    }

    [DllImport("libc", SetLastError = false)]
    private static extern uint geteuid();
}
