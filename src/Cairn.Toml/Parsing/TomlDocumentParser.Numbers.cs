using System.Globalization;

namespace Cairn.Toml.Parsing;

/// <summary>Integers (decimal, 0x, 0o, 0b), floats (including inf and nan), and telling them from date/times.</summary>
internal sealed partial class TomlDocumentParser
{
    /// <summary>Longest number token that is converted; longer ones are rejected (no real number needs more).</summary>
    private const int MaxNumberLength = 128;

    private TomlValue ParseNumberOrDateTime(TomlPosition definedAt)
    {
        int start = reader.Index;
        SkipNumberTokenChars();
        // A date may be followed by a space and a time ("1979-05-27 07:32:00"): one value, not two.
        if (reader.Index - start == 10 && LooksLikeDate(reader.Slice(start, reader.Index)) && reader.Peek() == ' ' && IsDigit(reader.PeekAt(1)))
        {
            reader.Advance();
            SkipNumberTokenChars();
        }
        ReadOnlySpan<char> token = reader.Slice(start, reader.Index);
        if (LooksLikeDate(token) || LooksLikeTime(token))
        {
            return TomlValue.FromDateTime(definedAt, ParseDateTime(token, start));
        }
        return ParseNumber(token, start, definedAt);
    }

    private void SkipNumberTokenChars()
    {
        while (reader.Peek() is (>= '0' and <= '9') or (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_' or '+' or '-' or '.' or ':')
        {
            reader.Advance();
        }
    }

    private TomlValue ParseNumber(ReadOnlySpan<char> token, int start, TomlPosition definedAt)
    {
        if (token.Length > MaxNumberLength)
        {
            throw reader.ErrorAt(start, $"number is longer than {MaxNumberLength} characters");
        }
        int signLength = token.Length > 0 && token[0] is '+' or '-' ? 1 : 0;
        ReadOnlySpan<char> unsigned = token[signLength..];
        if (unsigned.SequenceEqual("inf"))
        {
            return TomlValue.FromFloat(definedAt, token[0] == '-' ? double.NegativeInfinity : double.PositiveInfinity);
        }
        if (unsigned.SequenceEqual("nan"))
        {
            return TomlValue.FromFloat(definedAt, double.NaN);
        }
        if (unsigned.Length > 0 && char.IsAsciiLetter(unsigned[0]))
        {
            throw reader.ErrorAt(start, $"invalid value '{token}': not a number, boolean or date; strings must be quoted");
        }
        if (unsigned.Length > 1 && unsigned[0] == '0' && unsigned[1] is 'x' or 'o' or 'b')
        {
            if (signLength > 0)
            {
                throw reader.ErrorAt(start, $"invalid number '{token}': hexadecimal, octal and binary integers cannot have a sign");
            }
            return TomlValue.FromInteger(definedAt, ParsePrefixedInteger(token, start));
        }
        return ParseDecimal(token, start, signLength, definedAt);
    }

    private TomlValue ParseDecimal(ReadOnlySpan<char> token, int start, int signLength, TomlPosition definedAt)
    {
        int i = signLength;
        int integerStart = i;
        ReadDigits(token, ref i, start, "at the start of the number");
        if (token[integerStart] == '0' && i - integerStart > 1)
        {
            throw reader.ErrorAt(start, $"invalid number '{token}': leading zeros are not allowed");
        }
        bool isFloat = false;
        if (i < token.Length && token[i] == '.')
        {
            i++;
            isFloat = true;
            ReadDigits(token, ref i, start, "after the '.'");
        }
        if (i < token.Length && token[i] is 'e' or 'E')
        {
            i++;
            isFloat = true;
            if (i < token.Length && token[i] is '+' or '-')
            {
                i++;
            }
            ReadDigits(token, ref i, start, "in the exponent");
        }
        if (i < token.Length)
        {
            throw reader.ErrorAt(start + i, $"invalid number '{token}': unexpected {TomlReader.Describe(token[i])}");
        }
        Span<char> digits = stackalloc char[token.Length];
        digits = digits[..RemoveUnderscores(token, digits)];
        return isFloat ? TomlValue.FromFloat(definedAt, ToDouble(digits, token, start)) : TomlValue.FromInteger(definedAt, ToInt64(digits, token, start));
    }

    /// <summary>Reads one or more digits with single underscores between digits; fails saying <paramref name="where"/>.</summary>
    private void ReadDigits(ReadOnlySpan<char> token, ref int i, int start, string where, int radix = 10)
    {
        if (i >= token.Length || DigitValue(token[i], radix) < 0)
        {
            throw reader.ErrorAt(start + Math.Min(i, token.Length), $"invalid number '{token}': expected a digit {where}");
        }
        while (i < token.Length)
        {
            if (DigitValue(token[i], radix) >= 0)
            {
                i++;
            }
            else if (token[i] == '_' && i + 1 < token.Length && DigitValue(token[i + 1], radix) >= 0)
            {
                i += 2;
            }
            else if (token[i] == '_')
            {
                throw reader.ErrorAt(start + i, $"invalid number '{token}': an underscore must sit between two digits");
            }
            else
            {
                return;
            }
        }
    }

    private long ParsePrefixedInteger(ReadOnlySpan<char> token, int start)
    {
        int radix = token[1] switch { 'x' => 16, 'o' => 8, _ => 2 };
        int i = 2;
        ReadDigits(token, ref i, start, "after 0" + token[1], radix);
        if (i < token.Length)
        {
            throw reader.ErrorAt(start + i, $"invalid number '{token}': {TomlReader.Describe(token[i])} is not a base-{radix} digit");
        }
        ulong value = 0;
        foreach (char c in token[2..])
        {
            if (c == '_')
            {
                continue;
            }
            if (value > (ulong)(long.MaxValue / radix))
            {
                throw reader.ErrorAt(start, $"integer '{token}' does not fit in 64 bits (largest: 9223372036854775807)");
            }
            value = (value * (ulong)radix) + (ulong)DigitValue(c, radix);
        }
        if (value > long.MaxValue)
        {
            throw reader.ErrorAt(start, $"integer '{token}' does not fit in 64 bits (largest: 9223372036854775807)");
        }
        return (long)value;
    }

    private long ToInt64(ReadOnlySpan<char> digits, ReadOnlySpan<char> token, int start)
    {
        if (!long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
        {
            throw reader.ErrorAt(start, $"integer '{token}' does not fit in 64 bits (range -9223372036854775808 to 9223372036854775807)");
        }
        return value;
    }

    private double ToDouble(ReadOnlySpan<char> digits, ReadOnlySpan<char> token, int start)
    {
        double value = double.Parse(digits, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (double.IsInfinity(value))
        {
            throw reader.ErrorAt(start, $"float '{token}' is too large for a 64-bit float (write inf for infinity)");
        }
        return value;
    }

    private static int RemoveUnderscores(ReadOnlySpan<char> token, Span<char> destination)
    {
        int length = 0;
        foreach (char c in token)
        {
            if (c != '_')
            {
                destination[length++] = c;
            }
        }
        return length;
    }

    private static int DigitValue(char c, int radix)
    {
        int value = HexDigitValue(c);
        return value < radix ? value : -1;
    }

    private static bool IsDigit(int c) => c is >= '0' and <= '9';
}
