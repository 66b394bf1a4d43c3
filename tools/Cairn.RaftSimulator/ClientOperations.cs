namespace Cairn.Raft.Simulation;

/// <summary>A write a client proposed on a node; acknowledged when that node (same incarnation) applies it.</summary>
internal sealed record PendingWrite(ulong WriteId, int Key, ulong Node, int Incarnation);

/// <summary>
/// A linearizable read in progress on a node. <see cref="RequiredIndex"/> and <see cref="RequiredKeyIndex"/> are the
/// log indexes of the newest writes acknowledged (anywhere, and to this key) before the read started.
/// </summary>
internal sealed class PendingRead(ulong readId, int key, ulong requiredIndex, ulong requiredKeyIndex)
{
    public ulong ReadId { get; } = readId;

    public int Key { get; } = key;

    public ulong RequiredIndex { get; } = requiredIndex;

    public ulong RequiredKeyIndex { get; } = requiredKeyIndex;

    /// <summary>The read index once the node answered; 0 until then.</summary>
    public ulong ReadIndex { get; set; }
}
