namespace Cairn.Raft;

/// <summary>
/// The outcome of a storage read. Only the sentinel conditions the algorithm expects are results; any other
/// failure (an I/O error, corruption) is an exception, and the node stops (fail-stop).
/// </summary>
public enum StorageLookup : byte
{
    /// <summary>The data was found.</summary>
    Ok = 0,

    /// <summary>The index is below the first available index: the log was compacted into a snapshot.</summary>
    Compacted = 1,

    /// <summary>The index is above the last available index.</summary>
    Unavailable = 2,

    /// <summary>A snapshot is being prepared and cannot be returned right now; the leader retries later.</summary>
    SnapshotTemporarilyUnavailable = 3,
}
