namespace Cairn.Storage.Wal;

/// <summary>
/// "A snapshot of the state at <paramref name="Index"/> exists": the log before it is no longer needed.
/// (0, 0) means no snapshot. The snapshot's content lives outside the WAL.
/// </summary>
/// <param name="Index">The last log index the snapshot includes.</param>
/// <param name="Term">The term of the entry at <paramref name="Index"/>.</param>
public readonly record struct WalSnapshotMarker(ulong Index, ulong Term);
