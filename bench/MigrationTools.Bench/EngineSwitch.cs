using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using MigrationTools.Engine.Journal;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Phases;

namespace MigrationTools.Bench;

/// <summary>
/// One engine migration of a fresh counter service: begin and one sync while it runs, a fixed delta written, then
/// the switch, timed by the engine (<see cref="MigrationRecord.Downtime"/>, <see cref="MigrationRecord.DowntimeParts"/>)
/// and by its progress reports. Traced, every ssh command the engine starts is timed by a wrapper script.
/// </summary>
internal static partial class EngineSwitch
{
    /// <summary>Times each ssh command it runs: start, end, exit status, kind, host and remote command line, one line each.</summary>
    private const string TraceWrapper = """
        #!/bin/bash
        s=$EPOCHREALTIME
        "$MTB_REAL_SSH" "$@"
        r=$?
        e=$EPOCHREALTIME
        kind=run; host=; cmd=; args=("$@")
        for ((i = 0; i < $#; i++)); do
            case ${args[i]} in
                -G) kind=config ;;
                -O) kind="control ${args[i+1]}" ;;
                --) host=${args[i+1]}; cmd=${args[i+2]:-}; break ;;
            esac
        done
        cmd=${cmd//$'\n'/ }; cmd=${cmd//$'\t'/ }
        printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$s" "$e" "$r" "$kind" "$host" "${cmd:0:20000}" >> "$MTB_TRACE_LOG"
        exit $r
        """;

    public static async Task<EngineSample> RunAsync(BenchLab lab, int sizeMib, int run, bool trace)
    {
        var options = lab.Options;
        var workload = new BenchWorkload(lab, sizeMib);
        var journal = Path.Combine(Path.GetTempPath(), "mt-dt-journal-" + Guid.NewGuid().ToString("N")[..10]);
        var traceLog = Path.Combine(lab.ControlDirectory, $"trace-{workload.Name}.log");
        try
        {
            var (engine, synced, token) = await PrepareAsync(lab, workload, journal, StepByStep, trace ? WriteWrapper(lab, traceLog) : null);

            var progress = new TimedProgress();
            var load = DowntimeBenchmark.LoadAverage();
            var start = TimedProgress.Now();
            var clock = Stopwatch.StartNew();
            var switched = await engine.SwitchAsync(synced.Id, progress);
            var call = clock.Elapsed.TotalSeconds;

            if (switched.State != MigrationState.Switched || switched.Downtime is null || switched.DowntimeParts is null)
            {
                throw new InvalidOperationException($"The switch ended {switched.State}: {switched.LastError}");
            }

            var moved = await workload.WaitForServiceAsync(options.Target, TimeSpan.FromSeconds(10));
            if (moved.Token != token)
            {
                throw new InvalidOperationException($"The service on {options.Target} serves token {moved.Token}, not {token}: it was restarted, not restored.");
            }

            var parts = switched.DowntimeParts;
            var downtime = switched.Downtime.Value.TotalSeconds;
            var health = Seconds(parts.Health);
            var checkpointing = progress.At("Checkpointing");
            var waiting = progress.At("Waiting for");
            var committed = progress.At("Running the after-commit hooks");
            // The downtime clock stops when the health check passes.
            var cutOverStart = waiting + health - downtime;
            var sample = new EngineSample(
                sizeMib, run, downtime, Seconds(parts.Dump), Seconds(parts.FinalDelta), Seconds(parts.ImageTransfer), Seconds(parts.Restore), health,
                BeforeFreeze: checkpointing - cutOverStart,
                ShippedToRestore: progress.At("Restoring") - (checkpointing + Seconds(parts.Dump) + Math.Max(Seconds(parts.FinalDelta), Seconds(parts.ImageTransfer))),
                Commit: committed - (waiting + health),
                FrozenToHealthy: waiting + health - checkpointing,
                call,
                DeltaBytes: switched.Datasets[0].BytesTotal - synced.Datasets[0].BytesTotal,
                ImageBytes: switched.BytesTransferred - synced.BytesTransferred,
                load);
            return trace ? sample with { Timeline = Timeline(traceLog, progress, start, cutOverStart) } : sample;
        }
        finally
        {
            await workload.CleanUpAsync();
            if (Directory.Exists(journal))
            {
                Directory.Delete(journal, recursive: true);
            }
        }
    }

