using System;
using System.Management.Automation;
using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Journal;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Network;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Replication;
using MigrationTools.Engine.Transfer;
using MigrationTools.Engine.Workloads;
using MigrationTools.Engine.Zfs;
using RemoteException = MigrationTools.Engine.Remote.RemoteException;

namespace MigrationTools.Infrastructure;

/// <summary>How an exception is reported: the stable error identifier, PowerShell's category and the target object.</summary>
/// <param name="ErrorId">One of <see cref="ErrorIds"/>.</param>
/// <param name="Category">The error category.</param>
/// <param name="TargetObject">What the error is about: what the cmdlet was working on, or what the exception names.</param>
internal sealed record ErrorClassification(string ErrorId, ErrorCategory Category, object? TargetObject);

/// <summary>
/// Classifies the exceptions engine calls and input checks throw. Pure: it creates no PowerShell objects, so it is
/// tested without a PowerShell runtime; <see cref="AsyncCmdlet"/> turns the result into an <see cref="ErrorRecord"/>.
/// </summary>
internal static class EngineErrors
{
    /// <summary>Classifies <paramref name="exception"/>.</summary>
    /// <param name="exception">What was thrown.</param>
    /// <param name="target">
    /// What the cmdlet was working on (such as <c>h1/web</c>); <see langword="null"/> to take what the exception
    /// names: the host of a remote failure, the file of a malformed manifest or journal, the value of an input error,
    /// the record of a failed migration phase, the preflight of a refused one.
    /// </param>
    /// <returns>The classification.</returns>
    public static ErrorClassification Classify(Exception exception, object? target = null)
    {
        if (exception is null)
        {
            throw new ArgumentNullException(nameof(exception));
        }

        var (id, category) = exception switch
        {
            InputException input => (input.ErrorId, ErrorCategory.InvalidArgument),
            HostKeyUnknownException => (ErrorIds.HostKeyUnknown, ErrorCategory.SecurityError),
            HostKeyChangedException => (ErrorIds.HostKeyChanged, ErrorCategory.SecurityError),
            AuthenticationFailedException => (ErrorIds.AuthenticationFailed, ErrorCategory.AuthenticationError),
            ConnectionFailedException => (ErrorIds.ConnectionFailed, ErrorCategory.ConnectionError),
            SudoPasswordRequiredException => (ErrorIds.SudoPasswordRequired, ErrorCategory.PermissionDenied),
            SudoRuleMissingException => (ErrorIds.SudoRuleMissing, ErrorCategory.PermissionDenied),
            RemoteCommandFailedException => (ErrorIds.RemoteCommandFailed, ErrorCategory.InvalidOperation),
            ZfsCommandException zfs => (ErrorIds.ZfsCommandFailed, CategoryOf(zfs.Failure)),
            TransferFailedException => (ErrorIds.TransferFailed, ErrorCategory.WriteError),
            CriuException => (ErrorIds.CheckpointFailed, ErrorCategory.InvalidOperation),

            // The fault is the host's network (an interface missing or down, an address ip cannot add or remove),
            // not the caller's request: the operation is sound once the host provides what it needs.
            ServiceAddressException => (ErrorIds.ServiceAddressFailed, ErrorCategory.ResourceUnavailable),
            WorkloadException => (ErrorIds.WorkloadOperationFailed, ErrorCategory.InvalidOperation),
            RemoteException => (ErrorIds.RemoteOperationFailed, ErrorCategory.InvalidOperation),
            WorkloadManifestException => (ErrorIds.WorkloadManifestInvalid, ErrorCategory.InvalidData),
            ReplicationRefusedException => (ErrorIds.ReplicationRefused, ErrorCategory.InvalidOperation),
            MigrationRefusedException => (ErrorIds.MigrationRefused, ErrorCategory.InvalidOperation),
            MigrationPlanFailedException => (ErrorIds.MigrationPlanFailed, ErrorCategory.InvalidOperation),
            MigrationFailedException failed => (failed.RolledBack ? ErrorIds.MigrationRolledBack : ErrorIds.MigrationFailed, CauseCategory(failed)),
            JournalConflictException => (ErrorIds.JournalConflict, ErrorCategory.ResourceBusy),
            JournalCorruptException => (ErrorIds.JournalCorrupt, ErrorCategory.InvalidData),
            ArgumentException => (ErrorIds.InvalidArgument, ErrorCategory.InvalidArgument),
            FormatException => (ErrorIds.UnexpectedOutput, ErrorCategory.InvalidResult),
            TimeoutException => (ErrorIds.OperationTimedOut, ErrorCategory.OperationTimeout),
            OperationCanceledException => (ErrorIds.OperationCancelled, ErrorCategory.OperationStopped),
            WorkloadRefusedException refused => Refusal(refused.Refusal),
            InvalidOperationException => (ErrorIds.InvalidOperation, ErrorCategory.InvalidOperation),
            PlatformNotSupportedException => (ErrorIds.InvalidOperation, ErrorCategory.NotImplemented),
            _ => (ErrorIds.UnexpectedError, ErrorCategory.NotSpecified),
        };

        return new ErrorClassification(id, category, target ?? TargetOf(exception));
    }

    /// <summary>What an exception itself names as the thing that failed, when it names one.</summary>
    private static object? TargetOf(Exception exception) => exception switch
    {
        InputException input => input.Value,
        RemoteException { Host.Length: > 0 } remote => remote.Host,
        WorkloadManifestException { File: { } file } => file,
        JournalCorruptException { File: { } file } => file,
        MigrationFailedException { Record: { } record } => record,
        MigrationRefusedException { Preflight: { } plan } => plan,
        MigrationPlanFailedException { Plan: { } failed } => failed,
        _ => null,
    };

    /// <summary>
    /// A failed phase's category is its cause's (a connection that broke, a stream that did not arrive, a timeout, a
    /// cancellation); the identifier alone says that it was a migration phase that failed.
    /// </summary>
    private static (string Id, ErrorCategory Category) Refusal(WorkloadRefusal refusal) => refusal switch
    {
        WorkloadRefusal.NotDeclared => (ErrorIds.WorkloadNotFound, ErrorCategory.ObjectNotFound),
        WorkloadRefusal.AlreadyRegistered => (ErrorIds.WorkloadAlreadyRegistered, ErrorCategory.ResourceExists),
        WorkloadRefusal.NotStopped => (ErrorIds.WorkloadRunning, ErrorCategory.InvalidOperation),
        _ => (ErrorIds.WorkloadFrozen, ErrorCategory.InvalidOperation),
    };

    private static ErrorCategory CauseCategory(MigrationFailedException failure) =>
        failure.InnerException is { } cause ? Classify(cause).Category : ErrorCategory.InvalidOperation;

    private static ErrorCategory CategoryOf(ZfsFailure failure) => failure switch
    {
        ZfsFailure.DoesNotExist => ErrorCategory.ObjectNotFound,
        ZfsFailure.AlreadyExists or ZfsFailure.TagAlreadyExists => ErrorCategory.ResourceExists,
        ZfsFailure.Busy => ErrorCategory.ResourceBusy,
        ZfsFailure.Unavailable => ErrorCategory.NotInstalled,
        _ => ErrorCategory.InvalidOperation,
    };
}
