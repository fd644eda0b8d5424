using System.Globalization;
using MigrationTools.Engine.Journal;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Phases;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Workloads;

// Runs one migration phase and prints its progress, one tab-separated line per report, so that a test can kill
// this process at a chosen moment and then check that running the phase again brings the migration to a good end.
// Usage: journal ssh-config control-dir manifest-dir runtime-dir phase (workload | migration-id)
if (args.Length != 7)
{
    Console.Error.WriteLine("usage: journal ssh-config control-dir manifest-dir runtime-dir phase workload-or-id");
    return 2;
}

var (journal, sshConfig, controlDirectory, manifests, runtime, phase, target) = (args[0], args[1], args[2], args[3], args[4], args[5], args[6]);
var engine = new MigrationEngine(
    new MigrationJournal(journal),
    new SshOptions { ConfigFile = sshConfig, ControlDirectory = controlDirectory },
    new WorkloadPaths(manifests, runtime));
var progress = new LineProgress();
try
{
    var record = phase switch
    {
        "begin" => await engine.BeginAsync(
            new MigrationRequest(WorkloadName.Parse(target), "h1", "h2"),
            progress),
        "sync" => await engine.SyncAsync(MigrationId.Parse(target), progress),
        "switch" => await engine.SwitchAsync(MigrationId.Parse(target), progress),
        "complete" => await engine.CompleteAsync(MigrationId.Parse(target), false, progress),
        "undo" => await engine.UndoAsync(MigrationId.Parse(target), progress),
        "undo-keeping-changes" => await engine.UndoAsync(MigrationId.Parse(target), keepChanges: true, progress),
        "abort" => await engine.AbortAsync(MigrationId.Parse(target), progress),
        _ => throw new ArgumentException("unknown phase " + phase),
    };
    Console.WriteLine("done\t" + record.State);
    return 0;
}
catch (Exception e) when (e is MigrationRefusedException or MigrationFailedException)
{
    Console.WriteLine("failed\t" + e.Message.Replace('\n', ' '));
    return 1;
}

/// <summary>Writes each report as it comes: "progress", phase, bytes so far, activity.</summary>
internal sealed class LineProgress : IProgress<MigrationProgress>
{
    public void Report(MigrationProgress value) =>
        Console.Out.WriteLine(string.Join('\t', "progress", value.Phase, (value.Transfer?.Bytes ?? 0).ToString(CultureInfo.InvariantCulture), value.Activity));
}
