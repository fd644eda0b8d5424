using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace MigrationTools.Engine.Phases;

/// <summary>
/// The per-host slots of <see cref="HostLimits"/>: <c>MaxMigrationsPerHost</c> files per host under
/// <c>&lt;journal&gt;/.host-slots/</c>, each held by an exclusive open (flock on Unix) for as long as one migration acts
/// on the host. A lock dies with its process, so a crashed controller never keeps a slot; every opening of a file
/// excludes every other, within one process as across processes.
/// </summary>
internal sealed class HostSlots
{
    /// <summary>The directory's name inside the journal directory.</summary>
    public const string DirectoryName = ".host-slots";

    /// <summary>How often a full host is tried again.</summary>
    internal static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>How often a wait is reported again.</summary>
    private static readonly TimeSpan ReportInterval = TimeSpan.FromSeconds(5);

    public HostSlots(string journalDirectory, HostLimits limits)
    {
        Directory = Path.Combine(journalDirectory ?? throw new ArgumentNullException(nameof(journalDirectory)), DirectoryName);
        Limits = limits ?? throw new ArgumentNullException(nameof(limits));
    }

    /// <summary>Where the slot files are.</summary>
    public string Directory { get; }

    public HostLimits Limits { get; }

    /// <summary>The name a host's slots are kept under: the host name in lower case (user and port name the same machine).</summary>
    public static string KeyOf(string host)
    {
        var name = host ?? throw new ArgumentNullException(nameof(host));
        var at = name.LastIndexOf('@');
        if (at >= 0)
        {
            name = name.Substring(at + 1);
        }

        if (name.StartsWith("[", StringComparison.Ordinal) && name.IndexOf(']') is var close and > 0)
        {
            name = name.Substring(1, close - 1);
        }
        else if (name.Count(c => c == ':') == 1)
        {
            name = name.Substring(0, name.IndexOf(':'));
        }

        var safe = new StringBuilder();
        foreach (var c in name.ToLowerInvariant())
        {
            safe.Append(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '-' or '_' ? c : '_');
        }

        return safe.ToString();
    }

    /// <summary>The path of one slot file.</summary>
    public string PathOf(string hostKey, int slot) =>
        Path.Combine(Directory, hostKey + "." + slot.ToString(CultureInfo.InvariantCulture) + ".slot");

    /// <summary>
    /// Takes one slot on each host, in sorted order so that two migrations never wait on each other, waiting while a
    /// host is full. Released by disposing the lease; on cancellation or failure nothing stays held.
    /// </summary>
    /// <param name="hosts">The hosts the migration acts on.</param>
    /// <param name="holder">Who holds it, written into the slot file for a person looking.</param>
    /// <param name="waiting">Told, now and then, which host is waited for.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The lease.</returns>
    public async Task<HostSlotLease> AcquireAsync(
        IEnumerable<string> hosts, string holder, Action<string>? waiting, CancellationToken cancellationToken)
    {
        EnsureDirectory();
        var keys = hosts.Select(KeyOf).Distinct(StringComparer.Ordinal).OrderBy(k => k, StringComparer.Ordinal).ToArray();
        var held = new List<(string Key, FileStream Stream)>();
        try
        {
            foreach (var key in keys)
            {
                DateTime? reported = null;
                while (true)
                {
                    if (TryTake(key, holder) is { } stream)
                    {
                        held.Add((key, stream));
                        break;
                    }

                    if (reported is null || DateTime.UtcNow - reported.Value >= ReportInterval)
                    {
                        waiting?.Invoke(key);
                        reported = DateTime.UtcNow;
                    }

                    await Task.Delay(RetryInterval, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch
        {
            foreach (var (_, stream) in held)
            {
                Release(stream);
            }

            throw;
        }

        var shares = held.ToDictionary(h => h.Key, h => Share(h.Key), StringComparer.Ordinal);
        return new HostSlotLease(held.Select(h => h.Stream).ToArray(), keys, shares);
    }

    /// <summary>How many slots of the host are held now, by the holder text their holders wrote.</summary>
    public int HeldOn(string hostKey)
    {
        var held = 0;
        for (var slot = 0; slot < Limits.MaxMigrationsPerHost; slot++)
        {
            try
            {
                var info = new FileInfo(PathOf(hostKey, slot));
                if (info.Exists && info.Length > 0)
                {
                    held++;
                }
            }
            catch (IOException)
            {
                // Unreadable: not counted.
            }
        }

        return held;
    }

    internal static void Release(FileStream stream)
    {
        try
        {
            // Emptied before the lock goes, so a holder is never counted after it left.
            stream.SetLength(0);
            stream.Flush();
        }
        catch (IOException)
        {
            // The lock is released by closing all the same.
        }

        stream.Dispose();
    }

    private long? Share(string hostKey) =>
        Limits.BandwidthPerHost is { } budget ? Math.Max(1024, budget / Math.Max(1, HeldOn(hostKey))) : null;

    private FileStream? TryTake(string hostKey, string holder)
    {
        for (var slot = 0; slot < Limits.MaxMigrationsPerHost; slot++)
        {
            FileStream stream;
            try
            {
                stream = new FileStream(PathOf(hostKey, slot), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
            {
                continue;
            }

            try
            {
                var text = Encoding.UTF8.GetBytes(holder.Replace('\n', ' ') + "\n");
                stream.SetLength(0);
                stream.Write(text, 0, text.Length);
                stream.Flush();
                return stream;
            }
            catch
            {
                stream.Dispose();
                throw;
            }
        }

        return null;
    }

    private void EnsureDirectory()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.CreateDirectory(Directory);
        }
    }
}
