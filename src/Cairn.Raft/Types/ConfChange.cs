namespace Cairn.Raft;

/// <summary>Kinds of single-node membership change. The numeric values are part of the binary codec format (and match etcd's).</summary>
public enum ConfChangeType : byte
{
    /// <summary>Add a voter, or promote an existing learner to voter.</summary>
    AddNode = 0,

    /// <summary>Remove a voter or learner.</summary>
    RemoveNode = 1,

    /// <summary>No membership effect; lets the application replicate new node metadata (for example its address) in <see cref="ConfChange.Context"/>.</summary>
    UpdateNode = 2,

    /// <summary>Add a learner (a non-voting member that receives the log).</summary>
    AddLearnerNode = 3,
}

/// <summary>A membership change: one node added, promoted, updated or removed. Voter changes are applied one at a time.</summary>
/// <param name="Type">What to do.</param>
/// <param name="NodeId">The node concerned (never 0).</param>
/// <param name="Context">Opaque application data (for example the peer URL of a new member).</param>
public sealed record ConfChange(ConfChangeType Type, ulong NodeId, ReadOnlyMemory<byte> Context)
{
    /// <summary>A change without context.</summary>
    public ConfChange(ConfChangeType type, ulong nodeId)
        : this(type, nodeId, ReadOnlyMemory<byte>.Empty)
    {
    }

    /// <inheritdoc />
    public override string ToString() => $"{Type}({NodeId})";
}
