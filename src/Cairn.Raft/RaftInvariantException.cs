namespace Cairn.Raft;

/// <summary>
/// Thrown when the Raft core detects a state that must never happen (for example the commit index moving
/// backwards, or entries appended below the commit index). The node must stop: its persisted state may be
/// corrupt or the storage underneath it broke its contract.
/// </summary>
public sealed class RaftInvariantException : Exception
{
    /// <summary>Creates the exception with a message that names the broken invariant and the values involved.</summary>
    public RaftInvariantException(string message)
        : base("raft invariant violated: " + message)
    {
    }
}
