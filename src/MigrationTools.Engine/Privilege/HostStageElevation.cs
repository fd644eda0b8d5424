using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using System.Runtime.CompilerServices;
using MigrationTools.Engine.Remote;
using MigrationTools.Engine.Zfs;

namespace MigrationTools.Engine.Privilege;

/// <summary>How one stage of a command runs for a login user without root (see <see cref="HostElevation"/>).</summary>
internal static class HostStageElevation
{
    /// <summary>Hands the verbs to the remote layer, which cannot name them itself.</summary>
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "The remote layer runs every command and cannot name the verbs above it; they must be in place before the first one.")]
    internal static void Register() => HostElevation.Use(Elevate, SudoersPolicy.Rule);

    /// <summary>
    /// The stage through the helper when a verb runs it, else as it is. A send's hold guard
    /// (<see cref="ZfsSendCommand.HoldGuardScript"/>) runs as the login user; what it runs is elevated.
    /// </summary>
    /// <exception cref="ArgumentException">The helper path is not plain and absolute.</exception>
    internal static IReadOnlyList<string> Elevate(IReadOnlyList<string> stage, string helperPath)
    {
        if (HostPolicy.HelperPathError(helperPath) is { } error)
        {
            throw new ArgumentException(error, nameof(helperPath));
        }

        if (stage.Count > 4 && stage[0] == "sh" && stage[1] == "-c" && stage[2] == ZfsSendCommand.HoldGuardScript && stage[3] == "sh")
        {
            return stage.Take(4).Concat(Elevate(stage.Skip(4).ToArray(), helperPath)).ToArray();
        }

        return HostVerbs.Match(stage) is { } match
            ? new[] { "sudo", "-n", "--", helperPath, match.Verb.Name }.Concat(match.Arguments).ToArray()
            : stage;
    }
}
