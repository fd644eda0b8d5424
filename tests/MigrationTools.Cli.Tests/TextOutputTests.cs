using MigrationTools.Cli.Output;
using MigrationTools.Engine.Migrations;

namespace MigrationTools.Cli.Tests;

/// <summary>Tables and the migration block as people read them.</summary>
public sealed class TextOutputTests
{
    [Fact]
    public void ATableAlignsColumnsAndRightAlignsNumbers()
    {
        using var writer = new StringWriter();
        new Table("NAME", "SIZE>", "NOTE").Add("web", "1.5 GiB", "first").Add("database", "12 B", null).Write(writer);

        Assert.Equal(
            [
                "NAME         SIZE  NOTE",
                "web       1.5 GiB  first",
                "database     12 B  -",
            ],
            writer.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void ACellCannotBreakARowOrMoveTheCursor()
    {
        using var writer = new StringWriter();
        new Table("A", "B").Add("line one\nline two", "bell\u0007 and \u001b[2J escape").Write(writer, indent: 2);

        var lines = writer.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("  A", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain(lines[1], c => char.IsControl(c));
        Assert.Contains("line one line two", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void ARowWithTheWrongNumberOfCellsIsABug()
    {
        Assert.Throws<ArgumentException>(() => new Table("A", "B").Add("only one"));
    }

    [Fact]
    public void AMigrationBlockSaysWhereTheWorkloadRunsWhatMovedAndWhatToDoNext()
    {
        using var writer = new StringWriter();

        HumanText.WriteMigration(writer, MigrationView.Of(JsonViewTests.SwitchedRecord()));

        var text = writer.ToString();
        Assert.Contains("Migration  m-0123456789ab", text, StringComparison.Ordinal);
        Assert.Contains("State      switched; the workload runs on root@h2", text, StringComparison.Ordinal);
        Assert.Contains("Moved      2.9 MiB in all, 2 sync round(s)", text, StringComparison.Ordinal);
        Assert.Contains("Downtime   0.84 s (checkpoint/stop 0.20 s, restore/start 0.30 s)", text, StringComparison.Ordinal);
        Assert.Contains("limit 50.0 MiB/s", text, StringComparison.Ordinal);
        Assert.Matches(@"\n  begin\s+\d\d:\d\d:\d\d\s+10 s\s+2.8 MiB\s+sent 2.9 MiB in 1 dataset\(s\)\n", text);
        Assert.Contains("Next       migrationtools migration complete m-0123456789ab", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(MigrationState.Created, "migration start")]
    [InlineData(MigrationState.Synced, "migration switch")]
    [InlineData(MigrationState.Switching, "migration switch")]
    [InlineData(MigrationState.Failed, "a person must check both hosts")]
    public void TheNextStepFollowsTheState(MigrationState state, string expected)
    {
        var view = MigrationView.Of(JsonViewTests.SwitchedRecord() with { State = state });

        Assert.Contains(expected, HumanText.NextStep(view), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(MigrationState.Completed)]
    [InlineData(MigrationState.Aborted)]
    [InlineData(MigrationState.RolledBack)]
    public void AMigrationThatIsOverHasNoNextStep(MigrationState state) =>
        Assert.Null(HumanText.NextStep(MigrationView.Of(JsonViewTests.SwitchedRecord() with { State = state })));

    [Fact]
    public void APlanNamesTheServiceAddressesThatWouldMoveAndSaysNothingOfThemWhenThereAreNone()
    {
        PlanView Plan(params Engine.Network.ServiceAddress[] addresses) => PlanView.Of(new MigrationPlan(
            Engine.Workloads.WorkloadName.Parse("web"), "h1", "h2", Engine.Workloads.CheckpointMode.Criu,
            [Engine.Preflight.PreflightCheck.Pass("DistinctHosts", "h1 to h2")], [], addresses));
        using var with = new StringWriter();
        using var without = new StringWriter();

        HumanText.WritePlan(with, Plan(Engine.Network.ServiceAddress.Parse("10.0.0.80/24@eth0"), Engine.Network.ServiceAddress.Parse("fd00::80/64@br0")));
        HumanText.WritePlan(without, Plan());

        Assert.Contains("Service addresses that move with it: 10.0.0.80/24@eth0, fd00::80/64@br0.", with.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Service addresses", without.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void AMigrationBlockNamesTheMemoryTransferAskedForAndUsedAndThePostCopyTime()
    {
        var record = JsonViewTests.SwitchedRecord() with
        {
            Settings = new MigrationSettings { MemoryTransfer = Engine.Criu.MemoryTransfer.PostCopy },
            DowntimeParts = new DowntimeParts { Dump = TimeSpan.FromSeconds(0.2), MemoryTransfer = Engine.Criu.MemoryTransfer.PostCopy, PostCopy = TimeSpan.FromSeconds(4.2) },
        };
        using var writer = new StringWriter();
        using var auto = new StringWriter();

        HumanText.WriteMigration(writer, MigrationView.Of(record));
        HumanText.WriteMigration(auto, MigrationView.Of(JsonViewTests.SwitchedRecord()));

        Assert.Contains(
            "Downtime   0.84 s (checkpoint/stop 0.20 s); memory by post-copy, every page arrived 4.20 s after the restore (the workload served meanwhile)",
            writer.ToString(), StringComparison.Ordinal);
        Assert.Contains(", memory by post-copy", writer.ToString().Split('\n').Single(l => l.StartsWith("Settings", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.DoesNotContain("memory by", auto.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void APlanSaysHowMemoryWouldMoveAndWhy()
    {
        var choice = Engine.Criu.MemoryTransferChoice.Choose(Engine.Criu.MemoryTransfer.Auto, "h2 has no userfaultfd.", null);
        PlanView Plan(Engine.Criu.MemoryTransferChoice? memory) => PlanView.Of(new MigrationPlan(
            Engine.Workloads.WorkloadName.Parse("web"), "h1", "h2", Engine.Workloads.CheckpointMode.Criu,
            [Engine.Preflight.PreflightCheck.Pass("DistinctHosts", "h1 to h2")], [], null, memory));
        using var with = new StringWriter();
        using var without = new StringWriter();

        HumanText.WritePlan(with, Plan(choice));
        HumanText.WritePlan(without, Plan(null));

        Assert.Contains("Memory moves by pre-copy: " + choice.Reason, with.ToString(), StringComparison.Ordinal);
        Assert.Contains("h2 has no userfaultfd.", choice.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("Memory moves", without.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void AnEmptyListSaysSoInWords()
    {
        using var writer = new StringWriter();
        HumanText.WriteWorkloads(writer, []);
        HumanText.WriteMigrations(writer, []);

        Assert.Equal(
            ["No workloads are declared there.", "The journal holds no migrations."],
            writer.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData("postCopy", "post-copy")]
    [InlineData("stopAndCopy", "stop-and-copy")]
    [InlineData("auto", "auto")]
    public void CamelCaseWordsReadAsTheCommandLineWritesThem(string word, string expected) =>
        Assert.Equal(expected, Words.Hyphenated(word));

    [Theory]
    [InlineData(0.84, "0.84 s")]
    [InlineData(12.4, "12 s")]
    [InlineData(185, "3 min 05 s")]
    [InlineData(3720, "1 h 02 min")]
    public void DurationsReadAsPeopleSayThem(double seconds, string expected) =>
        Assert.Equal(expected, Words.Duration(TimeSpan.FromSeconds(seconds)));
}
