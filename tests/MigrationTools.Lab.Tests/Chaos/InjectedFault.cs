using System.Globalization;
using MigrationTools.Lab.Tests.Lab;
using MigrationTools.Lab.Tests.Migrations;

namespace MigrationTools.Lab.Tests.Chaos;

/// <summary>
/// One run's fault inside the test process: armed before the phase when it waits for a step (a restore that will
/// fail), fired once at its moment, and taken away afterwards as an operator would (the host answers again, the
/// space is freed, the obstacle removed).
/// </summary>
internal sealed class InjectedFault(LabFixture lab, MigrationLab m, ChaosRun run)
{
    // Just enough room on the target for what it holds: the next write of any size fails with ENOSPC.
    private const long RoomLeft = 4 << 20;

    private int _fired;
    private int _restoreReached;
    private Task _outage = Task.CompletedTask;

    /// <summary>Whether the fault struck while the phase ran: fired, or, for a failing restore, the restore was reached.</summary>
    public bool Landed => run.Fault == ChaosFault.RestoreFails ? Volatile.Read(ref _restoreReached) == 1 : Volatile.Read(ref _fired) == 1;

    /// <summary>The file put where the restore must create the workload's runtime directory, which makes it fail.</summary>
    private string Blocker => m.Service.Paths.WorkloadDirectory(m.Service.Name);

    public async Task ArmAsync()
    {
        if (run.Fault == ChaosFault.RestoreFails)
        {
            await lab.SshCheckedAsync("h2", $"mkdir -p {m.Service.Paths.RuntimeDirectory} && : > {Blocker}");
        }
    }

    /// <summary>Notes a step the phase reported.</summary>
    public void Saw(string activity)
    {
        if (activity.StartsWith("Restoring", StringComparison.Ordinal))
        {
            Interlocked.Exchange(ref _restoreReached, 1);
        }
    }

    public async Task FireAfterAsync(TimeSpan delay, CancellationToken phaseEnded)
    {
        try
        {
            await Task.Delay(delay, phaseEnded);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        await FireAsync();
    }

    public async Task FireAsync()
    {
        if (Interlocked.Exchange(ref _fired, 1) != 0)
        {
            return;
        }

        switch (run.Fault)
        {
            case ChaosFault.SshConnectionCut:
                await m.CloseSharedConnectionsAsync();
                break;
            case ChaosFault.DestinationSshdStopped:
                await StartOutageAsync("h2");
                break;
            case ChaosFault.SourceSshdStopped:
                await StartOutageAsync("h1");
                break;
            case ChaosFault.TargetDiskFull:
                // Read and set on the host, again while a copy under way grows the pool past the quota just read.
                await lab.SshCheckedAsync("h2", string.Create(CultureInfo.InvariantCulture,
                    $"for try in 1 2 3 4 5 6 7 8 9 10; do u=$(zfs get -H -p -o value used {lab.Pool}) && " +
                    $"zfs set quota=$((u + {RoomLeft})) {lab.Pool} && exit 0; done; exit 1"));
                break;
            default:
                // A killed controller is the controller process's fate; a failing restore was armed before the phase.
                break;
        }
    }

    /// <summary>Takes the fault away: waits out an outage, reconnects both hosts, frees the space, removes the obstacle.</summary>
    public async Task RemoveAsync()
    {
        await _outage;
        await m.ReconnectAsync("h1");
        await m.ReconnectAsync("h2");
        if (run.Fault == ChaosFault.TargetDiskFull)
        {
            await lab.SshCheckedAsync("h2", $"zfs set quota=none {lab.Pool}");
        }

        if (run.Fault == ChaosFault.RestoreFails)
        {
            await lab.SshCheckedAsync("h2", $"if [ -f {Blocker} ]; then rm -f {Blocker}; fi");
        }
    }

    private async Task StartOutageAsync(string host)
    {
        await m.CutOffAsync(host);
        _outage = EndOutageAsync(host);
    }

    private async Task EndOutageAsync(string host)
    {
        await Task.Delay(run.Outage);
        await m.ReconnectAsync(host);
    }
}
