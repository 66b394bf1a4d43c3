namespace Cairn.Storage.Wal;

/// <summary>
/// One Raft log entry as the WAL stores it. The WAL does not interpret <see cref="Type"/> or
/// <see cref="Data"/>; the Raft adapter maps its own entry types onto <see cref="Type"/>.
/// </summary>
/// <param name="Index">The entry's log index (1 is the first entry of a Raft log).</param>
/// <param name="Term">The term of the leader that created the entry.</param>
/// <param name="Type">The entry type (opaque to the WAL, e.g. normal / configuration change).</param>
/// <param name="Data">The entry's payload; it must stay unchanged until the append that carries it completed.</param>
public readonly record struct WalEntry(ulong Index, ulong Term, byte Type, ReadOnlyMemory<byte> Data);
