using System;
using System.Collections.Generic;
using System.Linq;

namespace MigrationTools.Engine.Remote;

/// <summary>
/// Elevates a command per program, not per shell, for a login user without root: each stage a helper verb runs
/// becomes <c>sudo -n -- HELPER VERB args…</c>; every other stage (the watchdog, <c>dd</c>, <c>ssh</c> to a peer,
/// compression, probes) runs as the login user.
/// </summary>
/// <remarks>
/// The verbs know every domain's scripts, so they live above this layer (<c>Privilege/HostStageElevation</c>), which
/// hands its functions in when the engine's assembly loads.
/// </remarks>
internal static class HostElevation
{
    private static Func<IReadOnlyList<string>, string, IReadOnlyList<string>>? _elevateStage;
    private static Func<string, string, string, string>? _ruleFor;

    /// <summary>Takes the helper's verbs: how a stage is elevated, and the sudoers line that allows a verb.</summary>
    /// <param name="elevateStage">A stage and the helper's path to the stage to run as the login user; throws <see cref="ArgumentException"/> for a bad path.</param>
    /// <param name="ruleFor">The login user, the helper's path and a verb to its sudoers line; throws <see cref="ArgumentException"/> for a verb it does not know.</param>
    internal static void Use(Func<IReadOnlyList<string>, string, IReadOnlyList<string>> elevateStage, Func<string, string, string, string> ruleFor)
    {
        _elevateStage = elevateStage ?? throw new ArgumentNullException(nameof(elevateStage));
        _ruleFor = ruleFor ?? throw new ArgumentNullException(nameof(ruleFor));
    }

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

        var elevate = Registered(_elevateStage);
        return RemoteCommand.FromStages(command.Stages.Select(stage => elevate(stage, helperPath)));
    }

    /// <summary>The sudoers line that lets <paramref name="user"/> run <paramref name="verb"/> through the helper.</summary>
    /// <exception cref="ArgumentException">The verb is not one the helper knows, or a name sudoers cannot take plainly.</exception>
    internal static string RuleFor(string user, string helperPath, string verb) => Registered(_ruleFor)(user, helperPath, verb);

    private static T Registered<T>(T? function)
        where T : class =>
        function ?? throw new InvalidOperationException("The host helper's verbs were not registered.");
}
