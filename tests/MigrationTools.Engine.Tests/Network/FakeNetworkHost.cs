using System.Diagnostics;
using MigrationTools.Engine.Remote;

namespace MigrationTools.Engine.Tests.Network;

/// <summary>
/// A stand-in host for the service address scripts: an interface directory shaped like <c>/sys/class/net</c>, and
/// <c>ip</c>, <c>arping</c>, <c>python3</c> and <c>setsid</c> on the PATH that keep the held addresses in a file, answer duplicate
/// detection from a list of neighbours, and log every call. Its directory's name has a space and a quote, so every path
/// the scripts receive must arrive quoted.
/// </summary>
internal sealed class FakeNetworkHost : IDisposable
{
    private const string Ip = """
        #!/bin/sh
        echo "ip $*" >> "$FAKE/log"
        case "$1 $2 $3" in
        "-o addr show")
            [ -e "$FAKE/net/$5" ] || { echo "Device \"$5\" does not exist." >&2; exit 1; }
            while read -r i c; do
                [ "$i" = "$5" ] && printf '2: %s    inet %s scope global %s\\       valid_lft forever preferred_lft forever\n' "$i" "$c" "$i"
            done < "$FAKE/held"
            exit 0 ;;
        "addr add "*) [ -e "$FAKE/refuse-add" ] && { echo "RTNETLINK answers: Operation not permitted" >&2; exit 2; }
            echo "$5 $3" >> "$FAKE/held" ;;
        "addr del "*) awk -v i="$5" -v c="$3" '!($1 == i && $2 == c)' "$FAKE/held" > "$FAKE/held.new" && mv "$FAKE/held.new" "$FAKE/held" ;;
        *) echo "fake ip: $*" >&2; exit 1 ;;
        esac
        """;

    private const string Arping = """
        #!/bin/sh
        echo "arping $*" >> "$FAKE/log"
        for a; do t=$a; done
        case " $* " in *" -D "*)
            echo "ARPING $t from 0.0.0.0"
            while read -r n m; do [ "$n" = "$t" ] && echo "Unicast reply from $n [$m]  0.588ms"; done < "$FAKE/neighbours" ;;
        esac
        exit 0
        """;

    // Stands in for the neighbour program: $3 mode, $4 address, $5 interface.
    private const string Python3 = """
        #!/bin/sh
        echo "python3 $3 $4 $5" >> "$FAKE/log"
        while read -r n m; do [ "$n" = "$4" ] && echo "answer $m"; done < "$FAKE/neighbours"
        exit 0
        """;

    private const string Setsid = """
        #!/bin/sh
        echo "setsid $*" >> "$FAKE/detached"
        """;

    private static readonly string[] Tools = ["awk", "tr"];
    private static readonly string[] ScriptTools = ["sh", "cat", "tr", "awk", "mv", "sleep"];
    private static readonly string[] ToolDirectories = ["/usr/bin/", "/bin/"];

    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("mt net it's ");
    private string? _path;

    public FakeNetworkHost()
    {
        Directory.CreateDirectory(Bin);
        Directory.CreateDirectory(NetDirectory);
        Write(Path.Combine(Bin, "ip"), Ip);
        Write(Path.Combine(Bin, "arping"), Arping);
        Write(Path.Combine(Bin, "setsid"), Setsid);
        Write(Path.Combine(Bin, "python3"), Python3);
        File.WriteAllText(Path.Combine(Root, "held"), "");
        File.WriteAllText(Path.Combine(Root, "neighbours"), "");
        File.WriteAllText(Path.Combine(Root, "log"), "");
    }

    public string Root => _root.FullName;

    public string NetDirectory => Path.Combine(Root, "net");

    private string Bin => Path.Combine(Root, "bin");

    public string[] Log => File.ReadAllLines(Path.Combine(Root, "log"));

    public string[] Held => File.ReadAllLines(Path.Combine(Root, "held"));

    public string Detached => File.Exists(Path.Combine(Root, "detached")) ? File.ReadAllText(Path.Combine(Root, "detached")) : "";

    public static bool IsAvailable =>
        OperatingSystem.IsLinux() && File.Exists("/bin/sh") && Tools.All(t => File.Exists("/usr/bin/" + t) || File.Exists("/bin/" + t));

    /// <summary>Adds an interface: its hardware address, and whether it is up.</summary>
    public void AddInterface(string name, string mac, bool up = true, string operstate = "up")
    {
        var dir = Directory.CreateDirectory(Path.Combine(NetDirectory, name)).FullName;
        File.WriteAllText(Path.Combine(dir, "address"), mac + "\n");
        File.WriteAllText(Path.Combine(dir, "flags"), (up ? "0x1003" : "0x1002") + "\n");
        File.WriteAllText(Path.Combine(dir, "operstate"), operstate + "\n");
    }

    public void Hold(string interfaceName, string cidr) => File.AppendAllText(Path.Combine(Root, "held"), $"{interfaceName} {cidr}\n");

    public void Neighbour(string address, string mac) => File.AppendAllText(Path.Combine(Root, "neighbours"), $"{address} {mac}\n");

    /// <summary>Takes python3 off the PATH: the scripts then find only the fake tools and links to the few others they need.</summary>
    public void WithoutPython()
    {
        File.Delete(Path.Combine(Bin, "python3"));
        foreach (var tool in ScriptTools)
        {
            var found = ToolDirectories.Select(d => d + tool).First(File.Exists);
            File.CreateSymbolicLink(Path.Combine(Bin, tool), found);
        }

        _path = Bin;
    }

    public void RefuseAdds() => File.WriteAllText(Path.Combine(Root, "refuse-add"), "");

    /// <summary>Runs a command's quoted line through <c>/bin/sh</c>, as sshd hands it to the remote shell.</summary>
    public RemoteResult Run(RemoteCommand command)
    {
        var startInfo = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        startInfo.ArgumentList.Add("-c");
        startInfo.ArgumentList.Add(command.CommandLine);
        startInfo.Environment["PATH"] = _path ?? Bin + ":" + Environment.GetEnvironmentVariable("PATH");
        startInfo.Environment["FAKE"] = Root;
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException("/bin/sh did not start.");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("The script did not finish within 30 s.");
        }

        Task.WaitAll(output, error);
        return new RemoteResult("fake", command.CommandLine, process.ExitCode, System.Text.Encoding.UTF8.GetBytes(output.Result), error.Result);
    }

    public void Dispose() => _root.Delete(recursive: true);

    private static void Write(string path, string text)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("The stand-in host's tools are shell scripts.");
        }

        File.WriteAllText(path, text.Replace("\r\n", "\n", StringComparison.Ordinal) + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}

/// <summary>A fact that runs the service address scripts against <see cref="FakeNetworkHost"/>; skipped off Linux.</summary>
public sealed class NetworkScriptFactAttribute : FactAttribute
{
    public NetworkScriptFactAttribute()
    {
        if (!FakeNetworkHost.IsAvailable)
        {
            Skip = "needs Linux with /bin/sh, awk and tr";
        }
    }
}
