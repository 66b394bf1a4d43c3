using System.Globalization;
using System.Text;

namespace Cairn.Cli.Output;

/// <summary>
/// Text the way Go's fmt package prints it, because etcdctl's output is Go's: <c>%q</c> quoting
/// (strconv.Quote), <c>%x</c> hex, <c>%v</c> of a string slice.
/// </summary>
public static class GoText
{
    private const string LowerHex = "0123456789abcdef";

    /// <summary>Appends <paramref name="bytes"/> quoted like Go's <c>%q</c> of <c>string(bytes)</c>.</summary>
    public static OutputBuffer AppendQuoted(OutputBuffer output, ReadOnlySpan<byte> bytes)
    {
        output.Append('"');
        while (!bytes.IsEmpty)
        {
            var status = Rune.DecodeFromUtf8(bytes, out Rune rune, out int consumed);
            if (status != System.Buffers.OperationStatus.Done)
            {
                // Go escapes each byte that does not start a valid UTF-8 sequence as \xNN.
                AppendByteEscape(output, bytes[0]);
                bytes = bytes[1..];
                continue;
            }
            AppendEscapedRune(output, rune, bytes[..consumed]);
            bytes = bytes[consumed..];
        }
        return output.Append('"');
    }

    /// <summary>Appends <paramref name="text"/> quoted like Go's <c>%q</c>.</summary>
    public static OutputBuffer AppendQuoted(OutputBuffer output, string text) =>
        AppendQuoted(output, Encoding.UTF8.GetBytes(text));

    /// <summary>Returns <paramref name="text"/> quoted like Go's <c>%q</c>.</summary>
    public static string Quote(string text)
    {
        var stream = new MemoryStream();
        var buffer = new OutputBuffer(stream);
        AppendQuoted(buffer, text);
        buffer.Flush();
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Go's <c>%x</c> of an unsigned number: lowercase hex, no padding.</summary>
    public static string Hex(ulong value) => value.ToString("x", CultureInfo.InvariantCulture);

    /// <summary>Go's <c>%016x</c> of an int64 (lease IDs): two's complement is not used, negatives get a minus sign.</summary>
    public static string LeaseHex(long value) =>
        value < 0
            ? "-" + ((ulong)(-(value + 1)) + 1).ToString("x15", CultureInfo.InvariantCulture)
            : value.ToString("x16", CultureInfo.InvariantCulture);

    /// <summary>Go's <c>%16x</c>: lowercase hex, left-padded with spaces to 16 characters.</summary>
    public static string SpacePaddedHex(ulong value) => Hex(value).PadLeft(16);

    /// <summary>Go's <c>%v</c> of a []string: the items separated by spaces, in brackets.</summary>
    public static string StringSlice(IEnumerable<string> items) => "[" + string.Join(' ', items) + "]";

    /// <summary>Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.</summary>
    public static bool IsPrint(Rune rune)
    {
        if (rune.Value == ' ')
        {
            return true;
        }
        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
                or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned
                or UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator
                or UnicodeCategory.ParagraphSeparator => false,
            _ => true,
        };
    }

    private static void AppendEscapedRune(OutputBuffer output, Rune rune, ReadOnlySpan<byte> encoded)
    {
        int value = rune.Value;
        if (value == '"' || value == '\\')
        {
            output.Append('\\').Append((char)value);
            return;
        }
        if (IsPrint(rune))
        {
            output.AppendBytes(encoded);
            return;
        }
        switch (value)
        {
            case '\a': output.Append("\\a"); return;
            case '\b': output.Append("\\b"); return;
            case '\f': output.Append("\\f"); return;
            case '\n': output.Append("\\n"); return;
            case '\r': output.Append("\\r"); return;
            case '\t': output.Append("\\t"); return;
            case '\v': output.Append("\\v"); return;
        }
        if (value < ' ' || value == 0x7f)
        {
            AppendByteEscape(output, (byte)value);
        }
        else if (value < 0x10000)
        {
            output.Append("\\u").Append(value.ToString("x4", CultureInfo.InvariantCulture));
        }
        else
        {
            output.Append("\\U").Append(value.ToString("x8", CultureInfo.InvariantCulture));
        }
    }

    private static void AppendByteEscape(OutputBuffer output, byte value) =>
        output.Append('\\').Append('x').Append(LowerHex[value >> 4]).Append(LowerHex[value & 0xF]);
}
