using System.IO.Pipes;
using System.Runtime.InteropServices;

namespace MigrationTools.Bench;

/// <summary>Reads and sets the capacity of a Linux pipe behind a stream, as the engine's runner does for bulk streams.</summary>
internal static class PipeSize
{
    private const int SetPipeSize = 1031;
    private const int GetPipeSize = 1032;

    /// <summary>The pipe's capacity in bytes, or -1 when the stream is not a pipe.</summary>
    public static int Of(Stream stream) =>
        stream is PipeStream pipe ? Fcntl(pipe.SafePipeHandle.DangerousGetHandle().ToInt32(), GetPipeSize, 0) : -1;

    /// <summary>Asks for <paramref name="capacity"/> bytes; the kernel may refuse, which leaves the pipe as it was.</summary>
    public static void Widen(Stream stream, int capacity)
    {
        if (stream is PipeStream pipe)
        {
            _ = Fcntl(pipe.SafePipeHandle.DangerousGetHandle().ToInt32(), SetPipeSize, capacity);
        }
    }

    [DllImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static extern int Fcntl(int fd, int command, int argument);
}
