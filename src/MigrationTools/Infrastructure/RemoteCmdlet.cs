using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Infrastructure;

/// <summary>
/// The base of cmdlets that reach hosts: the connection parameters every such cmdlet shares, mapped onto the
/// engine's ssh options once per command, where the hosts keep workloads (-ManifestDirectory, -RuntimeDirectory), and the command's shared connections (<see cref="Hosts"/>), closed when
/// it ends.
/// </summary>
public abstract class RemoteCmdlet : AsyncCmdlet
{
    private HostConnections? _hosts;

    /// <summary>
    /// The remote user, when neither the computer name (<c>user@host</c>) nor ssh_config says which. Mutually exclusive
    /// with <see cref="Credential"/>.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? UserName { get; set; }

    /// <summary>
    /// A credential whose user name is the remote user. Its password is never used: hosts are reached with keys (a key
    /// file, ssh_config or the ssh agent). Mutually exclusive with <see cref="UserName"/>.
    /// </summary>
    [Parameter]
    public PSCredential? Credential { get; set; }

    /// <summary>The private key to log in with (ssh <c>-i</c>, and only that key).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [Alias("IdentityFile")]
    public string? KeyFilePath { get; set; }

    /// <summary>An ssh_config file to read instead of <c>~/.ssh/config</c> (ssh <c>-F</c>).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SshConfigFile { get; set; }

    /// <summary>A known_hosts file to check host keys against, instead of the one ssh_config names (ssh <c>UserKnownHostsFile</c>).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? KnownHostsFile { get; set; }

    /// <summary>Run remote commands through <c>sudo -n</c> when the remote user is not root.</summary>
    [Parameter]
    public SwitchParameter UseSudo { get; set; }

    /// <summary>
    /// The path of the host helper (<c>mt-host</c>) installed on the hosts. With a login that is not root, root work
    /// runs only through it, via <c>sudo -n</c>, so sudoers needs to allow nothing else; see about_MigrationTools and
    /// docs/security.md. A path on the hosts, so it is never resolved locally.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? HostHelper { get; set; }

    /// <summary>
    /// The directory on the hosts that holds the workload manifests (<c>&lt;name&gt;.json</c>); the default is
    /// <c>/etc/migrationtools/workloads</c>.
    /// </summary>
    [Parameter]
    public string ManifestDirectory { get; set; } = WorkloadPaths.DefaultManifestDirectory;

    /// <summary>
    /// The directory on the hosts that holds running workloads' PID files and output logs; the default is
    /// <c>/run/migrationtools/workloads</c>.
    /// </summary>
    [Parameter]
    public string RuntimeDirectory { get; set; } = WorkloadPaths.DefaultRuntimeDirectory;

    /// <summary>The command's connections, one per host, available from the process step on.</summary>
    internal HostConnections Hosts => _hosts ?? throw new System.InvalidOperationException("The connection parameters are read in the begin step.");

    /// <summary>
    /// This command again, for a job that runs it elsewhere: the parameters bound for the current input, with
    /// <paramref name="overrides"/>, and -KeyFilePath, -SshConfigFile and -KnownHostsFile as full paths.
    /// </summary>
    /// <param name="overrides">Parameters to run it with instead of the bound ones, such as the journal as a full path.</param>
    /// <returns>The invocation.</returns>
    private protected JobInvocation JobInvocationFor(IDictionary<string, object?> overrides)
    {
        var carried = new Dictionary<string, object?>(overrides ?? throw new System.ArgumentNullException(nameof(overrides)), System.StringComparer.OrdinalIgnoreCase);
        if (KeyFilePath is not null)
        {
            carried[nameof(KeyFilePath)] = GetUnresolvedProviderPathFromPSPath(KeyFilePath);
        }

        if (SshConfigFile is not null)
        {
            carried[nameof(SshConfigFile)] = GetUnresolvedProviderPathFromPSPath(SshConfigFile);
        }

        if (KnownHostsFile is not null)
        {
            carried[nameof(KnownHostsFile)] = GetUnresolvedProviderPathFromPSPath(KnownHostsFile);
        }

        return JobInvocation.For(CommandName, MyInvocation.BoundParameters, carried);
    }

    /// <summary>The host a workload lives on and its name, as errors and confirmations name it: <c>web on h1</c>.</summary>
    /// <param name="computerName">The computer name as given.</param>
    /// <param name="name">The workload's name as given.</param>
    /// <returns>The description.</returns>
    protected static string WorkloadTarget(string computerName, string name) => $"{name} on {computerName}";

    /// <summary>Reports that <paramref name="computerName"/> declares no workload <paramref name="name"/>.</summary>
    /// <param name="computerName">The host, or the hosts, as given.</param>
    /// <param name="name">The workload's name as given.</param>
    protected void WriteWorkloadNotFound(string computerName, string name) =>
        WriteError(new ErrorRecord(
            new ItemNotFoundException($"No workload named '{name}' is declared on {computerName}. Get-Workload -ComputerName {computerName} lists the workloads there."),
            ErrorIds.WorkloadNotFound,
            ErrorCategory.ObjectNotFound,
            WorkloadTarget(computerName, name)));

    /// <summary>
    /// Reads the connection parameters (paths relative to PowerShell's current location) and prepares the command's
    /// connections; invalid parameters end the command, since no input could be processed with them.
    /// </summary>
    /// <param name="cancellationToken">Cancelled by Ctrl+C.</param>
    /// <returns>The step's task.</returns>
    protected override Task BeginProcessingAsync(CancellationToken cancellationToken)
    {
        var options = ConnectionOptions.Create(
            UserName,
            Credential?.UserName,
            KeyFilePath is null ? null : GetUnresolvedProviderPathFromPSPath(KeyFilePath),
            SshConfigFile is null ? null : GetUnresolvedProviderPathFromPSPath(SshConfigFile),
            UseSudo.IsPresent,
            KnownHostsFile is null ? null : GetUnresolvedProviderPathFromPSPath(KnownHostsFile),
            HostHelper);
        _hosts = new HostConnections(options, InputValidation.WorkloadPaths(ManifestDirectory, RuntimeDirectory));
        return Task.CompletedTask;
    }

    /// <summary>Closes the command's connections.</summary>
    /// <param name="cancellationToken">Cancelled by Ctrl+C.</param>
    /// <returns>The step's task.</returns>
    protected override async Task EndProcessingAsync(CancellationToken cancellationToken)
    {
        if (_hosts is { } hosts)
        {
            await hosts.CloseAsync().ConfigureAwait(true);
        }
    }

    /// <summary>Closes connections a stopped or failed command left open.</summary>
    /// <param name="disposing">True when called from <see cref="AsyncCmdlet.Dispose()"/>.</param>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hosts?.Dispose();
            _hosts = null;
        }

        base.Dispose(disposing);
    }
}
