using Cairn.Protocol.Etcd;

namespace Cairn.Server.Node;

/// <summary>What Maintenance.Status and the health endpoints report about the member.</summary>
public sealed partial class EtcdNode
{
    private ulong _commitIndex;
    private long _leaderChangesSeen;
    private long _proposalsFailed;

    /// <summary>How many times this member saw a new leader (etcd_server_leader_changes_seen_total).</summary>
    public long LeaderChangesSeen => Interlocked.Read(ref _leaderChangesSeen);

    /// <summary>Client proposals that failed before being applied: timed out, cancelled, refused (too many pending, too
    /// large, no space), or dropped
    /// when the member stopped (etcd_server_proposals_failed_total). Errors the state machine returns are not counted.</summary>
    public long ProposalsFailed => Interlocked.Read(ref _proposalsFailed);

    /// <summary>The leader's member ID, or 0 when none is known.</summary>
    public ulong LeaderId => _failure is null ? Volatile.Read(ref _leaderId) : 0;

    /// <summary>The current raft term.</summary>
    public ulong Term => Volatile.Read(ref _term);

    /// <summary>The highest committed raft index this member knows.</summary>
    public ulong CommitIndex => Math.Max(Volatile.Read(ref _commitIndex), State.AppliedIndex);

    /// <summary>The last applied raft index.</summary>
    public ulong AppliedIndex => State.AppliedIndex;

    /// <summary>True when this member is a learner.</summary>
    public bool IsLearner
    {
        get
        {
            foreach (Member member in State.Cluster.List().Members)
            {
                if (member.ID == MemberId)
                {
                    return member.IsLearner;
                }
            }

            return false;
        }
    }

    /// <summary>The fatal error that stopped the member, or null.</summary>
    public Exception? Failure => _failure;

    /// <summary>Client proposals accepted and not yet completed (queue depth; bounded by
    /// <see cref="NodeOptions.MaxPendingProposals"/>).</summary>
    public int PendingProposals => Volatile.Read(ref _pendingClientProposals);
}
