namespace MigrationTools;

/// <summary>
/// The error identifiers the module's cmdlets report. PowerShell appends the cmdlet's class to form the
/// <c>FullyQualifiedErrorId</c>, such as <c>WorkloadNotFound,MigrationTools.Commands.StopWorkloadCommand</c>.
/// They are a public contract: scripts match on them, so a value never changes once released.
/// </summary>
public static class ErrorIds
{
    // Reaching hosts (the engine's RemoteException family).

    /// <summary>The host's key is not in known_hosts; ssh refused to connect.</summary>
    public const string HostKeyUnknown = "HostKeyUnknown";

    /// <summary>The host's key differs from the one in known_hosts; ssh refused to connect.</summary>
    public const string HostKeyChanged = "HostKeyChanged";

    /// <summary>The host refused the login: no key offered is authorized.</summary>
    public const string AuthenticationFailed = "AuthenticationFailed";

    /// <summary>ssh could not connect: refused, unreachable, unresolvable, timed out or closed.</summary>
    public const string ConnectionFailed = "ConnectionFailed";

    /// <summary>sudo on the host wants a password; the engine runs it non-interactively.</summary>
    public const string SudoPasswordRequired = "SudoPasswordRequired";

    /// <summary>sudo on the host refused a host helper verb: the login user's sudoers policy has no rule for it.</summary>
    public const string SudoRuleMissing = "SudoRuleMissing";

    /// <summary>A command on the host exited with a non-zero status.</summary>
    public const string RemoteCommandFailed = "RemoteCommandFailed";

    /// <summary>Reaching or using a host failed in another way, such as an ssh_config ssh cannot read.</summary>
    public const string RemoteOperationFailed = "RemoteOperationFailed";

    /// <summary>A <c>zfs</c> command failed on a host.</summary>
    public const string ZfsCommandFailed = "ZfsCommandFailed";

    /// <summary>A stream from one host to another did not arrive whole.</summary>
    public const string TransferFailed = "TransferFailed";

    /// <summary>A CRIU check, dump or restore failed on a host.</summary>
    public const string CheckpointFailed = "CheckpointFailed";

    /// <summary>
    /// A service address could not be inspected, added or removed on a host: its interface is missing or down, or
    /// <c>ip</c> failed. The message names the addresses, the host and the fix.
    /// </summary>
    public const string ServiceAddressFailed = "ServiceAddressFailed";

    /// <summary>A replication was refused before anything changed (diverged target, unrelated data, missing source).</summary>
    public const string ReplicationRefused = "ReplicationRefused";

    // Workloads.

    /// <summary>A workload manifest on a host is malformed; the error names the file and the fault.</summary>
    public const string WorkloadManifestInvalid = "WorkloadManifestInvalid";

    /// <summary>Starting, stopping, inspecting or recording a workload failed on its host.</summary>
    public const string WorkloadOperationFailed = "WorkloadOperationFailed";

    /// <summary>The host declares no workload by that name.</summary>
    public const string WorkloadNotFound = "WorkloadNotFound";

    /// <summary>The host already declares a workload by that name (Register-Workload -Force replaces it).</summary>
    public const string WorkloadAlreadyRegistered = "WorkloadAlreadyRegistered";

    /// <summary>The workload runs, so its manifest cannot be removed; stop it first.</summary>
    public const string WorkloadRunning = "WorkloadRunning";

    /// <summary>The workload's process tree is frozen by a checkpoint, so it cannot be started.</summary>
    public const string WorkloadFrozen = "WorkloadFrozen";

    /// <summary>A workload name is not valid.</summary>
    public const string InvalidWorkloadName = "InvalidWorkloadName";

    /// <summary>A ZFS dataset name is not valid.</summary>
    public const string InvalidDatasetName = "InvalidDatasetName";

    /// <summary>A computer name is not a valid ssh destination.</summary>
    public const string InvalidComputerName = "InvalidComputerName";

    /// <summary>The parameters do not make a valid workload manifest (command, directory, environment, health check).</summary>
    public const string InvalidWorkloadDefinition = "InvalidWorkloadDefinition";