    /// <summary>
    /// Starts a fresh service on the source, migrates it up to the switch with the engine (begin, one sync), then writes
    /// the delta the switch must carry. Returns the engine, the synced record and the service's token.
    /// </summary>
    public static async Task<(MigrationEngine Engine, MigrationRecord Synced, string Token)> PrepareAsync(
        BenchLab lab, BenchWorkload workload, string journal, MigrationSettings settings, string? sshPath = null)
    {
        var token = await workload.CreateAndStartAsync();
        var engine = new MigrationEngine(new MigrationJournal(journal), lab.EngineSshOptions(sshPath), workload.Paths);
        var request = new MigrationRequest(workload.Name, lab.Options.Source, lab.Options.Target) { Settings = settings };
        var begun = await engine.BeginAsync(request);
        var synced = await engine.SyncAsync(begun.Id);
        await workload.WriteDeltaAsync(lab.Options.DeltaMib);
        return (engine, synced, token);
    }

    /// <summary>As the raw steps do (they kill the frozen source before restoring), so that the two downtimes compare step for step.</summary>
    private static readonly MigrationSettings StepByStep = new() { ReleaseSourceBeforeRestore = true, StopTimeoutSeconds = 2 };

    private static double Seconds(TimeSpan? span) => span?.TotalSeconds ?? double.NaN;

    /// <summary>Writes the tracing ssh wrapper, set up through its environment, and returns its path.</summary>
    private static string WriteWrapper(BenchLab lab, string log)
    {
        var real = (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':')
            .Select(d => Path.Combine(d, "ssh")).FirstOrDefault(File.Exists) ?? throw new FileNotFoundException("ssh is not on PATH");
        var path = Path.Combine(lab.ControlDirectory, "ssh-trace");
        File.WriteAllText(path, TraceWrapper + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Environment.SetEnvironmentVariable("MTB_REAL_SSH", real);
        Environment.SetEnvironmentVariable("MTB_TRACE_LOG", log);
        return path;
    }

    /// <summary>The switch's ssh commands and progress reports in time order, relative to the call.</summary>
    private static List<string> Timeline(string traceLog, TimedProgress progress, double start, double cutOverStart)
    {
        var events = new List<(double At, string Text)>
        {
            (cutOverStart, "-- the downtime clock starts (estimated: the health check's end less the downtime)"),
        };
        events.AddRange(progress.Items.Select(p => (p.At, ">> " + p.Activity)));
        foreach (var line in File.ReadLines(traceLog))
        {
            var f = line.Split('\t');
            var (from, to) = (double.Parse(f[0], CultureInfo.InvariantCulture), double.Parse(f[1], CultureInfo.InvariantCulture));
            if (from >= start)
            {
                var exit = f[2] == "0" ? "" : $" (exit {f[2]})";
                events.Add((from, $"{(to - from) * 1000,6:0} ms  {f[4],-3} {(f[3] == "run" ? Summarize(f[5]) : "ssh " + f[3])}{exit}"));
            }
        }

        return events.OrderBy(e => e.At).Select(e => $"+{(e.At - start) * 1000,6:0} ms  {e.Text}").ToList();
    }

    /// <summary>
    /// A remote command line as words, without the engine's watchdog wrapper, with scripts and other long words elided:
    /// what the command's arguments say is enough to tell which step it is.
    /// </summary>
    private static string Summarize(string commandLine)
    {
        var words = ShellWords(commandLine);
        var wrapper = words.IndexOf("mt-remote");
        words = words.Skip(wrapper + 1).ToList();
        if (words.Count >= 4 && words[0] == "sh" && words[1] == "-c" && words[3] == "sh")
        {
            words = ["sh-script", .. words.Skip(4)];
        }

        var text = string.Join(' ', words.Select(w => w.Length > 60 ? "…" : Spaces().Replace(w, " ")));
        return text.Length > 150 ? text[..150] + "…" : text;
    }

    /// <summary>The words of a command line quoted as ShellQuote quotes: single quotes and backslash escapes.</summary>
    private static List<string> ShellWords(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '\'' )
            {
                var end = line.IndexOf('\'', i + 1);
                end = end < 0 ? line.Length : end;
                word.Append(line, i + 1, end - i - 1);
                (i, inWord) = (end, true);
            }
            else if (c == '\\' && i + 1 < line.Length)
            {
                (i, inWord) = (i + 1, true);
                word.Append(line[i]);
            }
            else if (c == ' ')
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
