using MigrationTools.Engine.Workloads;
using MigrationTools.Lab.Tests.Lab;
using MigrationTools.Lab.Tests.Migrations;

namespace MigrationTools.Lab.Tests.Memory;

/// <summary>
/// tests/lab/workloads/memhold.py as a migration lab's workload: it holds incompressible memory and publishes the
/// checksum of all of it on request, so a test sees whether the memory arrived byte for byte.
/// </summary>
internal static class MemoryWorkload
{
    private static readonly string Script = Path.Combine(LabEnvironment.RepositoryRoot, "tests", "lab", "workloads", "memhold.py");

    /// <summary>A migration lab whose workload holds <paramref name="mebibytes"/> MiB, with no health check (it serves nothing).</summary>
    public static MigrationLab Lab(LabFixture lab, int mebibytes) =>
        new(lab, service => new WorkloadManifest(
            service.Name,
            [service.Dataset],
            ["python3", service.DataDirectory + "/memhold.py", "--mib", mebibytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--state", service.DataDirectory],
            CheckpointMode.Criu,
            service.DataDirectory));

    /// <summary>Creates the dataset on h1 with the script, declares and starts the workload, and returns its first checksum.</summary>
    public static async Task<string> StartAsync(MigrationLab m, LabFixture lab)
    {
        await m.Service.CreateDatasetAsync("h1");
        await using (var script = File.OpenRead(Script))
        {
            (await lab.SshAsync("h1", $"cat > {m.Service.DataDirectory}/memhold.py", script)).EnsureSuccess();
        }

        using (var h1 = lab.Connect("h1"))
        {
            await new WorkloadCatalog(h1, m.Service.Paths).RegisterAsync(m.Manifest);
            await new WorkloadRuntime(h1, m.Service.Paths).StartAsync(m.Manifest);
        }

        await lab.SshCheckedAsync("h1",
            $"i=0; until [ -e {m.Service.DataDirectory}/ready ]; do i=$((i+1)); [ $i -gt 600 ] && exit 1; sleep 0.1; done");
        return (await lab.SshCheckedAsync("h1", $"cat {m.Service.DataDirectory}/checksum")).Trim();
    }

    /// <summary>Asks the workload on <paramref name="host"/> for the checksum of its memory now, and waits for it.</summary>
    public static async Task<string> ChecksumAsync(MigrationLab m, LabFixture lab, string host)
    {
        var d = m.Service.DataDirectory;
        return (await lab.SshCheckedAsync(host,
            $"rm -f {d}/checksum && touch {d}/checksum-request && i=0; " +
            $"until [ -e {d}/checksum ] && [ ! -e {d}/checksum-request ]; do i=$((i+1)); [ $i -gt 600 ] && exit 1; sleep 0.1; done; cat {d}/checksum")).Trim();
    }
}
