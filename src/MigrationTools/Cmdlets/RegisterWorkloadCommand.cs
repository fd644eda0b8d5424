using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Completers;
using MigrationTools.Engine.Workloads;
using MigrationTools.Infrastructure;

namespace MigrationTools.Commands;

/// <summary>
/// Declares a workload on a host by writing its manifest there: the command to run, its datasets, how it moves, who
/// may move it and how to tell it is healthy. An existing workload of the same name is replaced only with -Force.
/// </summary>
[Cmdlet(VerbsLifecycle.Register, "Workload", SupportsShouldProcess = true, DefaultParameterSetName = NoHealthCheckSet)]
[OutputType(typeof(Workload))]
public sealed class RegisterWorkloadCommand : RemoteCmdlet
{
    /// <summary>The parameter set without a health check.</summary>
    public const string NoHealthCheckSet = "NoHealthCheck";

    /// <summary>The parameter set whose health check runs a command.</summary>
    public const string HealthCommandSet = "HealthCommand";

    /// <summary>The parameter set whose health check connects to a TCP port.</summary>
    public const string HealthPortSet = "HealthPort";

    /// <summary>The parameter set whose health check fetches a URL.</summary>
    public const string HealthUrlSet = "HealthUrl";

    private IReadOnlyList<Engine.Network.ServiceAddress> _serviceAddresses = Array.Empty<Engine.Network.ServiceAddress>();

    /// <summary>The host to declare the workload on: an ssh_config alias, host name or address.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ComputerNameCompleter))]
    public string ComputerName { get; set; } = "";

    /// <summary>The workload's name: 1-64 letters, digits, '_', '-' and '.', beginning with a letter or digit.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>The ZFS datasets that move with the workload (their children move with them); @() for none.</summary>
    [Parameter(Mandatory = true)]
    [AllowEmptyCollection]
    [Alias("Datasets")]
    public string[] Dataset { get; set; } = Array.Empty<string>();

    /// <summary>The program and its arguments, each reaching the program as one word (no shell is involved).</summary>
    [Parameter(Mandatory = true)]
    [AllowEmptyString]
    public string[] Command { get; set; } = Array.Empty<string>();

    /// <summary>The absolute directory the command starts in; / when not given.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? WorkingDirectory { get; set; }

    /// <summary>Variables added to the command's environment, such as @{ PORT = '8080' }.</summary>
    [Parameter]
    public Hashtable? Environment { get; set; }

    /// <summary>How the running state moves: Criu (live, the default) or Restart (stopped, then started afresh on the target).</summary>
    [Parameter]
    public CheckpointMode CheckpointMode { get; set; } = CheckpointMode.Criu;

    /// <summary>A health check: a command run on the host that exits with status 0 when the workload is healthy.</summary>
    [Parameter(Mandatory = true, ParameterSetName = HealthCommandSet)]
    [ValidateNotNullOrEmpty]
    public string[]? HealthCommand { get; set; }

    /// <summary>A health check: a TCP port on the host that accepts a connection when the workload is healthy.</summary>
    [Parameter(Mandatory = true, ParameterSetName = HealthPortSet)]
    [ValidateRange(HealthCheck.MinTcpPort, HealthCheck.MaxTcpPort)]
    public int HealthPort { get; set; }

    /// <summary>A health check: an http(s) URL on the host (localhost or a loopback address) that answers 2xx when healthy.</summary>
    [Parameter(Mandatory = true, ParameterSetName = HealthUrlSet)]
    [ValidateNotNull]
    public Uri? HealthUrl { get; set; }

    /// <summary>How long the health check may take, in seconds, within the engine's limits (<see cref="HealthCheck.MinTimeoutSeconds"/> to <see cref="HealthCheck.MaxTimeoutSeconds"/>).</summary>
    [Parameter(ParameterSetName = HealthCommandSet)]
    [Parameter(ParameterSetName = HealthPortSet)]
    [Parameter(ParameterSetName = HealthUrlSet)]
    [ValidateRange(HealthCheck.MinTimeoutSeconds, HealthCheck.MaxTimeoutSeconds)]
    public int HealthTimeoutSeconds { get; set; } = HealthCheck.DefaultTimeoutSeconds;

    /// <summary>
    /// Addresses the workload's clients reach it at, written ADDRESS/PREFIX@INTERFACE (such as 10.0.0.80/24@eth0):
    /// the host that runs it holds them, and they move with it at the switch.
    /// </summary>
    [Parameter]
    [AllowEmptyCollection]
    [Alias("ServiceAddresses")]
    public string[] ServiceAddress { get; set; } = Array.Empty<string>();

    /// <summary>Who may move the workload: Manual, Allowed (the default) or Automatic.</summary>
    [Parameter]
    public MigrationPolicy MigrationPolicy { get; set; } = MigrationPolicy.Allowed;

    /// <summary>Replace the manifest of a workload the host already declares (also a malformed one).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Write the registered workload.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Reads the connection parameters and the service addresses; an invalid one ends the command before any host is reached.</summary>
    /// <param name="cancellationToken">Cancelled by Ctrl+C.</param>
    /// <returns>The step's task.</returns>
    protected override async Task BeginProcessingAsync(CancellationToken cancellationToken)
    {
        await base.BeginProcessingAsync(cancellationToken).ConfigureAwait(true);
        _serviceAddresses = InputValidation.ServiceAddresses(ServiceAddress);
    }

    /// <inheritdoc/>
    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        var target = WorkloadTarget(ComputerName, Name);
        try
        {
            var manifest = WorkloadDefinition.Create(
                Name, Dataset, Command, WorkingDirectory, Environment, CheckpointMode, HealthCheckOf(), MigrationPolicy, _serviceAddresses);
            var host = Hosts.Workloads(ComputerName);

            var action = Force ? "Register workload, replacing any manifest of the same name" : "Register workload";
            if (!ShouldProcess(target, $"{action} ({host.Paths.ManifestFile(manifest.Name)})"))
            {
                return;
            }

            // The engine refuses to replace a different manifest without -Force; the same manifest again changes nothing.
            var registration = await new WorkloadService(host).RegisterAsync(manifest, Force, cancellationToken).ConfigureAwait(true);
            WriteVerbose($"{target}: {registration}.");
            if (PassThru)
            {
                var summary = await WorkloadLookup.SummarizeAsync(host, manifest, cancellationToken).ConfigureAwait(true);
                WriteObject(new Workload(summary, host.Paths));
            }
        }
        catch (Exception error) when (IsReportable(error, cancellationToken))
        {
            WriteError(error, target);
        }
    }

    /// <summary>The health check the parameter set describes, or <see langword="null"/>.</summary>
    private HealthCheck? HealthCheckOf() => ParameterSetName switch
    {
        HealthCommandSet => WorkloadDefinition.CommandHealthCheck(HealthCommand, HealthTimeoutSeconds),
        HealthPortSet => WorkloadDefinition.TcpPortHealthCheck(HealthPort, HealthTimeoutSeconds),
        HealthUrlSet => WorkloadDefinition.HttpUrlHealthCheck(HealthUrl, HealthTimeoutSeconds),
        _ => null,
    };
}
