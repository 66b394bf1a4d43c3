namespace Cairn.Raft;

/// <summary>Everything a <see cref="RawNode"/> needs to start. Validated by <see cref="Validate"/> when the node is created.</summary>
public sealed class RaftConfig
{
    /// <summary>This node's id; never 0.</summary>
    public required ulong Id { get; init; }

    /// <summary>Where the node reads its persisted log and state from.</summary>
    public required IRaftStorage Storage { get; init; }

    /// <summary>
    /// Ticks without hearing from a leader before a follower campaigns; the actual timeout is randomized in
    /// [ElectionTick, 2·ElectionTick). Also the check-quorum period. Should be about 10× <see cref="HeartbeatTick"/>.
    /// </summary>
    public int ElectionTick { get; init; } = 10;

    /// <summary>Ticks between leader heartbeats.</summary>
    public int HeartbeatTick { get; init; } = 1;

    /// <summary>The last index the application's state machine has applied (from its own persisted state); 0 for a new node.</summary>
    public ulong Applied { get; init; }

    /// <summary>Most bytes of entries in one Append message (at least one entry is always sent).</summary>
    public ulong MaxSizePerMsg { get; init; } = 1024 * 1024;

    /// <summary>Most bytes of committed entries handed to the application in one Ready (at least one entry).</summary>
    public ulong MaxCommittedSizePerReady { get; init; } = 8 * 1024 * 1024;

    /// <summary>Most unacknowledged Append messages per follower in the replicate state.</summary>
    public int MaxInflightMsgs { get; init; } = 256;

    /// <summary>Most unacknowledged entry bytes per follower in the replicate state; 0 means no byte limit.</summary>
    public ulong MaxInflightBytes { get; init; } = 64 * 1024 * 1024;

    /// <summary>
    /// Most payload bytes a leader keeps appended but uncommitted; proposals beyond it are dropped (so a stuck
    /// cluster does not buffer without bound). 0 means no limit.
    /// </summary>
    public ulong MaxUncommittedEntriesSize { get; init; } = 128 * 1024 * 1024;

    /// <summary>Most ReadIndex requests a leader queues while it waits for a heartbeat round or for its first commit; more are dropped.</summary>
    public int MaxPendingReadIndexRequests { get; init; } = 4096;

    /// <summary>Run a pre-vote round before a real election so a partitioned node rejoining does not disrupt the leader.</summary>
    public bool PreVote { get; init; } = true;

    /// <summary>A leader steps down when it has not heard from a majority for an election timeout; followers that hear from a leader ignore vote requests meanwhile.</summary>
    public bool CheckQuorum { get; init; } = true;

    /// <summary>How ReadIndex requests are confirmed.</summary>
    public ReadOnlyOption ReadOnlyOption { get; init; } = ReadOnlyOption.Safe;

    /// <summary>
    /// For <see cref="ReadOnlyOption.LeaseBased"/>: the most two nodes' tick rates may differ, in percent. The lease
    /// is ElectionTick scaled by (100 − drift)/(100 + drift), minus one tick.
    /// </summary>
    public int MaxClockDriftPercent { get; init; } = 10;

    /// <summary>Followers drop proposals instead of forwarding them to the leader.</summary>
    public bool DisableProposalForwarding { get; init; }

    /// <summary>Randomness for election timeouts; defaults to a <see cref="SeededRandom"/> seeded from <see cref="Id"/>.</summary>
    public IRaftRandom? Random { get; init; }

#if RAFT_MUTATIONS
    /// <summary>Planted bugs to switch on (simulator builds only).</summary>
    public RaftMutation Mutations { get; init; }
#endif

    /// <summary>Lease length in ticks for lease-based reads.</summary>
    internal int LeaseTicks => (ElectionTick * (100 - MaxClockDriftPercent) / (100 + MaxClockDriftPercent)) - 1;

    /// <summary>Checks every setting and says which one is wrong and what to use instead.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        Require(Id != 0, "RaftConfig.Id is 0, which means 'no node'; use an id from 1");
        Require(Storage is not null, "RaftConfig.Storage is required");
        Require(HeartbeatTick > 0, $"RaftConfig.HeartbeatTick is {HeartbeatTick}; it must be at least 1");
        Require(ElectionTick > HeartbeatTick,
            $"RaftConfig.ElectionTick ({ElectionTick}) must be greater than HeartbeatTick ({HeartbeatTick}); about 10× is usual");
        Require(MaxSizePerMsg > 0, "RaftConfig.MaxSizePerMsg must be positive");
        Require(MaxCommittedSizePerReady > 0, "RaftConfig.MaxCommittedSizePerReady must be positive");
        Require(MaxInflightMsgs > 0, $"RaftConfig.MaxInflightMsgs is {MaxInflightMsgs}; it must be at least 1");
        Require(MaxInflightBytes == 0 || MaxInflightBytes >= MaxSizePerMsg,
            $"RaftConfig.MaxInflightBytes ({MaxInflightBytes}) must be 0 (no limit) or at least MaxSizePerMsg ({MaxSizePerMsg})");
        Require(MaxPendingReadIndexRequests > 0, "RaftConfig.MaxPendingReadIndexRequests must be positive");
        Require(ReadOnlyOption != ReadOnlyOption.LeaseBased || CheckQuorum,
            "RaftConfig.ReadOnlyOption is LeaseBased but CheckQuorum is off; leases are only safe with CheckQuorum = true");
        Require(MaxClockDriftPercent is >= 0 and < 100, $"RaftConfig.MaxClockDriftPercent is {MaxClockDriftPercent}; use 0..99");
        Require(ReadOnlyOption != ReadOnlyOption.LeaseBased || LeaseTicks >= 1,
            $"RaftConfig: with MaxClockDriftPercent {MaxClockDriftPercent} an ElectionTick of {ElectionTick} leaves no lease; raise ElectionTick");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }
}
