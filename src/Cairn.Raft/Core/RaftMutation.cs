#if RAFT_MUTATIONS
namespace Cairn.Raft;

/// <summary>
/// Planted bugs for checking that the simulator catches real safety violations. Compiled only into the
/// simulator (RAFT_MUTATIONS); the shipped Cairn.Raft assembly does not contain this type or any code that reads it.
/// </summary>
[Flags]
public enum RaftMutation
{
    /// <summary>No planted bug.</summary>
    None = 0,

    /// <summary>Grant votes without the "candidate's log is at least as up-to-date" check (§5.4.1).</summary>
    VoteWithoutLogCheck = 1 << 0,

    /// <summary>A leader commits an entry from an earlier term once a majority stores it (the Figure 8 bug, §5.4.2).</summary>
    CommitOldTermByCounting = 1 << 1,

    /// <summary>Every Ready says its messages may be sent before its entries and hard state are persisted.</summary>
    AcknowledgeBeforePersisting = 1 << 2,

    /// <summary>A follower keeps a conflicting suffix instead of truncating it, appending only past its end.</summary>
    KeepConflictingSuffix = 1 << 3,

    /// <summary>A leader answers ReadIndex at once from its commit index, without confirming it is still leader.</summary>
    ReadIndexWithoutQuorum = 1 << 4,
}
#endif
