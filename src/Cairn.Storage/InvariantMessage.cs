using System.Runtime.CompilerServices;

namespace Cairn.Storage;

/// <summary>
/// Lets <see cref="Invariant.Check(bool, ref InvariantMessage)"/> take an interpolated string that is only
/// formatted when the check fails, so checks on hot paths cost a comparison and allocate nothing.
/// Write <c>Invariant.Check(x == y, $"x {x} differs from y {y}")</c>; the compiler builds the message
/// through this handler, and skips it entirely when the condition holds.
/// </summary>
[InterpolatedStringHandler]
public ref struct InvariantMessage
{
    private DefaultInterpolatedStringHandler _builder;

    /// <summary>Called by the compiler; formats nothing when <paramref name="condition"/> is true.</summary>
    /// <param name="literalLength">Length of the literal parts.</param>
    /// <param name="formattedCount">Number of holes.</param>
    /// <param name="condition">The checked condition.</param>
    /// <param name="shouldAppend">Whether the compiler should append the parts.</param>
    public InvariantMessage(int literalLength, int formattedCount, bool condition, out bool shouldAppend)
    {
        shouldAppend = !condition;
        _builder = shouldAppend ? new DefaultInterpolatedStringHandler(literalLength, formattedCount) : default;
    }

    /// <summary>Appends a literal part.</summary>
    /// <param name="value">The text.</param>
    public void AppendLiteral(string value) => _builder.AppendLiteral(value);

    /// <summary>Appends a hole.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="value">The value.</param>
    public void AppendFormatted<T>(T value) => _builder.AppendFormatted(value);

    /// <summary>Appends a hole with a format string.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="value">The value.</param>
    /// <param name="format">The format.</param>
    public void AppendFormatted<T>(T value, string? format) => _builder.AppendFormatted(value, format);

    /// <summary>The formatted message.</summary>
    /// <returns>The message text.</returns>
    public string ToStringAndClear() => _builder.ToStringAndClear();
}
