using System;
using MigrationTools.Engine.Transfer;

namespace MigrationTools.Engine.Migrations;

/// <summary>Turns a replication round's byte progress into migration progress.</summary>
internal sealed class TransferReporter : IProgress<TransferProgress>
{
    private readonly IProgress<MigrationProgress> _progress;
    private readonly MigrationId _id;
    private readonly MigrationPhase _phase;
    private readonly string _activity;
    private readonly int? _round;

    public TransferReporter(IProgress<MigrationProgress> progress, MigrationId id, MigrationPhase phase, string activity, int? round)
    {
        _progress = progress;
        _id = id;
        _phase = phase;
        _activity = activity;
        _round = round;
    }

    public void Report(TransferProgress value) => _progress.Report(new MigrationProgress(_id, _phase, _activity, value, _round));
}
