using System.Runtime.Versioning;
using System.Text;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Engine.Tests.Workloads;

/// <summary>The catalog's scripts, run on this machine, and how it reads what they print.</summary>
public class WorkloadCatalogTests
{
    private static readonly WorkloadManifest Web = new(WorkloadName.Parse("web"), [], ["run"], CheckpointMode.Criu);

    [ScriptFact]
    public void OneListingReportsEveryFileAndAMalformedOneHidesNoOther()
    {
        var directory = Directory.CreateTempSubdirectory("mt-catalog-");
        try
        {
            File.WriteAllText(Path.Combine(directory.FullName, "web.json"), WorkloadManifestJson.Serialize(Web));
            File.WriteAllText(Path.Combine(directory.FullName, "bad.json"), "{\"name\": \"bad\", \"command\": 1}");
            File.WriteAllText(Path.Combine(directory.FullName, "other.json"), WorkloadManifestJson.Serialize(Web));
            File.WriteAllText(Path.Combine(directory.FullName, "with space.json"), "{}");
            File.WriteAllText(Path.Combine(directory.FullName, "empty.json"), "");
            File.WriteAllText(Path.Combine(directory.FullName, "notes.txt"), "not a manifest");

            var result = LocalScript.Run(WorkloadCatalog.ListScript, [directory.FullName, "1048577"]);
            var entries = WorkloadCatalog.ParseListing(directory.FullName, result.Text());

            Assert.Equal(0, result.ExitCode);
            Assert.Equal(["bad.json", "empty.json", "other.json", "web.json", "with space.json"], entries.Select(e => Path.GetFileName(e.File)));
            Assert.Equal(Web, Assert.Single(entries, e => e.IsValid).Manifest);
            Assert.Equal("$.command", entries[0].Error!.JsonPath);
            Assert.Contains("not valid JSON", entries[1].Error!.Message, StringComparison.Ordinal);
            Assert.Contains("must be named web.json", entries[2].Error!.Message, StringComparison.Ordinal);
            Assert.Equal(directory.FullName + "/with space.json", entries[4].File);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [ScriptFact]
    public void AMissingDirectoryListsNothing()
    {
        var result = LocalScript.Run(WorkloadCatalog.ListScript, ["/nonexistent/mt-" + Guid.NewGuid().ToString("N"), "1048577"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(WorkloadCatalog.ParseListing("/x", result.Text()));
    }

    [Fact]
    public void UnreadableAndGarbledLinesBecomeErrorEntries()
    {
        var name = Convert.ToBase64String(Encoding.UTF8.GetBytes("secret.json"));

        var entries = WorkloadCatalog.ParseListing("/m", $"{name} -\n{name} %%%\n\nnoise\n");

        Assert.Equal(2, entries.Count);
        Assert.All(entries, e => Assert.Equal("/m/secret.json", e.File));
        Assert.Contains("cannot be read", entries[0].Error!.Message, StringComparison.Ordinal);
        Assert.Contains("garbled", entries[1].Error!.Message, StringComparison.Ordinal);
    }

    [ScriptFact]
    [SupportedOSPlatform("linux")]
    public void AManifestIsWrittenWholeWithPrivateModesOrNotAtAll()
    {
        var root = Directory.CreateTempSubdirectory("mt-write-");
        var directory = Path.Combine(root.FullName, "a", "manifests");
        try
        {
            var content = Encoding.UTF8.GetBytes(WorkloadManifestJson.Serialize(Web));

            var written = LocalScript.Run(WorkloadCatalog.WriteScript, [directory, "web.json", content.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)], content);

            Assert.Equal(0, written.ExitCode);
            Assert.Equal(content, File.ReadAllBytes(Path.Combine(directory, "web.json")));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(directory, "web.json")));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(directory));

            // Input cut short, as a cancelled transfer may leave it: the old file stays and no temporary file remains.
            var cut = LocalScript.Run(WorkloadCatalog.WriteScript, [directory, "web.json", "9999"], content);

            Assert.NotEqual(0, cut.ExitCode);
            Assert.Contains("did not arrive whole", cut.Error, StringComparison.Ordinal);
            Assert.Equal(content, File.ReadAllBytes(Path.Combine(directory, "web.json")));
            Assert.Equal(["web.json"], Directory.GetFiles(directory).Select(Path.GetFileName));
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }
}
