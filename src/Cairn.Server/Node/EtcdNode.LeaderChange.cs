namespace Cairn.Server.Node;

/// <summary>
/// What the member does when its leader changes or goes: linearizable reads waiting for a read index fail with etcd
/// 3.4's "leader changed" (the old leader's confirmation will never come), and nothing is handed to a leader whose
/// removal this member has applied (it drops proposals and cannot confirm reads; its peers no longer talk to it).
/// </summary>
public sealed partial class EtcdNode
{
    /// <summary>
    /// True when raft follows a leader that can still serve: known, and not removed by an entry this member has
    /// applied. After the leader's removal, proposals and read index requests wait here for the next leader instead of
    /// going to the removed one, which would drop them and leave the caller to its deadline.
    /// </summary>
    private bool HasLiveLeader()
    {
        ulong leader = _raft.Leader;
        // A member that has not applied any configuration yet (a joining member before the leader's snapshot) has
        // nothing to check against.
        return leader != 0 && (_confState.Voters.Count == 0 || _confState.Contains(leader));
    }

    /// <summary>
    /// Loop, when raft reports a new leader: as etcd 3.4's read loop, every read whose read index was asked before
    /// (of the old leader, or while there was none) fails with Unavailable "etcdserver: leader changed", a retryable
    /// error, rather than waiting for an answer that will not come. Reads confirmed already keep waiting for apply;
    /// reads that arrive from now on ask the new leader.
    /// </summary>
    private void FailReadsAwaitingIndex()
    {
        foreach (ReadBatch batch in _readsAwaitingIndex)
        {
            batch.Fail(NodeErrors.LeaderChanged);
        }

        _readsAwaitingIndex.Clear();
    }
}
