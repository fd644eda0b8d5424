using System.IO.Pipes;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Tests.Remote;

/// <summary>The pipes of a bulk stream are sized on request; the default stays the system's.</summary>
[SupportedOSPlatform("linux")]
public class LocalProcessPipeTests
{
    private const int FGetPipeSize = 1032;

    [ShellFact]
    public async Task APipeCapacityIsGivenToStandardInputAndOutputAndDataStillFlows()
    {
        using var process = LocalProcess.Start(LocalCommand.Create("cat") with { PipeCapacity = 1 << 20 });
        var data = RandomNumberGenerator.GetBytes(3 << 20);

        Assert.Equal(1 << 20, Capacity(process.StandardInput));
        Assert.Equal(1 << 20, Capacity(process.StandardOutput));
        var writing = Task.Run(async () =>
        {
            await process.StandardInput.WriteAsync(data);
            process.CloseStandardInput();
        });
        using var read = new MemoryStream();
        await process.StandardOutput.CopyToAsync(read);
        await writing;
        Assert.Equal(0, (await process.WaitForExitAsync(CancellationToken.None)).ExitCode);
        Assert.Equal(data, read.ToArray());
    }

    [ShellFact]
    public void WithoutOneThePipesKeepTheSystemDefault()
    {
        using var process = LocalProcess.Start(LocalCommand.Create("cat"));

        Assert.Equal(64 * 1024, Capacity(process.StandardOutput));
        process.CloseStandardInput();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void ACapacityMustBePositive(int capacity)
    {
        var error = Assert.Throws<ArgumentException>(() => LocalProcess.Start(LocalCommand.Create("cat") with { PipeCapacity = capacity }));

        Assert.Contains("pipe capacity must be positive", error.Message, StringComparison.Ordinal);
    }

    private static int Capacity(Stream stream) =>
        UnixNative.fcntl(((PipeStream)stream).SafePipeHandle.DangerousGetHandle().ToInt32(), FGetPipeSize, 0);
}
