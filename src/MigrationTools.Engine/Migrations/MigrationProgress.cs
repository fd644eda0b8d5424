using MigrationTools.Engine.Transfer;

namespace MigrationTools.Engine.Migrations;

/// <summary>What a migration is doing now, for progress bars and logs.</summary>
/// <param name="Id">The migration.</param>
/// <param name="Phase">The phase running.</param>
/// <param name="Activity">The step, in words, e.g. "Copying tank/web (full)".</param>
/// <param name="Transfer">Bytes, rate and ETA while data moves; <see langword="null"/> for steps that move none.</param>
/// <param name="Round">The sync round of a move, from 1; <see langword="null"/> outside a move's syncs.</param>
public sealed record MigrationProgress(MigrationId Id, MigrationPhase Phase, string Activity, TransferProgress? Transfer = null, int? Round = null);
