using System;
using System.Collections.Generic;

namespace MigrationTools.Engine.Remote;

/// <summary>
/// Wraps a remote command so that it ends when its ssh channel closes. Without a terminal, sshd sends no
/// signal when a client goes away, so a remote <c>sleep 600</c> would outlive a killed local ssh.
/// </summary>
/// <remarks>
/// The command runs under <c>setsid</c> in its own process group, which a watchdog kills (TERM, then KILL
/// after 5 s) when the channel goes away before the command exits; its exit status is passed through.
/// A command that does not read standard input gets <c>/dev/null</c>; the channel's standard input is left to
/// the watchdog, which waits for its end-of-file (the engine keeps it open until the command exits).
/// A command that reads standard input keeps it, so end-of-file means "no more data", not "stop"; the
/// watchdog then writes a NUL byte to standard output every second (the engine strips them) and fires when
/// that write fails. Standard output it is, not standard error: when a multiplexing client dies, its master
/// tells sshd to stop reading the channel's output (<c>eow@openssh.com</c>), but keeps standard error flowing.
/// </remarks>
internal static class RemoteWrapper
{
    /// <summary>The wrapper's <c>$0</c>: what it is called in <c>ps</c> and in its own messages.</summary>
    public const string Name = "mt-remote";

    /// <summary>For commands that do not read standard input: fire on end-of-file on the channel's stdin.</summary>
    public const string WatchInputScript =
        "exec 3<&0 </dev/null; " +
        "setsid \"$@\" 3<&- & c=$!; " +
        "{ while read -r _ <&3; do :; done; " + Grace + "trap '' TERM; " +
        "kill -s TERM -- -$c; sleep 5; kill -s KILL -- -$c; } >/dev/null 2>&1 & w=$!; " +
        "exec 3<&-; wait $c; s=$?; kill $w 2>/dev/null; exit $s";

    /// <summary>For commands that read standard input: fire when a heartbeat on stdout can no longer be written.</summary>
    public const string WatchOutputScript =
        "exec 3<&0 </dev/null; " +
        "setsid \"$@\" <&3 3<&- & c=$!; exec 3<&-; " +
        "{ trap '' PIPE; while printf '\\000'; do sleep 1 >/dev/null 2>&1; done; " + Grace + "trap '' TERM; " +
        "kill -s TERM -- -$c; sleep 5 >/dev/null 2>&1; kill -s KILL -- -$c; } 2>/dev/null & w=$!; " +
        "wait $c; s=$?; kill $w 2>/dev/null; exit $s";

    /// <summary>The heartbeat byte the watchdog of a command that reads input writes to standard output.</summary>
    public const byte Heartbeat = 0;

    // Up to two seconds for the command to notice the closed channel and end by itself before it is signalled:
    // zfs releases the holds a send placed, and discards a partial receive, only when it ends that way.
    private const string Grace = "i=0; while kill -0 $c 2>/dev/null && [ $i -lt 20 ]; do sleep 0.1; i=$((i+1)); done; ";

    /// <summary>
    /// For a bulk stream into the command: its standard input pipe enlarged to 1 MiB (F_SETPIPE_SZ, Linux), so that
    /// sshd hands the stream over in large pieces instead of waking for every few kilobytes the command reads. Best
    /// effort, through perl (Debian's perl-base is essential): where perl or Linux is missing, the pipe stays as it is.
    /// </summary>
    public const string WidenInputPipe = "perl -e '$^O eq q(linux) and fcntl(STDIN, 1031, 1048576)' 2>/dev/null; ";

    /// <summary>For a bulk stream out of the command: its standard output pipe enlarged, as <see cref="WidenInputPipe"/>.</summary>
    public const string WidenOutputPipe = "perl -e '$^O eq q(linux) and fcntl(STDOUT, 1031, 1048576)' 2>/dev/null; ";

    private static readonly string[] SudoPrefix = { "sudo", "-n", "--" };

    /// <summary>The remote command line: optional <c>sudo -n --</c>, the wrapper, then the command's words.</summary>
    /// <param name="command">The command to run.</param>
    /// <param name="readsInput">Whether the command reads the channel's standard input.</param>
    /// <param name="elevate">Run the wrapper and the command as root through <c>sudo -n</c>.</param>
    /// <param name="bulk">The command streams data in bulk (<see cref="WidenInputPipe"/>, <see cref="WidenOutputPipe"/>).</param>
    public static string CommandLine(RemoteCommand command, bool readsInput, bool elevate, bool bulk = false)
    {
        var words = new List<string>();
        if (elevate)
        {
            // The watchdog runs under sudo too, so it may signal the command it guards.
            words.AddRange(SudoPrefix);
        }

        var widen = !bulk ? "" : readsInput ? WidenInputPipe : WidenOutputPipe;
        words.AddRange(new[] { "sh", "-c", widen + (readsInput ? WatchOutputScript : WatchInputScript), Name });
        words.AddRange(command.ToArgv());
        return ShellQuote.Join(words);
    }

    /// <summary>
    /// The standard output of a command that reads input, without the heartbeat bytes. Such a command's own
    /// output must be free of NUL bytes (text, such as a checksum or <c>zfs receive -v</c>), since every NUL is removed.
    /// </summary>
    public static byte[] StripHeartbeats(byte[] standardOutput)
    {
        if (Array.IndexOf(standardOutput, Heartbeat) < 0)
        {
            return standardOutput;
        }

        var kept = new List<byte>(standardOutput.Length);
        foreach (var b in standardOutput)
        {
            if (b != Heartbeat)
            {
                kept.Add(b);
            }
        }

        return kept.ToArray();
    }
}
