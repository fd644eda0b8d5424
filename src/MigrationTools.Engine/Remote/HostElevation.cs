using System;
using System.Collections.Generic;
using System.Linq;

namespace MigrationTools.Engine.Remote;

/// <summary>
/// Elevates a command per program, not per shell, for a login user without root: each stage a helper verb runs
/// becomes <c>sudo -n -- HELPER VERB args…</c>; every other stage (the watchdog, <c>dd</c>, <c>ssh</c> to a peer,
/// compression, probes) runs as the login user.
/// </summary>
internal static class HostElevation
{
    /// <summary>The command with each of its stages that needs root run through the helper at <paramref name="helperPath"/>.</summary>
    /// <param name="command">The command as the engine built it for a root login.</param>
    /// <param name="helperPath">Where the helper is installed on the host.</param>
    /// <returns>The command to run as the login user.</returns>
    /// <exception cref="ArgumentException">The helper path is not plain and absolute.</exception>
    public static RemoteCommand Elevate(RemoteCommand command, string helperPath)
    {
        if (command is null)
        {
            throw new ArgumentNullException(nameof(command));
        }

        if (HostPolicy.HelperPathError(helperPath) is { } error)
        {
            throw new ArgumentException(error, nameof(helperPath));
        }

        return RemoteCommand.FromStages(command.Stages.Select(stage => ElevateStage(stage, helperPath)));
    }

    // A send's hold guard (ZfsSendCommand.HoldGuardScript) runs as the login user; what it runs is elevated.
    private static string[] ElevateStage(IReadOnlyList<string> stage, string helperPath)
    {
        if (stage.Count > 4 && stage[0] == "sh" && stage[1] == "-c" && stage[2] == Zfs.ZfsSendCommand.HoldGuardScript && stage[3] == "sh")
        {
            return stage.Take(4).Concat(ElevateStage(stage.Skip(4).ToArray(), helperPath)).ToArray();
        }

        return HostVerbs.Match(stage) is { } match
            ? new[] { "sudo", "-n", "--", helperPath, match.Verb.Name }.Concat(match.Arguments).ToArray()
            : stage.ToArray();
    }
}
