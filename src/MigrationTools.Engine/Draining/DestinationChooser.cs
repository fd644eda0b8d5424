using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Phases;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Transfer;
using MigrationTools.Engine.Zfs;

namespace MigrationTools.Engine.Draining;

/// <summary>
/// Picks one destination of several for each workload: among those whose preflight passes, the one with the most free
/// space in the workload's target pool, less what this chooser already sent there; destinations within 1 % of the most
/// are equal and take turns (round-robin, after the one chosen last). The chooser keeps its turn and what it placed, so share one per drain.
/// </summary>
public sealed class DestinationChooser
{
    /// <summary>Free spaces closer than this share of the larger are equal (pools' accounting moves by small amounts).</summary>
    internal const double TieFraction = 0.01;

    private readonly MigrationEngine _engine;
    private readonly Func<MigrationRequest, CancellationToken, Task<(MigrationPlan Plan, long? FreeBytes)>> _probe;
    private readonly object _gate = new();
    private readonly Dictionary<string, long> _placed = new(StringComparer.Ordinal);
    private string? _lastChosen;

    /// <summary>Creates a chooser that tests each destination with <paramref name="engine"/>.</summary>
    /// <param name="engine">The engine; its preflight decides whether a destination passes.</param>
    public DestinationChooser(MigrationEngine engine)
    {
        _engine = engine ?? throw new ArgumentNullException(nameof(engine));
        _probe = ProbeAsync;
    }

    /// <summary>Creates a chooser over a given probe, for tests.</summary>
    internal DestinationChooser(MigrationEngine engine, Func<MigrationRequest, CancellationToken, Task<(MigrationPlan Plan, long? FreeBytes)>> probe)
    {
        _engine = engine ?? throw new ArgumentNullException(nameof(engine));
        _probe = probe ?? throw new ArgumentNullException(nameof(probe));
    }

    /// <summary>Chooses the destination of <paramref name="request"/> among <paramref name="candidates"/>.</summary>
    /// <param name="request">The migration; its destination is ignored.</param>
    /// <param name="candidates">The destinations, in the order given (the order of turns on ties).</param>
    /// <param name="cancellationToken">Stops the preflights.</param>
    /// <returns>The choice, with every candidate's verdict.</returns>
    /// <exception cref="MigrationRefusedException">No candidate passes; the message names each one's refusal.</exception>
    public async Task<DestinationChoice> ChooseAsync(
        MigrationRequest request, IReadOnlyList<SshDestination> candidates, CancellationToken cancellationToken = default)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        if (candidates is null || candidates.Count == 0)
        {
            throw new ArgumentException("Give at least one destination.", nameof(candidates));
        }

        var distinct = candidates.Distinct().ToArray();
        var probes = distinct.Select(host => ProbeOneAsync(request, host, cancellationToken)).ToArray();
        var results = await Task.WhenAll(probes).ConfigureAwait(false);

