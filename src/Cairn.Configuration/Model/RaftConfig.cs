namespace Cairn.Configuration;

/// <summary>Raft timing, in milliseconds as etcd's flags.</summary>
public sealed record RaftConfig
{
    /// <summary>How often the leader sends heartbeats; also the raft tick length.</summary>
    public int HeartbeatIntervalMs { get; init; } = 100;

    /// <summary>How long a follower waits without hearing from a leader before it campaigns.</summary>
    public int ElectionTimeoutMs { get; init; } = 1000;

    /// <summary>The election timeout in heartbeat ticks (what the raft state machine counts).</summary>
    public int ElectionTimeoutTicks => ElectionTimeoutMs / HeartbeatIntervalMs;
}
