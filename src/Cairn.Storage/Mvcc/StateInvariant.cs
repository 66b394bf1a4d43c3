using System.Diagnostics.CodeAnalysis;

namespace Cairn.Storage.Mvcc;

/// <summary>
/// Always-on invariant checks for the state half of the storage engine (MVCC, leases, watch, snapshots). A failed
/// check means the in-memory state is no longer trustworthy, so it throws and the caller fails stop.
/// </summary>
/// <remarks>
/// Private stand-in until the WAL engineer's shared <c>Invariant</c> lands; the lead may replace calls with it.
/// </remarks>
internal static class StateInvariant
{
    /// <summary>Throws <see cref="InvalidOperationException"/> with <paramref name="message"/> if the condition is false.</summary>
    public static void Check([DoesNotReturnIf(false)] bool condition, string message)
    {
        if (!condition)
        {
            Fail(message);
        }
    }

    /// <summary>Throws unconditionally; the state is broken.</summary>
    [DoesNotReturn]
    public static void Fail(string message) =>
        throw new InvalidOperationException("storage state invariant violated: " + message);
}
