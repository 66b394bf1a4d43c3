namespace Cairn.Storage.Wal;

/// <summary>The Raft hard state: what a node must remember across restarts besides its log.</summary>
/// <param name="Term">The node's current term.</param>
/// <param name="Vote">The node it voted for in <paramref name="Term"/> (0 for none).</param>
/// <param name="Commit">The highest log index known to be committed.</param>
public readonly record struct WalHardState(ulong Term, ulong Vote, ulong Commit);
