using MigrationTools.Completers;

namespace MigrationTools.Module.Tests.Unit;

/// <summary>-ComputerName completion from ssh_config: the Host aliases that are names, not patterns.</summary>
public sealed class ComputerNameCompletionTests : IDisposable
{
    private const string LabConfig = """
        # Written by lab.sh
        Host h1
            HostName 127.0.0.11
            Port 22
            User root

        Host h2 h2-alias
            HostName 127.0.0.12
            HostName 10.0.0.99

        Host *.internal !bastion web? db,cache
            User ops

        Host=h3
          hostname=127.0.0.13

        Match host h4
            HostName 127.0.0.14

        host "quoted" h1
            HostName ignored.example
        Host backup # a comment after the name
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("mt-completion-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void ReadsTheAliasesOfHostLinesWithTheirFirstHostName()
    {
        var hosts = SshConfigHosts.Parse(new StringReader(LabConfig));

        Assert.Equal(
            [
                new SshConfigHost("h1", "127.0.0.11"),
                new SshConfigHost("h2", "127.0.0.12"),
                new SshConfigHost("h2-alias", "127.0.0.12"),
                new SshConfigHost("h3", "127.0.0.13"),
                new SshConfigHost("quoted", "ignored.example"),
                new SshConfigHost("backup", null),
            ],
            hosts);
    }

    [Fact]
    public void CompletesAPrefixWithoutRegardToCaseKeepingAUser()
    {
        var hosts = SshConfigHosts.Parse(new StringReader(LabConfig));

        Assert.Equal(["h1", "h2", "h2-alias", "h3"], ComputerNameCompletion.Complete(hosts, "H").Select(c => c.Text));
        Assert.Equal(["root@h2", "root@h2-alias"], ComputerNameCompletion.Complete(hosts, "root@h2").Select(c => c.Text));
        Assert.Equal(["backup"], ComputerNameCompletion.Complete(hosts, "'ba").Select(c => c.Text));
        Assert.Equal(6, ComputerNameCompletion.Complete(hosts, "").Count);
        Assert.Empty(ComputerNameCompletion.Complete(hosts, "zz"));
        Assert.Equal("h1 (127.0.0.11)", ComputerNameCompletion.Complete(hosts, "h1").Single().ToolTip);
    }

    [Fact]
    public void AFileThatCannotBeReadDeclaresNoHosts()
    {
        Assert.Empty(SshConfigHosts.Read(Path.Combine(_directory, "absent")));
        Assert.Empty(SshConfigHosts.Read(_directory));
    }

    [Fact]
    public void ReadsAFile()
    {
        var path = Path.Combine(_directory, "ssh_config");
        File.WriteAllText(path, LabConfig);

        Assert.Equal(6, SshConfigHosts.Read(path).Count);
    }
}
