namespace Cairn.Configuration;

/// <summary>Always-on checks of conditions that must hold in production too (unlike <c>Debug.Assert</c>).</summary>
internal static class Invariant
{
    /// <summary>Throws <see cref="InvalidOperationException"/> when <paramref name="condition"/> is false.</summary>
    public static void Check(bool condition, string invariant)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"invariant violated: {invariant}");
        }
    }
}
