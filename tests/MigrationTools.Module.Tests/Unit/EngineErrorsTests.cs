using System.Management.Automation;
using System.Reflection;
using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Journal;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Network;
using MigrationTools.Engine.Preflight;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Replication;
using MigrationTools.Engine.Transfer;
using MigrationTools.Engine.Workloads;
using MigrationTools.Engine.Zfs;
using MigrationTools.Infrastructure;
using EnginePlan = MigrationTools.Engine.Migrations.MigrationPlan;
using EngineRemoteException = MigrationTools.Engine.Remote.RemoteException;

namespace MigrationTools.Module.Tests.Unit;

/// <summary>Which identifier, category and target each engine failure is reported with.</summary>
public sealed class EngineErrorsTests
{
    public static TheoryData<Exception, string, ErrorCategory, object?> EngineFailures() => new()
    {
        { new HostKeyUnknownException("h1", "true", "Host key verification failed."), ErrorIds.HostKeyUnknown, ErrorCategory.SecurityError, "h1" },
        { new HostKeyChangedException("h1", "true", "REMOTE HOST IDENTIFICATION HAS CHANGED"), ErrorIds.HostKeyChanged, ErrorCategory.SecurityError, "h1" },
        { new AuthenticationFailedException("h2", "true", "Permission denied (publickey)."), ErrorIds.AuthenticationFailed, ErrorCategory.AuthenticationError, "h2" },
        { new ConnectionFailedException("h3", null, ConnectionFailure.Refused, "Connection refused"), ErrorIds.ConnectionFailed, ErrorCategory.ConnectionError, "h3" },
        { new SudoPasswordRequiredException("h1", "zfs list", "sudo: a password is required"), ErrorIds.SudoPasswordRequired, ErrorCategory.PermissionDenied, "h1" },
        { new SudoRuleMissingException("h1", "mt-host zfs-receive", "sudo: a password is required", "migrator", "/usr/local/libexec/migrationtools/mt-host", "zfs-receive"), ErrorIds.SudoRuleMissing, ErrorCategory.PermissionDenied, "h1" },
        { new RemoteCommandFailedException("h1", "false", 1, ""), ErrorIds.RemoteCommandFailed, ErrorCategory.InvalidOperation, "h1" },
        { new ZfsCommandException(ZfsFailure.DoesNotExist, "h1", "zfs get", 1, "dataset does not exist"), ErrorIds.ZfsCommandFailed, ErrorCategory.ObjectNotFound, "h1" },
        { new ZfsCommandException(ZfsFailure.AlreadyExists, "h1", "zfs create", 1, "already exists"), ErrorIds.ZfsCommandFailed, ErrorCategory.ResourceExists, "h1" },
        { new ZfsCommandException(ZfsFailure.Busy, "h1", "zfs destroy", 1, "dataset is busy"), ErrorIds.ZfsCommandFailed, ErrorCategory.ResourceBusy, "h1" },
        { new ZfsCommandException(ZfsFailure.Unavailable, "h1", "zfs list", 127, "zfs: not found"), ErrorIds.ZfsCommandFailed, ErrorCategory.NotInstalled, "h1" },
        { new ZfsCommandException(ZfsFailure.Other, "h1", "zfs send", 1, "odd"), ErrorIds.ZfsCommandFailed, ErrorCategory.InvalidOperation, "h1" },
        { new TransferFailedException("h1", "h2", "broken pipe", null), ErrorIds.TransferFailed, ErrorCategory.WriteError, "h1 -> h2" },
        { new CriuException("h1", CriuOperation.Dump, "criu dump", 1, "cannot dump", ""), ErrorIds.CheckpointFailed, ErrorCategory.InvalidOperation, "h1" },
        { new ServiceAddressException("The service addresses 10.0.0.80/24@eth0 could not be added on h2: interface eth0 is down.", "h2", "sh -c ...", "down"), ErrorIds.ServiceAddressFailed, ErrorCategory.ResourceUnavailable, "h2" },
        { new WorkloadException("Starting workload web", "h2", "sh -c ...", 4, "it exited at once"), ErrorIds.WorkloadOperationFailed, ErrorCategory.InvalidOperation, "h2" },
        { new EngineRemoteException("ssh could not read its configuration", "h1", null, "bad line"), ErrorIds.RemoteOperationFailed, ErrorCategory.InvalidOperation, "h1" },
        { new WorkloadManifestException("/etc/migrationtools/workloads/web.json", "$.command", "empty"), ErrorIds.WorkloadManifestInvalid, ErrorCategory.InvalidData, "/etc/migrationtools/workloads/web.json" },
        { Refused(WorkloadRefusal.NotDeclared), ErrorIds.WorkloadNotFound, ErrorCategory.ObjectNotFound, null },
        { Refused(WorkloadRefusal.AlreadyRegistered), ErrorIds.WorkloadAlreadyRegistered, ErrorCategory.ResourceExists, null },
        { Refused(WorkloadRefusal.NotStopped), ErrorIds.WorkloadRunning, ErrorCategory.InvalidOperation, null },
        { Refused(WorkloadRefusal.Frozen), ErrorIds.WorkloadFrozen, ErrorCategory.InvalidOperation, null },
        { new ReplicationRefusedException("the target has diverged"), ErrorIds.ReplicationRefused, ErrorCategory.InvalidOperation, null },
        { new MigrationRefusedException("Migration m-0123456789ab of web is Completed, so it cannot sync."), ErrorIds.MigrationRefused, ErrorCategory.InvalidOperation, null },
        { new MigrationPlanFailedException("The plan failed its checks."), ErrorIds.MigrationPlanFailed, ErrorCategory.InvalidOperation, null },
        { new MigrationFailedException("The begin phase failed."), ErrorIds.MigrationFailed, ErrorCategory.InvalidOperation, null },
        { new JournalConflictException("saved meanwhile"), ErrorIds.JournalConflict, ErrorCategory.ResourceBusy, null },
        { new JournalCorruptException("/var/lib/mt/m1.json", "not JSON.", null), ErrorIds.JournalCorrupt, ErrorCategory.InvalidData, "/var/lib/mt/m1.json" },
        { new ArgumentException("bad value"), ErrorIds.InvalidArgument, ErrorCategory.InvalidArgument, null },
        { new FormatException("printed garbage"), ErrorIds.UnexpectedOutput, ErrorCategory.InvalidResult, null },
        { new TimeoutException("too slow"), ErrorIds.OperationTimedOut, ErrorCategory.OperationTimeout, null },
        { new OperationCanceledException(), ErrorIds.OperationCancelled, ErrorCategory.OperationStopped, null },
        { new InvalidOperationException("Could not start 'ssh'"), ErrorIds.InvalidOperation, ErrorCategory.InvalidOperation, null },
        { new DivideByZeroException(), ErrorIds.UnexpectedError, ErrorCategory.NotSpecified, null },
    };

