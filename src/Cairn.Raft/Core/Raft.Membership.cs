using Cairn.Raft.Codec;

namespace Cairn.Raft;

/// <remarks>
/// Membership changes one node at a time, effective when applied (as in etcd): any majority of the old voters
/// and any majority of the new voters overlap, so no two leaders can be elected from disjoint majorities. The
/// leader admits a change only when the previous one is applied (PendingConfIndex), and a node does not campaign
/// while a committed change is unapplied, so a leader's configuration is always the one its log implies.
/// </remarks>
internal sealed partial class Raft
{
    // Non-zero while this leader has applied its own removal and waits to hand over (the commit index then).
    private ulong removedLeaderCommitIndex;

    /// <summary>
    /// A removed leader hands leadership to the most up-to-date voter once a majority of the voters know the
    /// removal is committed. Returns true when it stepped down.
    /// </summary>
    private bool MaybeHandOffAfterRemoval()
    {
        if (removedLeaderCommitIndex == 0 || Role != RaftRole.Leader)
        {
            return false;
        }

        int informed = 0;
        ulong successor = None;
        ulong successorMatch = 0;
        foreach (ulong id in Tracker.Voters)
        {
            Progress pr = Tracker.Get(id)!;
            if (pr.KnownCommit >= removedLeaderCommitIndex)
            {
                informed++;
            }

            if (successor == None || pr.Match > successorMatch)
            {
                successor = id;
                successorMatch = pr.Match;
            }
        }

        if (informed < (Tracker.VoterCount / 2) + 1)
        {
            return false;
        }

        if (successor != None && successorMatch == Log.LastIndex())
        {
            SendTimeoutNow(successor); // it campaigns at once instead of waiting for an election timeout
        }

        BecomeFollower(Term, None);
        return true;
    }

    /// <summary>Leader side: may this conf-change proposal enter the log now?</summary>
    private bool AcceptConfChangeProposal(Entry entry)
    {
        if (PendingConfIndex > Log.Applied)
        {
            return false; // the previous change is not applied yet
        }

        ConfChange change;
        try
        {
            change = RaftCodec.DecodeConfChangeZeroCopy(entry.Data);
        }
        catch (RaftCodecException)
        {
            return false;
        }

        return ValidateConfChange(change) is null;
    }

    /// <summary>Why <paramref name="change"/> cannot apply to the current membership, or null when it can.</summary>
    public string? ValidateConfChange(ConfChange change)
    {
        Progress? pr = Tracker.Get(change.NodeId);
        return change.Type switch
        {
            ConfChangeType.AddLearnerNode when pr is { IsLearner: false } =>
                $"node {change.NodeId} is a voter; demoting a voter to learner is not supported (remove it, then add it as a learner)",
            ConfChangeType.RemoveNode when pr is { IsLearner: false } && Tracker.VoterCount == 1 =>
                $"node {change.NodeId} is the last voter; a cluster without voters cannot make progress",
            _ => null,
        };
    }

    /// <summary>Applies a committed membership change; an invalid change (see <see cref="ValidateConfChange"/>) leaves the membership as it is on every node.</summary>
    public ConfState ApplyConfChange(ConfChange change)
    {
        if (ValidateConfChange(change) is not null)
        {
            return Tracker.ConfState;
        }

        // New members are probed with our last entry: one round trip tells us where their log ends.
        ulong next = Math.Max(Log.LastIndex(), 1);
        switch (change.Type)
        {
            case ConfChangeType.AddNode:
                Tracker.AddVoter(change.NodeId, next);
                break;
            case ConfChangeType.AddLearnerNode:
                if (!Tracker.Contains(change.NodeId))
                {
                    Tracker.AddLearner(change.NodeId, next);
                }

                break;
            case ConfChangeType.RemoveNode:
                Tracker.Remove(change.NodeId);
                break;
            case ConfChangeType.UpdateNode:
                break;
        }

        OnMembershipChanged(change);
        return Tracker.ConfState;
    }

    private void OnMembershipChanged(ConfChange change)
    {
        Progress? self = Tracker.Get(Id);
        IsLearner = self is { IsLearner: true };
        if (change.Type == ConfChangeType.RemoveNode && change.NodeId == Id)
        {
            RemovedFromCluster = true;
        }
        else if (self is not null)
        {
            RemovedFromCluster = false;
        }

        if (Role != RaftRole.Leader)
        {
            return;
        }

        if (self is null || self.IsLearner)
        {
            // We removed ourselves. Stepping down at once could strand the cluster: the remaining voters may not know
            // the removal is committed, and without it they may not form a majority of the configuration they
            // still use (two voters becoming one). So keep leading, without a vote, until a majority of the new
            // voters report a commit index that covers the removal; then hand over (see MaybeHandOffAfterRemoval).
            removedLeaderCommitIndex = Log.Committed;
            BroadcastAppend();
            MaybeHandOffAfterRemoval();
            return;
        }

        if (MaybeCommit())
        {
            // A smaller majority may commit more right away.
            ReleasePendingReadIndexMessages();
            BroadcastAppend();
        }
        else
        {
            // Probe new members now rather than at the next heartbeat or proposal.
            foreach (ulong id in Tracker.Members)
            {
                if (id != Id)
                {
                    MaybeSendAppend(id, sendIfEmpty: false);
                }
            }
        }

        if (LeadTransferee != None && !Tracker.IsVoter(LeadTransferee))
        {
            LeadTransferee = None;
        }
    }
}
