namespace Cairn.Raft;

/// <summary>How a leader replicates to one follower.</summary>
public enum ProgressState : byte
{
    /// <summary>The follower's log position is unknown: send one Append at a time and wait for the answer.</summary>
    Probe = 0,

    /// <summary>The follower is in sync: stream Appends optimistically, up to the inflight window.</summary>
    Replicate = 1,

    /// <summary>The follower needs entries that were compacted: a snapshot is on its way; send nothing else.</summary>
    Snapshot = 2,
}
