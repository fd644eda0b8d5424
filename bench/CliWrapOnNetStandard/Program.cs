using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.Versioning;
using CliWrap;

// Starts `bash -c "sleep M & sleep M; wait"` through CliWrap, cancels it once both sleeps run, and prints one line:
// the build's target framework, the milliseconds from cancellation to the task's end, and the sleeps left running
// (then ended by their process ids).
var marker = "600." + Random.Shared.Next(100000, 999999).ToString(CultureInfo.InvariantCulture);
var framework = typeof(Cli).Assembly.GetCustomAttribute<TargetFrameworkAttribute>()?.FrameworkName ?? "unknown";
using var cancel = new CancellationTokenSource();
var task = Cli.Wrap("bash").WithArguments(["-c", $"sleep {marker} & sleep {marker}; wait"]).ExecuteAsync(cancel.Token);
var clock = Stopwatch.StartNew();
while (Sleeps(marker).Length < 2 && clock.Elapsed < TimeSpan.FromSeconds(10))
{
    await Task.Delay(100);
}

clock.Restart();
await cancel.CancelAsync();
try
{
    await task;
}
catch (OperationCanceledException)
{
    // Expected: the token was cancelled.
}

var returned = clock.Elapsed.TotalMilliseconds;
await Task.Delay(500);
var left = Sleeps(marker);
foreach (var pid in left)
{
    Process.GetProcessById(pid).Kill();
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{framework} {returned:0} {left.Length}"));
return 0;

static int[] Sleeps(string marker)
{
    var start = new ProcessStartInfo("pgrep", ["-x", "-f", "sleep " + marker]) { RedirectStandardOutput = true };
    using var pgrep = Process.Start(start)!;
    var output = pgrep.StandardOutput.ReadToEnd();
    pgrep.WaitForExit();
    return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => int.Parse(line, CultureInfo.InvariantCulture))];
}
