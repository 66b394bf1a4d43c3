using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Cairn.Protocol;

/// <summary>
/// An always-on assertion for cheap conditions that must hold in production, not only in debug builds.
/// A failed check is a bug in Cairn, never a user error: it throws <see cref="InvariantViolationException"/>.
/// </summary>
public static class Invariant
{
    /// <summary>Throws <see cref="InvariantViolationException"/> when <paramref name="condition"/> is false.</summary>
    /// <param name="condition">The condition that must hold.</param>
    /// <param name="message">What was expected, for the crash report.</param>
    /// <param name="expression">Filled in by the compiler with the text of <paramref name="condition"/>.</param>
    public static void Check(
        [DoesNotReturnIf(false)] bool condition,
        string message,
        [CallerArgumentExpression(nameof(condition))] string? expression = null)
    {
        if (!condition)
        {
            Fail(message, expression);
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Fail(string message, string? expression) =>
        throw new InvariantViolationException($"invariant violated: {message} ({expression})");
}

/// <summary>Thrown by <see cref="Invariant.Check"/>: a bug, not a recoverable condition.</summary>
public sealed class InvariantViolationException(string message) : Exception(message);
