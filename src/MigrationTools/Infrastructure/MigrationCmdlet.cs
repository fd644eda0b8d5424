using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace MigrationTools.Infrastructure;

/// <summary>
/// The base of the cmdlets that drive migrations (the phase cmdlets, and those that take a workload to a destination):
/// -JournalPath, and the command's <see cref="MigrationRunner"/> with its drain and -AsJob batch, which the end step
/// finishes and disposing ends.
/// </summary>
public abstract class MigrationCmdlet : RemoteCmdlet
{
    private MigrationRunner? _migrations;

    /// <summary>
    /// The journal directory that keeps the migration records; the default is <c>$env:MIGRATIONTOOLS_JOURNAL</c>, else
    /// <c>$XDG_DATA_HOME/migrationtools/journal</c>, else <c>~/.local/share/migrationtools/journal</c>.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? JournalPath { get; set; }

    /// <summary>The command's engines, phase runs, drain and -AsJob batch, from the process step on.</summary>
    private protected MigrationRunner Migrations => _migrations ??= new MigrationRunner(Pipeline, Hosts.Options, Hosts.Paths);

    /// <summary>
    /// Waits for the drain's last migration (writing each as it ends), then starts the job for the inputs kept with
    /// -AsJob, if any, and writes it. Under -ErrorAction Stop, ends with one error naming the migrations that failed.
    /// </summary>
    /// <param name="cancellationToken">Cancelled by Ctrl+C.</param>
    /// <returns>The step's task.</returns>
    protected override async Task EndProcessingAsync(CancellationToken cancellationToken)
    {
        var failed = _migrations is null ? null : await _migrations.CompleteDrainAsync(cancellationToken).ConfigureAwait(true);
        await base.EndProcessingAsync(cancellationToken).ConfigureAwait(true);
        _migrations?.StartJob();
        if (failed is not null)
        {
            ThrowTerminatingError(failed);
        }
    }

    /// <summary>Writes what the drain reported since the last input: PowerShell takes writes only during a step.</summary>
    private protected void DeliverDrain() => _migrations?.DeliverDrain();

    /// <summary>Ends a drain the command left running (stopped between inputs, or ended by an error), then the connections.</summary>
    /// <param name="disposing">True when called from <see cref="AsyncCmdlet.Dispose()"/>.</param>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _migrations?.Dispose();
        }

        base.Dispose(disposing);
    }
}
