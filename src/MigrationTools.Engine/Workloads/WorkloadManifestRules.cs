using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using MigrationTools.Engine.Network;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Zfs;

namespace MigrationTools.Engine.Workloads;

/// <summary>
/// What a manifest's values must be. Each rule returns why a value is not acceptable, or <see langword="null"/>;
/// the constructors throw with it and the JSON reader reports it with the file and path.
/// </summary>
internal static class WorkloadManifestRules
{
    /// <summary>The longest path accepted (Linux's PATH_MAX without the NUL).</summary>
    public const int MaxPathLength = 4095;

    /// <summary>The shortest health-check timeout, in seconds.</summary>
    public const int MinTimeoutSeconds = 1;

    /// <summary>The longest health-check timeout, in seconds.</summary>
    public const int MaxTimeoutSeconds = 3600;

    /// <summary>The lowest TCP port.</summary>
    public const int MinTcpPort = 1;

    /// <summary>The highest TCP port.</summary>
    public const int MaxTcpPort = 65535;

    public static string? CommandError(IReadOnlyList<string>? argv, out int index)
    {
        index = -1;
        if (argv is null || argv.Count == 0)
        {
            return "The command is empty; give the program and its arguments as a list of strings, such as [\"python3\", \"app.py\"].";
        }

        for (var i = 0; i < argv.Count; i++)
        {
            var error = WordError(argv[i]);
            if (error is not null)
            {
                index = i;
                return error;
            }
        }

        if (argv[0].Length == 0)
        {
            index = 0;
            return "The program name is empty; give the program to run as the first word.";
        }

        return null;
    }

    public static string? WordError(string? word)
    {
        if (word is null)
        {
            return "The value is null; give a string.";
        }

        return word.IndexOf('\0') >= 0 ? "The string contains a NUL character (U+0000), which no command line or file name can carry." : null;
    }

    public static string? WorkingDirectoryError(string? path)
    {
        var word = WordError(path);
        if (word is not null)
        {
            return word;
        }

        if (path!.Length == 0 || path[0] != '/')
        {
            return $"The working directory {SafeText.Show(path)} is not an absolute path; give one that starts with '/'.";
        }

        return path.Length > MaxPathLength ? $"The working directory is {path.Length} characters long; at most {MaxPathLength} are allowed." : null;
    }

    public static string? EnvironmentNameError(string? name)
    {
        const string Fix = "a variable name is a letter or '_' followed by letters, digits and '_' (such as PORT or APP_HOME)";
        if (name is null || name.Length == 0)
        {
            return $"An environment variable name is empty; {Fix}.";
        }

        if (!IsNameStart(name[0]))
        {
            return $"The environment variable name {SafeText.Show(name)} begins with {SafeText.Describe(name[0])}; {Fix}.";
        }

        foreach (var c in name)
        {
            if (!IsNameStart(c) && !(c >= '0' && c <= '9'))
            {
                return $"The environment variable name {SafeText.Show(name)} contains {SafeText.Describe(c)}; {Fix}.";
            }
        }

        return null;
    }

    /// <summary>Why the list is not a set of datasets that can move together: duplicates and nested datasets.</summary>
    public static string? DatasetsError(IReadOnlyList<DatasetName> datasets, out int index)
    {
        for (var i = 0; i < datasets.Count; i++)
        {
            if (datasets[i] is null)
            {
                index = i;
                return "The dataset is null; give a dataset name.";
            }

            for (var j = 0; j < i; j++)
            {
                if (datasets[i] == datasets[j])
                {
                    index = i;
                    return $"The dataset {datasets[i].Value} is listed twice.";
                }

                if (datasets[i].IsSelfOrDescendantOf(datasets[j]) || datasets[j].IsSelfOrDescendantOf(datasets[i]))
                {
                    index = i;
                    return $"The datasets {datasets[j].Value} and {datasets[i].Value} are nested; list only the outer one, whose children move with it.";
                }
            }
        }

        index = -1;
        return null;
    }

    /// <summary>The most service addresses one workload may declare.</summary>
    public const int MaxServiceAddresses = 16;

    public static string? ServiceAddressesError(IReadOnlyList<ServiceAddress> addresses, out int index)
    {
        for (var i = 0; i < addresses.Count; i++)
        {
            index = i;
            if (addresses[i] is null)
            {
                return "The service address is null; give one such as 10.0.0.80/24@eth0.";
            }

            if (i >= MaxServiceAddresses)
            {
                return $"A workload has at most {MaxServiceAddresses.ToString(CultureInfo.InvariantCulture)} service addresses.";
            }

            for (var j = 0; j < i; j++)
            {
                if (addresses[i].Address.Equals(addresses[j].Address))
                {
                    return $"The service address {addresses[i].Address} is listed twice; an address lives on one interface, once.";
                }
            }
        }

        index = -1;
        return null;
    }

    public static string? TimeoutSecondsError(long seconds) =>
        seconds is < MinTimeoutSeconds or > MaxTimeoutSeconds
            ? $"The timeout {seconds.ToString(CultureInfo.InvariantCulture)} is out of range; give a whole number of seconds from {MinTimeoutSeconds} to {MaxTimeoutSeconds}."
            : null;

    public static string? TcpPortError(long port) =>
        port is < MinTcpPort or > MaxTcpPort
            ? $"The port {port.ToString(CultureInfo.InvariantCulture)} is out of range; give a port from {MinTcpPort} to {MaxTcpPort}."
            : null;

    /// <summary>
    /// Why <paramref name="text"/> is not an http(s) URL on the workload's own host. The check runs on that host,
    /// so only loopback addresses are accepted: anything else would test some other machine.
    /// </summary>
    public static string? HttpUrlError(string? text, out Uri? url)
    {
        url = null;
        const string Fix = "give an http or https URL on the workload's host, such as http://127.0.0.1:8080/health";
        var word = WordError(text);
        if (word is not null)
        {
            return word;
        }

        // On Unix a bare path such as /health parses as an absolute file: URI; it is not what was meant either.
        if (text!.IndexOf("://", StringComparison.Ordinal) < 0 || !Uri.TryCreate(text, UriKind.Absolute, out var parsed))
        {
            return $"{SafeText.Show(text)} is not an absolute URL; {Fix}.";
        }

        if (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps)
        {
            return $"The URL {SafeText.Show(text)} uses the scheme {SafeText.Show(parsed.Scheme)}; {Fix}.";
        }

        if (parsed.UserInfo.Length > 0)
        {
            return $"The URL {SafeText.Show(text)} carries a user name or password; manifests hold no credentials ({Fix}).";
        }

        var host = parsed.DnsSafeHost;
        var local = string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
        if (!local)
        {
            return $"The URL {SafeText.Show(text)} is not on a host-local address; the check runs on the workload's host, so use localhost, 127.0.0.0/8 or [::1] ({Fix}).";
        }

        url = parsed;
        return null;
    }

    private static bool IsNameStart(char c) => (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}
