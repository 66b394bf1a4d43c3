namespace Cairn.Raft;

/// <summary>
/// The part of a node's Raft state that must be durable before the node sends any message that depends on
/// it: the current term, the vote cast in that term, and the commit index.
/// </summary>
/// <param name="Term">The latest term the node has seen.</param>
/// <param name="Vote">The node voted for in <paramref name="Term"/>, or 0 for none.</param>
/// <param name="Commit">The highest log index known to be committed.</param>
public readonly record struct HardState(ulong Term, ulong Vote, ulong Commit)
{
    /// <summary>The state of a node that has never run.</summary>
    public static HardState Empty => default;

    /// <summary>True for <see cref="Empty"/>.</summary>
    public bool IsEmpty => Term == 0 && Vote == 0 && Commit == 0;

    /// <inheritdoc />
    public override string ToString() => $"Term:{Term} Vote:{Vote} Commit:{Commit}";
}
