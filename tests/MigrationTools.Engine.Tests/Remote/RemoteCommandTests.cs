using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Tests.Remote;

public class RemoteCommandTests
{
    [Fact]
    public void CommandLineQuotesEveryWord()
    {
        var command = RemoteCommand.Create("zfs", "list", "-H", "tank/a b", "$(id)");

        Assert.Equal("'zfs' 'list' '-H' 'tank/a b' '$(id)'", command.CommandLine);
        Assert.Equal(command.CommandLine, command.ToString());
        Assert.Equal(["zfs", "list", "-H", "tank/a b", "$(id)"], command.ToArgv());
    }

    [Fact]
    public void PipeJoinsStagesWithTheEnginesOwnBar()
    {
        var command = RemoteCommand.Create("zfs", "send", "tank/a@1").Pipe(RemoteCommand.Create("wc", "-c"));

        Assert.Equal("'zfs' 'send' 'tank/a@1' | 'wc' '-c'", command.CommandLine);
        Assert.Equal(2, command.Stages.Count);
        Assert.Equal(["sh", "-c", "'zfs' 'send' 'tank/a@1' | 'wc' '-c'"], command.ToArgv());
    }

    [Fact]
    public void ABarInsideAWordStaysInTheWord()
    {
        var command = RemoteCommand.Create("echo", "a | b");

        Assert.Equal("'echo' 'a | b'", command.CommandLine);
        Assert.Single(command.Stages);
    }

    [Fact]
    public void RefusesEmptyNullAndNul()
    {
        Assert.Throws<ArgumentException>(() => RemoteCommand.Create());
        Assert.Throws<ArgumentException>(() => RemoteCommand.Create(""));
        Assert.Throws<ArgumentException>(() => RemoteCommand.Create("echo", null!));
        Assert.Throws<ArgumentException>(() => RemoteCommand.Create("echo", "a\0b"));
        Assert.Throws<ArgumentNullException>(() => RemoteCommand.Create((IEnumerable<string>)null!));
    }

    [Fact]
    public void CreateCopiesTheArgumentList()
    {
        var argv = new[] { "echo", "one" };
        var command = RemoteCommand.Create(argv);
        argv[1] = "two";

        Assert.Equal("'echo' 'one'", command.CommandLine);
    }
}
