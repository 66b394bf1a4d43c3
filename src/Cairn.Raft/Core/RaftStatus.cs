namespace Cairn.Raft;

/// <summary>A follower's replication state as its leader sees it.</summary>
/// <param name="Match">Highest index known to be stored on the follower.</param>
/// <param name="Next">Next index the leader will send.</param>
/// <param name="State">Probe, replicate or snapshot.</param>
/// <param name="IsLearner">A non-voting member.</param>
/// <param name="RecentActive">Heard from in the current check-quorum period.</param>
/// <param name="InflightMessages">Append messages awaiting acknowledgement.</param>
public readonly record struct ProgressStatus(ulong Match, ulong Next, ProgressState State, bool IsLearner, bool RecentActive, int InflightMessages);

/// <summary>A snapshot of a node's Raft state for status endpoints, metrics and tests.</summary>
public sealed class RaftStatus
{
    internal RaftStatus()
    {
    }

    /// <summary>This node's id.</summary>
    public ulong Id { get; init; }

    /// <summary>Term, vote and commit index.</summary>
    public HardState HardState { get; init; }

    /// <summary>Leader and role.</summary>
    public SoftState SoftState { get; init; }

    /// <summary>The index the application has applied.</summary>
    public ulong Applied { get; init; }

    /// <summary>The last log index.</summary>
    public ulong LastIndex { get; init; }

    /// <summary>The node a leadership transfer is handing over to, or 0.</summary>
    public ulong LeadTransferee { get; init; }

    /// <summary>The current membership.</summary>
    public required ConfState ConfState { get; init; }

    /// <summary>Per-member replication state; only on a leader (empty otherwise).</summary>
    public IReadOnlyDictionary<ulong, ProgressStatus> Progress { get; init; } = new Dictionary<ulong, ProgressStatus>();
}