    [Theory]
    [MemberData(nameof(EngineFailures))]
    public void ClassifiesEngineFailures(Exception exception, string errorId, ErrorCategory category, object? target)
    {
        var classification = EngineErrors.Classify(exception);

        Assert.Equal(new ErrorClassification(errorId, category, target), classification);
    }

    [Fact]
    public void ARefusedPreflightTargetsThePlanWithItsFailedChecks()
    {
        var plan = new EnginePlan(
            WorkloadName.Parse("web"), "h1", "h1", null,
            [PreflightCheck.Fail(MigrationChecks.DistinctHosts, "The source and the destination are both h1.")], []);
        var refused = new MigrationRefusedException("The migration of web from h1 to h1 was refused.", plan);

        Assert.Equal(new ErrorClassification(ErrorIds.MigrationRefused, ErrorCategory.InvalidOperation, plan), EngineErrors.Classify(refused));
    }

    [Fact]
    public void AFailedPlanGivenToCarryOutIsItsOwnRefusalTargetingThePlanAndNamingItsFailedChecks()
    {
        var plan = new EnginePlan(
            WorkloadName.Parse("web"), "h1", "h1", null,
            [PreflightCheck.Fail(MigrationChecks.DistinctHosts, "The source and the destination are both h1.")], []);
        var failed = new MigrationPlanFailedException(plan);

        Assert.Equal(new ErrorClassification(ErrorIds.MigrationPlanFailed, ErrorCategory.InvalidOperation, plan), EngineErrors.Classify(failed));
        Assert.Contains("DistinctHosts: The source and the destination are both h1.", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFailedPhaseTargetsTheRecordAndTakesItsCausesCategory()
    {
        var record = Record();
        var cause = new ConnectionFailedException("h2", null, ConnectionFailure.Refused, "Connection refused");

        var failed = EngineErrors.Classify(new MigrationFailedException("The sync phase failed.", record, rolledBack: false, cause));

        Assert.Equal(new ErrorClassification(ErrorIds.MigrationFailed, ErrorCategory.ConnectionError, record), failed);
    }

    [Fact]
    public void ASwitchRolledBackByTheEngineHasItsOwnIdentifier()
    {
        var record = Record() with { State = MigrationState.Synced, LastError = "The switch of migration m-0123456789ab was rolled back." };

        var rolledBack = EngineErrors.Classify(new MigrationFailedException("rolled back", record, rolledBack: true, new TimeoutException("not healthy")));
        var cancelled = EngineErrors.Classify(new MigrationFailedException("rolled back", record, rolledBack: true, new OperationCanceledException()));

        Assert.Equal(new ErrorClassification(ErrorIds.MigrationRolledBack, ErrorCategory.OperationTimeout, record), rolledBack);
        Assert.Equal(ErrorCategory.OperationStopped, cancelled.Category);
    }

    [Fact]
    public void ASwitchRolledBackBecauseAServiceAddressCouldNotBeAddedIsResourceUnavailable()
    {
        var record = Record() with { State = MigrationState.Synced };
        var cause = new ServiceAddressException("The service addresses 10.0.0.80/24@eth0 could not be added on h2: no interface eth0.", "h2", "sh -c ...", "");

        var rolledBack = EngineErrors.Classify(new MigrationFailedException("rolled back", record, rolledBack: true, cause));

        Assert.Equal(new ErrorClassification(ErrorIds.MigrationRolledBack, ErrorCategory.ResourceUnavailable, record), rolledBack);
    }

    [Fact]
    public void TheCmdletsTargetWinsOverWhatTheExceptionNames()
    {
        var failure = new ConnectionFailedException("h1", null, ConnectionFailure.TimedOut, "");

        Assert.Equal("web on h1", EngineErrors.Classify(failure, "web on h1").TargetObject);
    }

    [Fact]
    public void AnInputErrorKeepsItsIdentifierAndTargetsTheValueGiven()
    {
        var error = new InputException(ErrorIds.InvalidWorkloadName, "Name", "bad name", "The workload name contains ' '.");

        Assert.Equal(new ErrorClassification(ErrorIds.InvalidWorkloadName, ErrorCategory.InvalidArgument, "bad name"), EngineErrors.Classify(error));
    }

    [Fact]
    public void EveryEngineExceptionTypeHasItsOwnClassification()
    {
        // A new exception type in the engine must be given an identifier here, not fall through to UnexpectedError.
        var engineExceptions = typeof(EngineRemoteException).Assembly.GetExportedTypes()
            .Where(t => typeof(Exception).IsAssignableFrom(t) && !t.IsAbstract)
            .ToArray();
        var classified = EngineFailures().Select(row => row[0].GetType()).ToHashSet();

        Assert.NotEmpty(engineExceptions);
        Assert.All(engineExceptions, t => Assert.True(classified.Contains(t), $"{t.FullName} has no row in EngineFailures."));
        Assert.All(engineExceptions, t => Assert.NotEqual(
            ErrorIds.UnexpectedError,
            EngineErrors.Classify((Exception)Activator.CreateInstance(t)!).ErrorId));
    }

    private static WorkloadRefusedException Refused(WorkloadRefusal refusal) =>
        new(refusal, "h1", WorkloadName.Parse("web"), null, "web on h1 is refused.");

    private static MigrationRecord Record() =>
        new(MigrationId.Parse("m-0123456789ab"), WorkloadName.Parse("web"), "h1", "h2", CheckpointMode.Criu, DateTimeOffset.UnixEpoch) { State = MigrationState.Begun };

    [Fact]
    public void ErrorIdentifiersAreUniqueAndUsableInAFullyQualifiedErrorId()
    {
        var values = typeof(ErrorIds).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .ToDictionary(f => f.Name, f => (string)f.GetRawConstantValue()!);

        Assert.True(values.Count >= 20, $"Only {values.Count} error identifiers were found.");
        Assert.Equal(values.Count, values.Values.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(values, pair =>
        {
            // PowerShell separates the identifier from the command's class with ','.
            Assert.Matches("^[A-Z][A-Za-z]+$", pair.Value);
            Assert.Equal(pair.Key, pair.Value);
        });
    }
}
