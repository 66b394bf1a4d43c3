using System.Buffers;
using System.Globalization;
using System.Text;

namespace Cairn.Cli.Txn;

/// <summary>
/// Reads a Go quoted string the way fmt's <c>%q</c> verb scans one: a double-quoted string with Go escapes
/// (<c>\n \t \\ \" \xNN \NNN \uNNNN \UNNNNNNNN</c> ...) or a back-quoted raw string. The result is bytes, because
/// <c>\xff</c> may produce a byte string that is not UTF-8.
/// </summary>
public static class GoQuoted
{
    /// <summary>
    /// Reads a quoted string starting at <paramref name="position"/> (after skipping spaces, as Go's scanner does).
    /// Returns false with <paramref name="error"/> set when there is none or it is malformed; on success
    /// <paramref name="position"/> is just past the closing quote.
    /// </summary>
    public static bool TryRead(string text, ref int position, out byte[] value, out string error)
    {
        value = [];
        int index = position;
        while (index < text.Length && IsSpace(text[index]))
        {
            index++;
        }
        if (index >= text.Length)
        {
            error = "unexpected EOF";
            return false;
        }
        char quote = text[index];
        if (quote == '`')
        {
            int close = text.IndexOf('`', index + 1);
            if (close < 0)
            {
                error = "unexpected EOF";
                return false;
            }
            value = Encoding.UTF8.GetBytes(text[(index + 1)..close]);
            position = close + 1;
            error = "";
            return true;
        }
        if (quote != '"')
        {
            error = "expected quoted string";
            return false;
        }
        int end = FindClosingQuote(text, index);
        if (end < 0)
        {
            error = "unexpected EOF";
            return false;
        }
        if (!TryUnescape(text.AsSpan(index + 1, end - index - 1), out value))
        {
            error = "invalid syntax";
            return false;
        }
        position = end + 1;
        error = "";
        return true;
    }

    /// <summary>Decodes the body of a double-quoted Go string (without its quotes); false if an escape is invalid.</summary>
    public static bool TryUnescape(ReadOnlySpan<char> body, out byte[] value)
    {
        var bytes = new ArrayBufferWriter<byte>(body.Length + 8);
        value = [];
        int index = 0;
        while (index < body.Length)
        {
            char c = body[index];
            if (c == '"' || c == '\n')
            {
                return false;
            }
            if (c != '\\')
            {
                int runeLength = char.IsHighSurrogate(c) && index + 1 < body.Length ? 2 : 1;
                AppendUtf8(bytes, body.Slice(index, runeLength));
                index += runeLength;
                continue;
            }
            if (!TryEscape(body, ref index, bytes))
            {
                return false;
            }
        }
        value = bytes.WrittenSpan.ToArray();
        return true;
    }

    private static int FindClosingQuote(string text, int openingQuote)
    {
        for (int index = openingQuote + 1; index < text.Length; index++)
        {
            if (text[index] == '\\')
            {
                // Only the character right after a backslash can be a quote that does not end the string.
                index++;
            }
            else if (text[index] == '"')
            {
                return index;
            }
        }
        return -1;
    }

    private static bool TryEscape(ReadOnlySpan<char> body, ref int index, ArrayBufferWriter<byte> bytes)
    {
        if (index + 1 >= body.Length)
        {
            return false;
        }
        char kind = body[index + 1];
        index += 2;
        switch (kind)
        {
            case 'a': Append(bytes, 0x07); return true;
            case 'b': Append(bytes, 0x08); return true;
            case 'f': Append(bytes, 0x0c); return true;
            case 'n': Append(bytes, 0x0a); return true;
            case 'r': Append(bytes, 0x0d); return true;
            case 't': Append(bytes, 0x09); return true;
            case 'v': Append(bytes, 0x0b); return true;
            case '\\': Append(bytes, (byte)'\\'); return true;
            case '"': Append(bytes, (byte)'"'); return true;
            case 'x': return TryHex(body, ref index, 2, bytes, asByte: true);
            case 'u': return TryHex(body, ref index, 4, bytes, asByte: false);
            case 'U': return TryHex(body, ref index, 8, bytes, asByte: false);
        }
        if (kind >= '0' && kind <= '7')
        {
            // Octal \NNN: exactly three digits, at most 255.
            if (index + 2 > body.Length || !IsOctal(body[index]) || !IsOctal(body[index + 1]))
            {
                return false;
            }
            int octal = ((kind - '0') << 6) | ((body[index] - '0') << 3) | (body[index + 1] - '0');
            if (octal > 255)
            {
                return false;
            }
            Append(bytes, (byte)octal);
            index += 2;
            return true;
        }
        return false;
    }

    private static bool TryHex(ReadOnlySpan<char> body, ref int index, int digits, ArrayBufferWriter<byte> bytes, bool asByte)
    {
        if (index + digits > body.Length
            || !int.TryParse(body.Slice(index, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int code))
        {
            return false;
        }
        index += digits;
        if (asByte)
        {
            Append(bytes, (byte)code);
            return true;
        }
        if (!Rune.IsValid(code))
        {
            return false;
        }
        Span<byte> encoded = stackalloc byte[4];
        int length = new Rune(code).EncodeToUtf8(encoded);
        encoded[..length].CopyTo(bytes.GetSpan(length));
        bytes.Advance(length);
        return true;
    }

    private static void AppendUtf8(ArrayBufferWriter<byte> bytes, ReadOnlySpan<char> chars)
    {
        int length = Encoding.UTF8.GetByteCount(chars);
        Encoding.UTF8.GetBytes(chars, bytes.GetSpan(length));
        bytes.Advance(length);
    }

    private static void Append(ArrayBufferWriter<byte> bytes, byte value)
    {
        bytes.GetSpan(1)[0] = value;
        bytes.Advance(1);
    }

    private static bool IsOctal(char c) => c >= '0' && c <= '7';

    /// <summary>The spaces Go's scanner skips (not newlines).</summary>
    public static bool IsSpace(char c) => c != '\n' && char.IsWhiteSpace(c);
}