        lock (_gate)
        {
            var verdicts = results.Select(r => r.Candidate with
            {
                FreeBytes = r.Candidate.FreeBytes - (_placed.TryGetValue(r.Candidate.Host.ToString(), out var placed) ? placed : 0),
            }).ToArray();
            var passed = verdicts.Select((v, i) => (Verdict: v, Index: i)).Where(p => p.Verdict.Passed).ToArray();
            if (passed.Length == 0)
            {
                throw new MigrationRefusedException(
                    $"No destination can take {request.Workload} from {request.SourceHost}; nothing was changed:" + Environment.NewLine +
                    string.Join(Environment.NewLine, verdicts.Select(v => $"{v.Host}: {v.Refusal}")));
            }

            var most = passed.Max(p => p.Verdict.FreeBytes ?? long.MinValue);
            var tied = passed.Where(p => IsTie(p.Verdict.FreeBytes ?? long.MinValue, most)).ToArray();
            // Round-robin: of the tied, the first after the destination chosen last, in the order given.
            var last = Array.FindIndex(verdicts, v => v.Host.ToString() == _lastChosen);
            var chosen = tied.FirstOrDefault(t => t.Index > last);
            if (chosen.Verdict is null)
            {
                chosen = tied[0];
            }

            var result = results[chosen.Index];
            var host = chosen.Verdict.Host.ToString();
            _lastChosen = host;
            _placed[host] = (_placed.TryGetValue(host, out var before) ? before : 0) + result.Plan!.EstimatedBytes;
            var reason = Reason(chosen.Verdict, tied.Length, verdicts);
            var chosenRequest = new MigrationRequest(request.Workload, request.SourceHost.ToString(), host)
            {
                Settings = request.Settings,
                Force = request.Force,
                Plan = result.Plan,
            };
            return new DestinationChoice(chosenRequest, verdicts, reason);
        }
    }

    private static bool IsTie(long free, long most) =>
        free == most || (most > 0 && free > 0 && (most - free) <= most * TieFraction);

    private static string Reason(DestinationCandidate chosen, int tied, IReadOnlyList<DestinationCandidate> all)
    {
        var free = chosen.FreeBytes is { } bytes ? ByteSize.Format(Math.Max(0, bytes)) + " free" : "free space unknown";
        var why = tied > 1
            ? $"{chosen.Host} ({free}; {tied.ToString(CultureInfo.InvariantCulture)} destinations about equal, taken in turn)"
            : $"{chosen.Host} (the most free space: {free})";
        var others = all.Where(c => !Equals(c.Host, chosen.Host))
            .Select(c => c.Passed
                ? $"{c.Host}: {(c.FreeBytes is { } f ? ByteSize.Format(Math.Max(0, f)) + " free" : "free space unknown")}"
                : $"{c.Host}: refused ({FirstLine(c.Refusal)})")
            .ToArray();
        return others.Length == 0 ? why : why + "; " + string.Join("; ", others);
    }

    private static string FirstLine(string? text)
    {
        var line = (text ?? "").Split('\n')[0].Trim();
        return line.Length == 0 ? "no reason given" : line;
    }

    private async Task<(DestinationCandidate Candidate, MigrationPlan? Plan)> ProbeOneAsync(
        MigrationRequest request, SshDestination host, CancellationToken cancellationToken)
    {
        MigrationRequest candidateRequest;
        try
        {
            candidateRequest = new MigrationRequest(request.Workload, request.SourceHost.ToString(), host.ToString())
            {
                Settings = request.Settings,
                Force = request.Force,
            };
        }
        catch (ArgumentException e)
        {
            return (new DestinationCandidate(host, null, false, e.Message), null);
        }

        try
        {
            var (plan, free) = await _probe(candidateRequest, cancellationToken).ConfigureAwait(false);
            return plan.Passed
                ? (new DestinationCandidate(host, free, true, null), plan)
                : (new DestinationCandidate(host, free, false, plan.DescribeFailures()), plan);
        }
        catch (Exception e) when (e is RemoteException or MigrationRefusedException or ZfsCommandException or FormatException)
        {
            return (new DestinationCandidate(host, null, false, e.Message), null);
        }
    }

    /// <summary>The engine's preflight for the destination, and the least free space among the target pools it names.</summary>
    private async Task<(MigrationPlan Plan, long? FreeBytes)> ProbeAsync(MigrationRequest request, CancellationToken cancellationToken)
    {
        var plan = await _engine.TestAsync(request, cancellationToken).ConfigureAwait(false);
        if (!plan.Passed || plan.Datasets.Count == 0)
        {
            return (plan, null);
        }

        using var connection = new SshConnection(request.DestinationHost, _engine.SshOptions);
        var zfs = new ZfsHost(connection);
        long? least = null;
        foreach (var pool in plan.Datasets.Select(d => d.Target.Pool).Distinct())
        {
            var free = await zfs.GetPoolFreeSpaceAsync(pool, cancellationToken).ConfigureAwait(false);
            least = least is { } l ? Math.Min(l, free) : free;
        }

        return (plan, least);
    }
}
