using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Tests.Workloads;

namespace MigrationTools.Engine.Tests.Migrations;

/// <summary>The claim scripts run by the local /bin/sh: exclusive creation, idempotent re-claim, release by the owner only.</summary>
public sealed class MigrationClaimTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "mt-claim-" + Guid.NewGuid().ToString("N"));

    private string File => Path.Combine(_directory, "manifests", "web.migration");

    [ScriptFact]
    public void TheFirstClaimWinsARepeatIsHarmlessAndAnotherIdLearnsWhoHoldsIt()
    {
        Assert.Equal("claimed", Claim("m-aaaaaaaaaaaa"));
        Assert.Equal("held m-aaaaaaaaaaaa", Claim("m-aaaaaaaaaaaa"));
        Assert.Equal("held m-aaaaaaaaaaaa", Claim("m-bbbbbbbbbbbb"));
        Assert.Equal("m-aaaaaaaaaaaa", Read());
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, System.IO.File.GetUnixFileMode(File));
        }
    }

    [ScriptFact]
    public void OnlyTheOwnerReleasesTheClaim()
    {
        Claim("m-aaaaaaaaaaaa");

        Run(MigrationClaim.ReleaseScript, File, "m-bbbbbbbbbbbb");
        Assert.True(System.IO.File.Exists(File));

        Run(MigrationClaim.ReleaseScript, File, "m-aaaaaaaaaaaa");
        Assert.False(System.IO.File.Exists(File));
        Assert.Equal("", Read());
        Assert.Equal("claimed", Claim("m-bbbbbbbbbbbb"));
    }

    [ScriptFact]
    public void OfManyClaimingAtOnceExactlyOneWins()
    {
        var ids = Enumerable.Range(0, 16).Select(i => "m-" + i.ToString("x12", System.Globalization.CultureInfo.InvariantCulture)).ToArray();

        var answers = ids.AsParallel().WithDegreeOfParallelism(8).Select(id => (Id: id, Answer: Claim(id))).ToArray();

        var winner = Assert.Single(answers, a => a.Answer == "claimed");
        Assert.Equal(winner.Id, Read());
        Assert.All(answers.Where(a => a != winner), a => Assert.True(a.Answer == "held " + winner.Id || a.Answer == "held ", a.Answer));
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private string Claim(string id) => Run(MigrationClaim.ClaimScript, File, id);

    private string Read() => Run(MigrationClaim.ReadScript, File);

    private static string Run(string script, params string[] arguments)
    {
        var result = LocalScript.Run(script, arguments);
        Assert.True(result.ExitCode == 0, result.Error);
        return result.Text().Trim();
    }
}
