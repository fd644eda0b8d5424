using System;
using System.Threading.Tasks;
using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Replication;
using MigrationTools.Engine.Transfer;
using MigrationTools.Engine.Workloads;
using MigrationTools.Engine.Zfs;

namespace MigrationTools.Engine.Migrations;

/// <summary>Tells a failure of a phase's work (saved and reported) from a bug or Ctrl+C.</summary>
internal static class PhaseFailures
{
    /// <summary>Whether <paramref name="exception"/> is a failure of the work rather than a bug or Ctrl+C.</summary>
    public static bool IsFailure(Exception exception) =>
        exception is RemoteException or ZfsCommandException or TransferFailedException or ReplicationRefusedException or CriuException
            or WorkloadException or WorkloadManifestException or MigrationRefusedException or System.IO.IOException or TimeoutException
            or FormatException or InvalidOperationException
        || exception is OperationCanceledException;

    /// <summary>Waits for <paramref name="task"/> to end, whatever its outcome: a failure already being reported came first.</summary>
    public static async Task IgnoreFailureAsync(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception e) when (IsFailure(e))
        {
        }
    }
}
