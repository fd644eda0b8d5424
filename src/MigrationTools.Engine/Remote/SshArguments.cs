using System;
using System.Collections.Generic;
using System.Globalization;
using System.Runtime.InteropServices;

namespace MigrationTools.Engine.Remote;

/// <summary>
/// Builds the ssh client's argument lists. Host keys are always checked strictly and ssh never prompts;
/// everything else the caller did not set is left to ssh_config.
/// </summary>
internal static class SshArguments
{
    private static readonly string[] AlwaysStrict = { "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes" };

    private static readonly string[] OwnForwards =
    {
        "-o", "ControlMaster=no", "-o", "ControlPath=none",
        "-o", "ExitOnForwardFailure=yes", "-o", "StreamLocalBindUnlink=yes", "-o", "LogLevel=INFO",
    };

    /// <summary>An empty configuration file: ssh then uses only its built-in defaults.</summary>
    public static string EmptyConfigFile => RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "NUL" : "/dev/null";

    /// <summary>Arguments for <c>ssh -G</c>, which prints the effective configuration without connecting.</summary>
    /// <param name="destination">The destination.</param>
    /// <param name="options">The caller's options.</param>
    /// <param name="builtInDefaults">Read no configuration file, to learn ssh's own defaults.</param>
    public static IReadOnlyList<string> ForConfigQuery(SshDestination destination, SshOptions options, bool builtInDefaults)
    {
        var arguments = new List<string>();
        if (builtInDefaults)
        {
            arguments.Add("-F");
            arguments.Add(EmptyConfigFile);
        }
        else if (options.ConfigFile is not null)
        {
            arguments.Add("-F");
            arguments.Add(options.ConfigFile);
        }

        AddUserAndPort(arguments, destination, options);
        // BatchMode changes some defaults (ServerAliveInterval), so both queries see it as every connection does.
        arguments.AddRange(new[] { "-o", "BatchMode=yes", "-T", "-G", "--", destination.Host });
        return arguments;
    }

    /// <summary>Arguments that run <paramref name="remoteCommandLine"/> on the destination.</summary>
    /// <param name="destination">The destination.</param>
    /// <param name="options">The caller's options.</param>
    /// <param name="settings">What the connection decided when it opened.</param>
    /// <param name="remoteCommandLine">The complete remote command line, already quoted.</param>
    public static IReadOnlyList<string> ForCommand(
        SshDestination destination, SshOptions options, SshSettings settings, string remoteCommandLine)
    {
        var arguments = Connection(destination, options, settings);
        // No terminal: a pty would mangle binary streams. No escape character: "~." in a stream must stay data.
        arguments.AddRange(new[] { "-T", "-e", "none", "--", destination.Host, remoteCommandLine });
        return arguments;
    }

    /// <summary>Arguments that send a control request (<c>check</c>, <c>exit</c>) to the shared connection.</summary>
    /// <param name="destination">The destination.</param>
    /// <param name="options">The caller's options.</param>
    /// <param name="settings">What the connection decided when it opened; must have a control path.</param>
    /// <param name="operation">The control request.</param>
    public static IReadOnlyList<string> ForControl(
        SshDestination destination, SshOptions options, SshSettings settings, string operation)
    {
        var arguments = Connection(destination, options, settings);
        arguments.AddRange(new[] { "-O", operation, "--", destination.Host });
        return arguments;
    }

    /// <summary>
    /// Arguments for an ssh process of its own that holds <paramref name="forwards"/> while
    /// <paramref name="remoteCommandLine"/> runs on the destination. It never joins a shared connection, whatever
    /// ssh_config says: forwards a master holds would outlive the process, and ending the process must end them. A
    /// forward that cannot be set up ends it (<c>ExitOnForwardFailure</c>); a stale socket of the same name is replaced;
    /// the log level is where ssh reports the port it was given for a remote forward.
    /// </summary>
    /// <param name="destination">The destination.</param>
    /// <param name="options">The caller's options.</param>
    /// <param name="settings">What the connection decided when it opened; its control path is not used.</param>
    /// <param name="forwards">The <c>-L</c>/<c>-R</c> arguments, already validated.</param>
    /// <param name="remoteCommandLine">The complete remote command line, already quoted.</param>
    public static IReadOnlyList<string> ForForwarding(
        SshDestination destination, SshOptions options, SshSettings settings, IReadOnlyList<string> forwards, string remoteCommandLine)
    {
        var arguments = Connection(destination, options, (settings ?? throw new ArgumentNullException(nameof(settings))) with { ControlPath = null });
        arguments.AddRange(OwnForwards);
        arguments.AddRange(forwards ?? throw new ArgumentNullException(nameof(forwards)));
        arguments.AddRange(new[] { "-T", "-e", "none", "--", destination.Host, remoteCommandLine });
        return arguments;
    }

    private static List<string> Connection(SshDestination destination, SshOptions options, SshSettings settings)
    {
        var arguments = new List<string>();
        if (options.ConfigFile is not null)
        {
            arguments.Add("-F");
            arguments.Add(options.ConfigFile);
        }

        if (options.IdentityFile is not null)
        {
            arguments.AddRange(new[] { "-i", options.IdentityFile, "-o", "IdentitiesOnly=yes" });
        }

        if (options.KnownHostsFile is not null)
        {
            arguments.AddRange(new[] { "-o", "UserKnownHostsFile=" + options.KnownHostsFile });
        }

        // Not negotiable, whatever ssh_config or the caller says: no prompts, no unknown or changed host keys.
        arguments.AddRange(AlwaysStrict);
        AddUserAndPort(arguments, destination, options);
        if (settings.ConnectTimeout is { } timeout)
        {
            arguments.AddRange(new[] { "-o", "ConnectTimeout=" + Seconds(timeout) });
        }

        if (settings.KeepAliveInterval is { } interval)
        {
            arguments.AddRange(new[] { "-o", "ServerAliveInterval=" + Seconds(interval), "-o", "ServerAliveCountMax=3" });
        }

        if (settings.BulkCipher is not null)
        {
            arguments.AddRange(new[] { "-c", settings.BulkCipher });
        }

        if (settings.ControlPath is not null)
        {
            arguments.AddRange(new[]
            {
                "-o", "ControlMaster=auto",
                "-o", "ControlPath=" + settings.ControlPath,
                "-o", "ControlPersist=" + Seconds(options.ControlPersist) + "s",
            });
        }

        return arguments;
    }

    private static void AddUserAndPort(List<string> arguments, SshDestination destination, SshOptions options)
    {
        if ((destination.User ?? options.User) is { } user)
        {
            arguments.Add("-l");
            arguments.Add(user);
        }

        if (destination.Port is { } port)
        {
            arguments.Add("-p");
            arguments.Add(port.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static string Seconds(TimeSpan value) =>
        Math.Max(1, (long)Math.Ceiling(value.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}
