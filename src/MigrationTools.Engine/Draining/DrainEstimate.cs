using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Phases;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Engine.Draining;

/// <summary>The estimated transfer of a workload, by which a drain orders its moves.</summary>
public static class DrainEstimate
{
    /// <summary>
    /// The sum of the workload's datasets' used bytes on its source (what a workload listing shows as its used bytes).
    /// </summary>
    /// <param name="engine">The engine whose ssh options and paths reach the source.</param>
    /// <param name="request">The migration.</param>
    /// <param name="cancellationToken">Stops the listing.</param>
    /// <returns>The bytes.</returns>
    /// <exception cref="MigrationRefusedException">The source declares no such workload.</exception>
    public static async Task<long> OfAsync(MigrationEngine engine, MigrationRequest request, CancellationToken cancellationToken = default)
    {
        if (engine is null)
        {
            throw new ArgumentNullException(nameof(engine));
        }

        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        using var connection = new SshConnection(request.SourceHost, engine.SshOptions);
        var listing = await new WorkloadHost(connection, engine.Paths).ListAsync(cancellationToken).ConfigureAwait(false);
        var workload = listing.Workloads.FirstOrDefault(w => w.Name == request.Workload)
            ?? throw new MigrationRefusedException($"{request.SourceHost} declares no workload {request.Workload}; list its workloads to check the name.");
        return workload.UsedBytes;
    }
}
