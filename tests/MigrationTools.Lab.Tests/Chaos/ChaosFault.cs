namespace MigrationTools.Lab.Tests.Chaos;

/// <summary>A fault the campaign injects into one phase of a migration.</summary>
internal enum ChaosFault
{
    /// <summary>The controller process SIGKILLed, with everything it started.</summary>
    ControllerKilled,

    /// <summary>The engine's shared ssh connections closed under it (every channel on them ends).</summary>
    SshConnectionCut,

    /// <summary>The destination's sshd unreachable for a few seconds.</summary>
    DestinationSshdStopped,

    /// <summary>The source's sshd unreachable for a few seconds.</summary>
    SourceSshdStopped,

    /// <summary>CRIU's restore made to fail on the host the phase restores on.</summary>
    RestoreFails,

    /// <summary>The target pool made full (a quota just above its use).</summary>
    TargetDiskFull,
}

/// <summary>The phase a fault is injected into.</summary>
internal enum ChaosPhase
{
    Begin,
    Sync,
    Switch,
    Undo,
    Complete,
    Abort,
}

internal static class ChaosFaults
{
    public static readonly ChaosFault[] All = Enum.GetValues<ChaosFault>();

    /// <summary>
    /// The phases where <paramref name="fault"/> can strike: a restore that the campaign can make fail is the
    /// switch's, on the destination; a full target matters only to phases that send data to it.
    /// </summary>
    public static ChaosPhase[] PhasesFor(ChaosFault fault) => fault switch
    {
        ChaosFault.RestoreFails => [ChaosPhase.Switch],
        ChaosFault.TargetDiskFull => [ChaosPhase.Begin, ChaosPhase.Sync, ChaosPhase.Switch],
        _ => Enum.GetValues<ChaosPhase>(),
    };
}
