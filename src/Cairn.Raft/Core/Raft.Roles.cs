namespace Cairn.Raft;

internal sealed partial class Raft
{
    private bool leaseRevoked;
    private readonly List<Message> pendingReadIndexMessages = [];

    public void BecomeFollower(ulong term, ulong lead)
    {
        Reset(term);
        Lead = lead;
        Role = RaftRole.Follower;
    }

    private void BecomeCandidate()
    {
        Invariant.Check(Role != RaftRole.Leader, "a leader cannot become a candidate directly");
        Reset(Term + 1);
        Vote = Id;
        Role = RaftRole.Candidate;
    }

    private void BecomePreCandidate()
    {
        Invariant.Check(Role != RaftRole.Leader, "a leader cannot become a pre-candidate directly");
        // A pre-candidate keeps its term and vote: the pre-vote round must not disturb anything if it fails.
        Tracker.ResetVotes();
        Lead = None;
        Role = RaftRole.PreCandidate;
    }

    private void BecomeLeader()
    {
        Invariant.Check(Role == RaftRole.Candidate, $"only a candidate can become leader (role {Role})");
        Reset(Term);
        Lead = Id;
        Role = RaftRole.Leader;
        Progress? self = Tracker.Get(Id);
        if (self is not null)
        {
            self.BecomeReplicate();
            self.RecentActive = true;
        }

        // Membership changes must wait until everything before this term is applied, so that this leader's
        // configuration is the one its log implies (etcd's rule; see Raft.Membership.cs).
        PendingConfIndex = Log.LastIndex();

        // An entry of the new term: committing it commits every earlier entry (§5.4.2), and it is what read-index
        // requests wait for. Its payload is empty, so it never counts against the uncommitted-size limit.
        bool appended = AppendEntries([new Entry(0, 0)]);
        Invariant.Check(appended, "a new leader could not append its empty entry");
        if (self is null)
        {
            // A removed member elected as caretaker (see Promotable): lead only until the voters know.
            removedLeaderCommitIndex = Log.Committed;
        }
    }

    /// <summary>Clears the volatile state of the previous role; a new term also clears the vote.</summary>
    private void Reset(ulong term)
    {
        if (Term != term)
        {
            Term = term;
            Vote = None;
        }

        Lead = None;
        ElectionElapsedTicks = 0;
        heartbeatElapsedTicks = 0;
        ResetRandomizedElectionTimeout();
        LeadTransferee = None;
        leaseRevoked = false;
        Tracker.ResetVotes();
        ulong next = Log.LastIndex() + 1;
        foreach (ulong id in Tracker.Members)
        {
            Progress pr = Tracker.Get(id)!;
            pr.Match = id == Id ? Log.LastStableIndex() : 0;
            pr.Next = next;
            pr.BecomeProbe();
            pr.Next = next;
            pr.SentCommit = 0;
            pr.KnownCommit = 0;
            pr.LeaseAckTick = 0;
        }

        PendingConfIndex = 0;
        removedLeaderCommitIndex = 0;
        UncommittedBytes = 0;
        ReadOnly.Clear();
        pendingReadIndexMessages.Clear();
    }

    public ulong PendingConfIndex { get; private set; }

    /// <summary>
    /// Can this node campaign: a voter — or a member that applied its own removal (a caretaker) — with no snapshot
    /// waiting to be persisted.
    /// </summary>
    /// <remarks>
    /// Why a removed member may campaign: when a leader removes itself from two voters and crashes before the other
    /// learns that the removal committed, the survivor still uses the old configuration and needs the removed
    /// node's vote — which the removed node refuses if the survivor's log is behind. Nobody could ever be elected
    /// (the simulator found this). A caretaker never counts its own vote, so it needs a majority of the voters it
    /// knows, who check its log as usual (as safe as any node campaigning with a configuration that is behind); once
    /// elected, it brings them up to date and hands leadership over (MaybeHandOffAfterRemoval).
    /// </remarks>
    public bool Promotable => !Log.HasPendingSnapshot && (Tracker.IsVoter(Id) || (RemovedFromCluster && Tracker.VoterCount > 0));

    /// <summary>This node applied its own removal (or restarted from a snapshot whose membership excludes it).</summary>
    public bool RemovedFromCluster { get; private set; }
}
