namespace Cairn.Raft;

/// <summary>How a leader confirms it is still leader before answering a ReadIndex request.</summary>
public enum ReadOnlyOption : byte
{
    /// <summary>
    /// Default and always linearizable: the leader records its commit index, then confirms leadership with a
    /// heartbeat round acknowledged by a majority (one round serves every read queued behind it).
    /// </summary>
    Safe = 0,

    /// <summary>
    /// Faster but depends on bounded clock drift: the leader answers at once while it holds a lease, i.e. while a
    /// majority acknowledged a heartbeat sent less than a lease ago (ElectionTick shortened by
    /// <see cref="RaftConfig.MaxClockDriftPercent"/>). Requires <see cref="RaftConfig.CheckQuorum"/>. Falls back to
    /// <see cref="Safe"/> when the lease is not held.
    /// </summary>
    LeaseBased = 1,
}
