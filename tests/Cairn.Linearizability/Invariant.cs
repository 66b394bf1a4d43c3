namespace Cairn.Linearizability;

/// <summary>Always-on checks of conditions the checker's own correctness depends on.</summary>
internal static class Invariant
{
    /// <summary>Throws when <paramref name="condition"/> is false: a checker bug must never become a verdict.</summary>
    public static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException("linearizability checker invariant violated: " + message);
        }
    }
}
