using System.Collections.Concurrent;
using MigrationTools.Engine.Draining;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Lab.Tests.Draining;

/// <summary>What one drain did: each workload's destination, records and failures, as the queue reported them.</summary>
internal sealed class DrainRun(Action<DrainRun>? onProgress) : IDrainObserver
{
    public ConcurrentDictionary<WorkloadName, string> Destinations { get; } = new();

    public ConcurrentQueue<string> Started { get; } = new();

    public ConcurrentQueue<MigrationRecord> Finished { get; } = new();

    public ConcurrentQueue<(string Subject, Exception Error)> Failed { get; } = new();

    public ConcurrentQueue<MigrationProgress> Progress { get; } = new();

    public ConcurrentQueue<DrainStatus> Statuses { get; } = new();

    public DrainSummary? Summary { get; set; }

    void IDrainObserver.Started(DrainWork work) => Started.Enqueue(work.Subject);

    void IDrainObserver.Progress(DrainWork work, MigrationProgress progress)
    {
        Progress.Enqueue(progress);
        onProgress?.Invoke(this);
    }

    void IDrainObserver.Finished(DrainWork work, MigrationRecord record) => Finished.Enqueue(record);

    void IDrainObserver.Failed(DrainWork work, Exception error) => Failed.Enqueue((work.Subject, error));

    void IDrainObserver.StatusChanged(DrainStatus status) => Statuses.Enqueue(status);
}
