using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Cairn.Storage;

/// <summary>
/// Always-on invariant checks for production code. <see cref="System.Diagnostics.Debug.Assert(bool)"/> is
/// stripped from Release builds; these checks stay, because a storage engine that keeps running after one
/// of its invariants broke writes wrong data to disk (TigerBeetle's rule: crash rather than guess).
/// Use them for cheap checks only (a comparison or two); expensive checks belong in Debug.Assert.
/// </summary>
public static class Invariant
{
    /// <summary>Throws <see cref="InvariantViolationException"/> when <paramref name="condition"/> is false.</summary>
    /// <param name="condition">The condition that must hold.</param>
    /// <param name="message">What was expected, phrased so that a crash report explains itself.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Check([DoesNotReturnIf(false)] bool condition, string message)
    {
        if (!condition)
        {
            Fail(message);
        }
    }

    /// <summary>
    /// Throws <see cref="InvariantViolationException"/> when <paramref name="condition"/> is false. The
    /// interpolated message is only formatted in that case, so this overload allocates nothing on success.
    /// </summary>
    /// <param name="condition">The condition that must hold.</param>
    /// <param name="message">An interpolated string, e.g. <c>$"entry {index} not found"</c>.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Check([DoesNotReturnIf(false)] bool condition, [InterpolatedStringHandlerArgument(nameof(condition))] ref InvariantMessage message)
    {
        if (!condition)
        {
            Fail(message.ToStringAndClear());
        }
    }

    /// <summary>Throws <see cref="InvariantViolationException"/> unconditionally.</summary>
    /// <param name="message">What was expected.</param>
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Fail(string message) => throw new InvariantViolationException(message);
}
