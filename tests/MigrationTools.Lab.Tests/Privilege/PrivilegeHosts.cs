using System.Text;
using MigrationTools.Engine.Privilege;
using MigrationTools.Engine.Workloads;
using MigrationTools.Engine.Zfs;
using MigrationTools.Lab.Tests.Lab;

namespace MigrationTools.Lab.Tests.Privilege;

/// <summary>
/// Installs the engine's own host helper and sudoers rules for the lab's unprivileged user on h1 and h2, as an operator
/// would (through root); disposing removes both, so no other test sees a rule.
/// </summary>
internal sealed class PrivilegeHosts : IAsyncDisposable
{
    public const string User = "migrator";

    private static readonly string[] Hosts = ["h1", "h2"];

    private readonly LabFixture _lab;

    private PrivilegeHosts(LabFixture lab, HostPolicy policy)
    {
        _lab = lab;
        Policy = policy;
    }

    public HostPolicy Policy { get; }

    /// <summary>The helper and every rule, for datasets below the pool and the given workload directories.</summary>
    public static Task<PrivilegeHosts> InstallAsync(LabFixture lab, WorkloadPaths paths)
    {
        var policy = new HostPolicy([DatasetName.Parse(lab.Pool)], paths);
        return InstallAsync(lab, policy, HostHelperScript.Render(policy), SudoersPolicy.Render(User));
    }

    /// <summary>The given helper and rules (as the command line printed them) for <paramref name="policy"/>'s helper path.</summary>
    public static async Task<PrivilegeHosts> InstallAsync(LabFixture lab, HostPolicy policy, string helper, string sudoers)
    {
        var hosts = new PrivilegeHosts(lab, policy);
        await hosts.InstallAsync(helper, "0755", policy.HelperPath, "sh -n");
        await hosts.WriteRulesAsync(sudoers);
        return hosts;
    }

    /// <summary>Replaces the rules with <paramref name="sudoers"/>, checked by visudo first.</summary>
    public Task WriteRulesAsync(string sudoers) => InstallAsync(sudoers, "0440", SudoersPolicy.DefaultFile, "visudo -qcf");

    // Through a scratch file checked by `check` first: the lab's hosts have no /dev/stdin.
    private async Task InstallAsync(string content, string mode, string path, string check)
    {
        foreach (var host in Hosts)
        {
            using var input = new MemoryStream(Encoding.UTF8.GetBytes(content));
            (await _lab.SshAsync(
                host,
                $"t=$(mktemp) && cat > \"$t\" && {check} \"$t\" && install -D -o root -g root -m {mode} \"$t\" {path}; s=$?; rm -f \"$t\"; exit $s",
                input)).EnsureSuccess();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in Hosts)
        {
            await _lab.SshAsync(host, $"rm -f {SudoersPolicy.DefaultFile} {Policy.HelperPath}");
        }
    }
}
