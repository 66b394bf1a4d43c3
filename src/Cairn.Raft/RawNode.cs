namespace Cairn.Raft;

/// <summary>The Raft consensus core as a pure state machine. Not built yet: see issue 5.</summary>
public sealed class RawNode
{
}
