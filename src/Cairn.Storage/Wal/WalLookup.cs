namespace Cairn.Storage.Wal;

/// <summary>The outcome of looking up a log index, in the terms of Raft's storage interface.</summary>
public enum WalLookup
{
    /// <summary>The index (or range) is in the log.</summary>
    Found = 0,

    /// <summary>The index is at or before the snapshot marker: the entries were compacted away.</summary>
    Compacted = 1,

    /// <summary>The index is after the last entry.</summary>
    Unavailable = 2,
}
