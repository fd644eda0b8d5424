using System.Collections.Concurrent;
using MigrationTools.Engine.Draining;
using MigrationTools.Engine.Migrations;

namespace MigrationTools.Engine.Tests.Draining;

/// <summary>An observer that keeps every event, for assertions.</summary>
internal sealed class DrainRecorder : IDrainObserver
{
    public ConcurrentQueue<string> Started { get; } = new();

    public ConcurrentQueue<string> Finished { get; } = new();

    public ConcurrentQueue<(string Subject, Exception Error)> Failed { get; } = new();

    public ConcurrentQueue<DrainStatus> Statuses { get; } = new();

    public ConcurrentQueue<MigrationProgress> Progresses { get; } = new();

    void IDrainObserver.Started(DrainWork work) => Started.Enqueue(work.Subject);

    void IDrainObserver.Progress(DrainWork work, MigrationProgress progress) => Progresses.Enqueue(progress);

    void IDrainObserver.Finished(DrainWork work, MigrationRecord record) => Finished.Enqueue(work.Subject);

    void IDrainObserver.Failed(DrainWork work, Exception error) => Failed.Enqueue((work.Subject, error));

    void IDrainObserver.StatusChanged(DrainStatus status) => Statuses.Enqueue(status);
}
