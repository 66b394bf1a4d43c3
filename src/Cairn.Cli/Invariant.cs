namespace Cairn.Cli;

/// <summary>Always-on checks of conditions that must hold in production builds too (not only under Debug.Assert).</summary>
internal static class Invariant
{
    /// <summary>Throws <see cref="InvalidOperationException"/> with <paramref name="message"/> when <paramref name="condition"/> is false.</summary>
    public static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"cairn cli invariant violated: {message}");
        }
    }
}
