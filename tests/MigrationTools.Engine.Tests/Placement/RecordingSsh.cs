using System.Text;
using MigrationTools.Engine.Migrations;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Workloads;

namespace MigrationTools.Engine.Tests.Placement;

/// <summary>
/// A stand-in for the OpenSSH client (<see cref="SshOptions.SshPath"/>), the seam every remote command of the engine
/// goes through: it answers <c>ssh -G</c> and <c>-O</c>, and for each command records the host and the words a remote
/// shell would make of the quoted command line (decoded by a real <c>sh</c>, so quoting is checked too), without the
/// engine's watchdog wrapper. It answers from rules the test gives: the first whose host and word pattern match, used
/// once or always; an unmatched command prints nothing and succeeds. A command that reads its input has it drained.
/// </summary>
internal sealed class RecordingSsh : IDisposable
{
    private const string Script = """
        #!/bin/sh
        F=$MT_FAKE_SSH
        mode=run
        for a; do
            [ "$a" = "--" ] && break
            case $a in -G) mode=config;; -O) mode=control;; esac
        done
        for a; do h=$l; l=$a; done
        case $mode in
            config) printf 'user root\nhostname %s\nciphers aes128-ctr\n' "$l"; exit 0;;
            control) exit 0;;
        esac
        while ! mkdir "$F/lock" 2>/dev/null; do sleep 0.01; done
        n=$(cat "$F/count"); n=$((n + 1)); echo "$n" > "$F/count"
        eval "set -- $l"
        case $3 in *'<&3 3<&-'*) input=1;; *) input=;; esac
        shift 4
        printf '%s' "$h" > "$F/calls/$n.host"
        printf '%s\000' "$@" > "$F/calls/$n.argv"
        words="$*"
        rule=
        for r in "$F"/rules/*; do
            [ -d "$r" ] || continue
            hp=$(cat "$r/host"); wp=$(cat "$r/words")
            case $h in $hp) ;; *) continue;; esac
            case $words in $wp) rule=$r; break;; esac
        done
        status=0
        : > "$F/calls/$n.out"; : > "$F/calls/$n.err"
        if [ -n "$rule" ]; then
            status=$(cat "$rule/status"); cp "$rule/out" "$F/calls/$n.out"; cp "$rule/err" "$F/calls/$n.err"
            [ -e "$rule/once" ] && rm -rf -- "$rule"
        fi
        rmdir "$F/lock"
        [ -n "$input" ] && cat > /dev/null
        cat "$F/calls/$n.out"; cat "$F/calls/$n.err" >&2
        exit "$status"
        """;

    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("mt-ssh-");
    private int _rules;

    public RecordingSsh()
    {
        Directory.CreateDirectory(Path.Combine(Root, "calls"));
        Directory.CreateDirectory(Path.Combine(Root, "rules"));
        File.WriteAllText(Path.Combine(Root, "count"), "0\n");
        // The path reaches the script through the environment: the engine runs ssh with the controller's.
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("The recording ssh is a shell script.");
        }

        var ssh = Path.Combine(Root, "ssh");
        File.WriteAllText(ssh, Script.Replace("$MT_FAKE_SSH", ShellQuote.Quote(Root), StringComparison.Ordinal));
        File.SetUnixFileMode(ssh, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        SshPath = ssh;
    }

    public string SshPath { get; }

    private string Root => _root.FullName;

    /// <summary>Hosts h1 (source) and h2 (destination) whose every command goes through this fake.</summary>
    public MigrationHosts Hosts() =>
        new(SshDestination.Parse("h1"), SshDestination.Parse("h2"), new SshOptions { SshPath = SshPath, Multiplexing = false }, WorkloadPaths.Default);

    /// <summary>Answers commands on <paramref name="host"/> whose words match the shell pattern <paramref name="words"/>.</summary>
    public void Answer(string host, string words, string output, int status = 0, string error = "", bool once = false)
    {
        var rule = Directory.CreateDirectory(Path.Combine(Root, "rules", (++_rules).ToString("D4", System.Globalization.CultureInfo.InvariantCulture))).FullName;
        File.WriteAllText(Path.Combine(rule, "host"), host);
        File.WriteAllText(Path.Combine(rule, "words"), words);
        File.WriteAllText(Path.Combine(rule, "status"), status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        File.WriteAllText(Path.Combine(rule, "out"), output);
        File.WriteAllText(Path.Combine(rule, "err"), error);
        if (once)
        {
            File.WriteAllText(Path.Combine(rule, "once"), "");
        }
    }

    /// <summary>Every command run so far, in order: the host and the command's words.</summary>
    public IReadOnlyList<RecordedCommand> Calls
    {
        get
        {
            var count = int.Parse(File.ReadAllText(Path.Combine(Root, "count")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            return Enumerable.Range(1, count).Select(n =>
            {
                var argv = File.ReadAllText(Path.Combine(Root, "calls", n + ".argv"), Encoding.UTF8);
                return new RecordedCommand(
                    File.ReadAllText(Path.Combine(Root, "calls", n + ".host")),
                    argv.Length == 0 ? [] : argv[..^1].Split('\0'));
            }).ToArray();
        }
    }

    public void Dispose()
    {
        _root.Delete(true);
    }
}

/// <summary>One command the fake ssh ran: the host and the words the remote shell got.</summary>
internal sealed record RecordedCommand(string Host, IReadOnlyList<string> Words)
{
    /// <summary>Whether this runs <paramref name="criuVerb"/> (such as <c>pre-dump</c>): the words hold <c>criu VERB</c>.</summary>
    public bool RunsCriu(string criuVerb) => CriuWords(criuVerb) is not null;

    /// <summary>The words from <c>criu VERB</c> on; <see langword="null"/> when the command does not run it.</summary>
    public IReadOnlyList<string>? CriuWords(string criuVerb)
    {
        for (var i = 0; i + 1 < Words.Count; i++)
        {
            if (Words[i] == "criu" && Words[i + 1] == criuVerb)
            {
                return Words.Skip(i).ToArray();
            }
        }

        return null;
    }

    /// <summary>The value after <paramref name="flag"/>; <see langword="null"/> when the flag is not there.</summary>
    public static string? After(IReadOnlyList<string> words, string flag)
    {
        var index = words.ToList().IndexOf(flag);
        return index >= 0 && index + 1 < words.Count ? words[index + 1] : null;
    }

    public override string ToString() => Host + ": " + string.Join(' ', Words.Select(w => w.Length > 40 ? w[..40] + "…" : w));
}
