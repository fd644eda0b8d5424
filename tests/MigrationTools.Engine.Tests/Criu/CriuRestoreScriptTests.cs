using System.Globalization;
using MigrationTools.Engine.Criu;
using MigrationTools.Engine.Tests.Workloads;

namespace MigrationTools.Engine.Tests.Criu;

/// <summary>
/// The restore script, run on this machine with a stand-in for <c>criu restore</c> that names a live process (this
/// test's own) in the PID file, as criu does: the root is printed and, when asked, recorded in the same command.
/// </summary>
public sealed class CriuRestoreScriptTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("mt-restore-");

    public CriuRestoreScriptTests()
    {
        Directory.CreateDirectory(Images);
        File.WriteAllText(Path.Combine(Images, "inventory.img"), "");
    }

    private string Images => Path.Combine(_root.FullName, "images");

    private static string Pid => Environment.ProcessId.ToString(CultureInfo.InvariantCulture);

    public void Dispose() => _root.Delete(recursive: true);

    [ScriptFact]
    public void TheRestoredRootIsRecordedWhereAskedAndPrinted()
    {
        var record = Path.Combine(_root.FullName, "runtime", "web", "pid");

        var result = Restore(record);

        Assert.Equal(0, result.ExitCode);
        var printed = result.Text();
        Assert.StartsWith(Pid + " ", printed, StringComparison.Ordinal);
        Assert.Equal(printed, File.ReadAllText(record));
        Assert.False(File.Exists(record + ".new"));
    }

    [ScriptFact]
    public void WithoutARecordFileNothingIsWritten()
    {
        var result = Restore("");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith(Pid + " ", result.Text(), StringComparison.Ordinal);
        Assert.Equal(["images"], _root.GetDirectories().Select(d => d.Name));
    }

    [ScriptFact]
    public void ARecordThatCannotBeWrittenFailsTheCommandAndSaysSo()
    {
        var blocker = Path.Combine(_root.FullName, "a-file");
        File.WriteAllText(blocker, "");

        var result = Restore(Path.Combine(blocker, "pid"));

        Assert.Equal(122, result.ExitCode);
        Assert.Contains($"process {Pid} could not be recorded in {blocker}/pid", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pid")]
    [InlineData("/run/mt/web/")]
    [InlineData("/run/mt/../pid")]
    [InlineData("/run/mt/web\n/pid")]
    [InlineData("/")]
    public void ARecordFileMustBeAnAbsoluteFilePath(string path)
    {
        var images = CriuImageDirectory.Parse("/run/migrationtools/images/web-1");

        var error = Assert.Throws<ArgumentException>(() => new CriuRestoreRequest(images) { RecordFile = path });

        Assert.Contains("record file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheRecordFileIsPassedAsAnArgument()
    {
        var images = CriuImageDirectory.Parse("/run/migrationtools/images/web-1");
        var request = new CriuRestoreRequest(images) { RecordFile = "/run/mt/web it's/pid" };

        Assert.Equal(
            new[] { "sh", "-c", CriuScripts.Restore, "sh", images.Path, "/run/mt/web it's/pid" }.Concat(CriuCommands.Restore(request)),
            Assert.Single(CriuCommands.ScriptedRestore(request).Stages));
    }

    // Stands in for criu restore: names this test's process in the PID file, as criu names the restored root.
    private (int ExitCode, byte[] Output, string Error) Restore(string record) =>
        LocalScript.Run(CriuScripts.Restore, [Images, record, "sh", "-c", "echo \"$0\" > \"$1/restore.pid\"", Pid, Images]);
}