    /// <summary>-ManifestDirectory or -RuntimeDirectory is not an absolute directory path usable on the hosts.</summary>
    public const string InvalidWorkloadPath = "InvalidWorkloadPath";

    /// <summary>A service address given to Register-Workload is not ADDRESS/PREFIX@INTERFACE of a movable unicast address, or is listed twice.</summary>
    public const string InvalidServiceAddress = "InvalidServiceAddress";

    // Connection parameters.

    /// <summary>-KeyFilePath names no file.</summary>
    public const string KeyFileNotFound = "KeyFileNotFound";

    /// <summary>-SshConfigFile names no file.</summary>
    public const string SshConfigFileNotFound = "SshConfigFileNotFound";

    /// <summary>-KnownHostsFile names no file.</summary>
    public const string KnownHostsFileNotFound = "KnownHostsFileNotFound";

    /// <summary>-UserName and -Credential were both given.</summary>
    public const string ConflictingUserName = "ConflictingUserName";

    /// <summary>A connection parameter cannot be passed to ssh (such as a path with spaces).</summary>
    public const string InvalidConnectionOption = "InvalidConnectionOption";

    // Migrations.

    /// <summary>A migration phase was refused before it changed anything: a failed preflight check, a state that does not allow it, a workload already being migrated.</summary>
    public const string MigrationRefused = "MigrationRefused";

    /// <summary>A tested plan that failed its checks was given to carry out; nothing was changed. The message names the failed checks.</summary>
    public const string MigrationPlanFailed = "MigrationPlanFailed";

    /// <summary>A migration phase started and failed; the migration's record says where the workload runs and what to do.</summary>
    public const string MigrationFailed = "MigrationFailed";

    /// <summary>A switch failed and was rolled back by itself: the workload runs on the source again and the migration is Synced.</summary>
    public const string MigrationRolledBack = "MigrationRolledBack";

    /// <summary>
    /// Under -ErrorAction Stop, some migrations of a run with -ThrottleLimit failed while the others went on; the
    /// message names each failure and the error's target lists the inputs that failed.
    /// </summary>
    public const string DrainFailed = "DrainFailed";

    /// <summary>The journal holds no migration with that id.</summary>
    public const string MigrationNotFound = "MigrationNotFound";

    /// <summary>A migration id is not 'm-' followed by 12 lowercase hex digits.</summary>
    public const string InvalidMigrationId = "InvalidMigrationId";

    /// <summary>A bandwidth limit is not a rate such as 50M, or is out of range.</summary>
    public const string InvalidBandwidthLimit = "InvalidBandwidthLimit";

    /// <summary>A cutover hook given to -Hook is not valid (stage, location, command or timeout).</summary>
    public const string InvalidCutoverHook = "InvalidCutoverHook";

    // The migration journal.

    /// <summary>The journal directory does not exist, or cannot be created or read.</summary>
    public const string JournalUnavailable = "JournalUnavailable";

    /// <summary>The journal record changed under a write (another controller saved it meanwhile).</summary>
    public const string JournalConflict = "JournalConflict";

    /// <summary>A journal file cannot be read as a migration record.</summary>
    public const string JournalCorrupt = "JournalCorrupt";

    // Anything else.

    /// <summary>A value given to a cmdlet or the engine is not valid.</summary>
    public const string InvalidArgument = "InvalidArgument";

    /// <summary>The operation is not possible in the current state.</summary>
    public const string InvalidOperation = "InvalidOperation";

    /// <summary>A host printed something the engine cannot read.</summary>
    public const string UnexpectedOutput = "UnexpectedOutput";

    /// <summary>An operation ran out of time.</summary>
    public const string OperationTimedOut = "OperationTimedOut";

    /// <summary>An operation was cancelled without the cmdlet being stopped.</summary>
    public const string OperationCancelled = "OperationCancelled";

    /// <summary>A failure the module does not classify; the exception says what happened.</summary>
    public const string UnexpectedError = "UnexpectedError";
}
