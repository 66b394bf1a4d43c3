namespace Cairn.Raft.Simulation;

/// <summary>
/// One simulated server: its durable storage (survives crashes), and its volatile parts (the RawNode, the state
/// machine, the Ready being persisted, reads in progress) which a crash throws away.
/// </summary>
internal sealed class SimNode(ulong id, long tickIntervalUnits)
{
    public ulong Id { get; } = id;

    /// <summary>The durable state: whatever was persisted while handling Readies.</summary>
    public MemoryStorage Storage { get; } = new();

    public RawNode? Raw { get; set; }

    public KvStateMachine Machine { get; set; } = new();

    /// <summary>Membership as of the last applied change (stored with snapshots the node makes).</summary>
    public ConfState AppliedConf { get; set; } = ConfState.Empty;

    /// <summary>Bumped at every crash, so events of a previous life are recognised and dropped.</summary>
    public int Incarnation { get; set; }

    /// <summary>Simulated time between two ticks of this node's clock (clock skew).</summary>
    public long TickIntervalUnits { get; set; } = tickIntervalUnits;

    /// <summary>Removed from the cluster and stopped for good.</summary>
    public bool Stopped { get; set; }

    public bool StopScheduled { get; set; }

    /// <summary>The membership right after this node's removal was applied (who must learn of it before it stops).</summary>
    public ConfState? RemovedFrom { get; set; }

    /// <summary>A Ready taken from the node whose persistence (disk write) is in progress.</summary>
    public Ready? ReadyInFlight { get; set; }

    public bool ReadyMessagesSent { get; set; }

    /// <summary>Highest commit index the safety checker has compared for this incarnation.</summary>
    public ulong CheckedCommit { get; set; }

    /// <summary>The term in which the checker last saw this node lead.</summary>
    public ulong LeaderTermChecked { get; set; }

    public Dictionary<ulong, PendingRead> Reads { get; } = [];

    public ulong AppliedSinceSnapshot { get; set; }

    public bool IsUp => Raw is not null;
}
