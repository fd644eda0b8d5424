using System.Net;
using System.Net.Sockets;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Engine.Tests.Workloads;

/// <summary>The health probe's host script run by the local /bin/sh: retries until it passes, gives up at its timeout.</summary>
public sealed class HealthProbeTests
{
    [ScriptFact]
    public void ACommandThatPassesLaterIsRetriedUntilItDoes()
    {
        var flag = Path.Combine(Path.GetTempPath(), "mt-health-" + Guid.NewGuid().ToString("N"));
        try
        {
            // The command passes from its third attempt on.
            var check = HealthCheck.ForCommand(["sh", "-c", $"echo x >> {flag}; test $(wc -l < {flag}) -ge 3"], 5);

            var result = Run(check);

            Assert.Equal(0, result.ExitCode);
            Assert.Equal(3, File.ReadAllLines(flag).Length);
        }
        finally
        {
            File.Delete(flag);
        }
    }

    [ScriptFact]
    public void ACommandThatNeverPassesFailsAfterItsTimeoutWithWhatItSaid()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var result = Run(HealthCheck.ForCommand(["sh", "-c", "echo still warming up >&2; exit 1"], 1));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("still warming up", result.Error, StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(8));
    }

    [ScriptFact]
    public void ATcpPortPassesWhileSomethingListensAndFailsWhenNothingDoes()
    {
        if (!File.Exists("/bin/bash") && !File.Exists("/usr/bin/bash"))
        {
            return;
        }

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        Assert.Equal(0, Run(HealthCheck.ForTcpPort(port, 2)).ExitCode);
        listener.Stop();

        Assert.Equal(1, Run(HealthCheck.ForTcpPort(port, 1)).ExitCode);
    }

    [Fact]
    public void TheCommandCarriesTheCheckAsArguments()
    {
        var http = HealthProbe.Command(HealthCheck.ForHttpUrl(new Uri("http://127.0.0.1:8080/health?x=1"), 7));

        Assert.Equal(["sh", "-c", HealthProbe.Script, "sh", "7", "http", "http://127.0.0.1:8080/health?x=1"], Assert.Single(http.Stages));
        Assert.Equal("TCP port 80", HealthProbe.Describe(HealthCheck.ForTcpPort(80)));
    }

    private static (int ExitCode, byte[] Output, string Error) Run(HealthCheck check) =>
        LocalScript.Run(HealthProbe.Script, Assert.Single(HealthProbe.Command(check).Stages).Skip(4));
}
