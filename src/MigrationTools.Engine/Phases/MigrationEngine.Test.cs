using System;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Migrations;

namespace MigrationTools.Engine.Phases;

public sealed partial class MigrationEngine
{
    /// <summary>Checks, without changing anything, whether <paramref name="request"/> can begin, and estimates its size.</summary>
    /// <param name="request">The migration.</param>
    /// <param name="cancellationToken">Stops the checks.</param>
    /// <returns>Every check with its verdict, and the datasets with estimated bytes.</returns>
    public async Task<MigrationPlan> TestAsync(MigrationRequest request, CancellationToken cancellationToken = default)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        using var hosts = Open(request.SourceHost, request.DestinationHost);
        return (await _preflight.RunAsync(hosts, request, cancellationToken).ConfigureAwait(false)).Plan;
    }
}
