namespace Cairn.Raft;

/// <summary>
/// Always-on checks for states that must be impossible. They stay on in production because a Raft node that
/// has reached an impossible state can only make things worse by continuing (TigerBeetle's rule: crash on a
/// broken invariant rather than guess).
/// </summary>
internal static class Invariant
{
    /// <summary>Throws <see cref="RaftInvariantException"/> when <paramref name="condition"/> is false.</summary>
    public static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new RaftInvariantException(message);
        }
    }

    /// <summary>The exception to throw when a check with a formatted message fails: <c>throw Invariant.Violated(...)</c>.</summary>
    public static RaftInvariantException Violated(string message) => new(message);
}
