namespace Cairn.Raft;

/// <summary>Volatile state that is useful for logging and routing but needs no persistence.</summary>
/// <param name="Lead">The node believed to be leader, or 0 when unknown.</param>
/// <param name="Role">This node's role.</param>
public readonly record struct SoftState(ulong Lead, RaftRole Role)
{
    /// <inheritdoc />
    public override string ToString() => $"Lead:{Lead} {Role}";
}
