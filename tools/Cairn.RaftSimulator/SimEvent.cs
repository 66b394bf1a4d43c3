namespace Cairn.Raft.Simulation;

internal enum EventKind : byte
{
    /// <summary>Once per tick: faults, clients, membership, liveness measurement.</summary>
    Driver,

    /// <summary>A node's clock ticks.</summary>
    Tick,

    /// <summary>A message arrives at its destination.</summary>
    Deliver,

    /// <summary>A node's disk finished writing the Ready in flight.</summary>
    PersistDone,

    /// <summary>A crashed node starts again from its storage.</summary>
    Restart,

    /// <summary>A removed node shuts down for good.</summary>
    Stop,

    /// <summary>The transport tells a leader how sending a snapshot (Flag = succeeded) went.</summary>
    SnapshotReport,

    /// <summary>The transport tells a node a peer was unreachable.</summary>
    UnreachableReport,
}

/// <summary>A scheduled event. <see cref="Peer"/> is the other node for transport reports.</summary>
internal readonly record struct SimEvent(EventKind Kind, ulong Node, int Incarnation, Message? Message = null, ulong Peer = 0, bool Flag = false);
