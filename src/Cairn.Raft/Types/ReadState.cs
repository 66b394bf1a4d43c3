namespace Cairn.Raft;

/// <summary>
/// The answer to a <c>RawNode.ReadIndex</c> request: once the local state machine has applied
/// <paramref name="Index"/>, a read that started before the request was made may be served locally and is
/// linearizable.
/// </summary>
/// <param name="Index">The commit index the read must wait for.</param>
/// <param name="RequestContext">The context passed to <c>ReadIndex</c>, to match answers to requests.</param>
public readonly record struct ReadState(ulong Index, ReadOnlyMemory<byte> RequestContext)
{
    /// <inheritdoc />
    public override string ToString() => $"ReadState(Index:{Index} Context:{RequestContext.Length}B)";
}
