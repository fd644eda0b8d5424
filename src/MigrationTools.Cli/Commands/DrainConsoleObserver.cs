using System.Globalization;
using MigrationTools.Cli.Output;
using MigrationTools.Engine.Draining;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Transfer;

namespace MigrationTools.Cli.Commands;

/// <summary>
/// Shows a drain as it runs: progress through <see cref="DrainProgressRenderer"/> on standard error, and each workload's
/// result on standard output as it ends (a line for people, or with <c>--json</c> one JSON line per workload).
/// </summary>
internal sealed class DrainConsoleObserver : IDrainObserver
{
    private readonly DrainProgressRenderer _renderer;
    private readonly CommandRun _run;
    private readonly string _source;
    private readonly IReadOnlyDictionary<DrainWork, DrainEntry> _entries;
    private readonly object _gate = new();
    private readonly List<int> _failureCodes = [];
    private readonly HashSet<DrainWork> _started = [];

    public DrainConsoleObserver(DrainProgressRenderer renderer, CommandRun run, string source, IReadOnlyDictionary<DrainWork, DrainEntry> entries)
    {
        _renderer = renderer;
        _run = run;
        _source = source;
        _entries = entries;
    }

    /// <summary>Each failed workload's exit code, so far.</summary>
    public IReadOnlyList<int> FailureCodes
    {
        get
        {
            lock (_gate)
            {
                return [.. _failureCodes];
            }
        }
    }

    /// <summary>Writes one workload's result line.</summary>
    public void Write(DrainWorkloadView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        _renderer.Interrupt(() => WriteNow(view));
    }

    /// <summary>Records and writes a workload refused before the drain ran it.</summary>
    public void Refused(DrainEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        lock (_gate)
        {
            _failureCodes.Add(ExitCodes.Refused);
        }

        Write(new DrainWorkloadView("workload", entry.Workload.Value, _source, null, "failed", entry.Reason, "refused", ExitCodes.Refused, null));
    }

    /// <summary>Whether the work was started.</summary>
    public bool HasStarted(DrainWork work)
    {
        lock (_gate)
        {
            return _started.Contains(work);
        }
    }

    public void Started(DrainWork work)
    {
        lock (_gate)
        {
            _started.Add(work);
        }

        _renderer.Started(_entries[work].Workload.Value, work.Subject);
    }

    public void Progress(DrainWork work, MigrationProgress progress) => _renderer.Progress(_entries[work].Workload.Value, progress);

    public void Finished(DrainWork work, MigrationRecord record)
    {
        var entry = _entries[work];
        var view = new DrainWorkloadView("workload", entry.Workload.Value, _source, record.Destination, "moved", entry.Reason, null, null, MigrationView.Of(record));
        _renderer.Ended(entry.Workload.Value, () => WriteNow(view));
    }

    public void Failed(DrainWork work, Exception error)
    {
        var entry = _entries[work];
        var failure = CommandFailure.From(error);
        lock (_gate)
        {
            _failureCodes.Add(failure.ExitCode);
        }

        var view = new DrainWorkloadView("workload", entry.Workload.Value, _source, entry.Request?.DestinationHost.ToString(), "failed",
            failure.Message, failure.Kind, failure.ExitCode, failure.Record is { } record ? MigrationView.Of(record) : null);
        _renderer.Ended(entry.Workload.Value, () =>
        {
            WriteNow(view);
            _run.Console.Error.WriteLine($"error: {entry.Workload}: {failure.Message.Split('\n')[0].TrimEnd('\r')}");
            _run.Console.Error.Flush();
        });
    }

    public void StatusChanged(DrainStatus status) => _renderer.Status(status);

    /// <summary>A result as one line for people: <c>moved   web  h1 -> h2  Completed, downtime 0.42 s</c>.</summary>
    public static string Describe(DrainWorkloadView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var where = view.Destination is { } destination ? $"{view.Source} -> {destination}" : view.Source;
        var detail = view.Status switch
        {
            "moved" when view.Migration is { } m => m.State + (m.DowntimeSeconds is { } d
                ? ", downtime " + d.ToString("0.00", CultureInfo.InvariantCulture) + " s" : "") + ", sent " + ByteSize.Format(m.BytesTransferred),
            "failed" when view.Kind == "rolledBack" => "failed, rolled back: runs on " + view.Source + " as before",
            "failed" => "failed (" + view.Kind + ")",
            _ => view.Reason ?? "",
        };
        return string.Create(CultureInfo.InvariantCulture, $"{view.Status,-11} {view.Workload}  {where}  {detail}");
    }

    private void WriteNow(DrainWorkloadView view)
    {
        _run.Console.Out.WriteLine(_run.Json ? CliJson.Line(view) : Describe(view));
        _run.Console.Out.Flush();
    }
}
