using System.Globalization;
using System.Text;

namespace Cairn.Cli.Output;

/// <summary>
/// Writes JSON exactly as Go's encoding/json.Marshal does (etcdctl's <c>-w json</c>): no whitespace, 64-bit
/// integers as plain numbers, byte strings as padded standard base64, strings with HTML-safe escaping
/// (<c>&lt; &gt; &amp;</c> as \u003c \u003e \u0026), control characters as \u00XX except \n \r \t, U+2028/U+2029
/// escaped, invalid UTF-8 replaced by U+FFFD.
/// </summary>
public sealed class GoJsonWriter
{
    private const string LowerHex = "0123456789abcdef";

    private readonly OutputBuffer output;
    // Items written so far in each open object or array, innermost on top.
    private readonly Stack<int> itemCounts = new();
    private bool afterName;

    /// <summary>Creates a writer appending to <paramref name="output"/>.</summary>
    public GoJsonWriter(OutputBuffer output)
    {
        this.output = output;
    }

    /// <summary>Starts an object (as a value).</summary>
    public GoJsonWriter BeginObject()
    {
        BeforeValue();
        output.Append('{');
        itemCounts.Push(0);
        return this;
    }

    /// <summary>Starts an object as the value of field <paramref name="name"/>.</summary>
    public GoJsonWriter BeginObject(string name) => Name(name).BeginObject();

    /// <summary>Ends the current object.</summary>
    public GoJsonWriter EndObject()
    {
        itemCounts.Pop();
        output.Append('}');
        return this;
    }

    /// <summary>Starts an array (as a value).</summary>
    public GoJsonWriter BeginArray()
    {
        BeforeValue();
        output.Append('[');
        itemCounts.Push(0);
        return this;
    }

    /// <summary>Starts an array as the value of field <paramref name="name"/>.</summary>
    public GoJsonWriter BeginArray(string name) => Name(name).BeginArray();

    /// <summary>Ends the current array.</summary>
    public GoJsonWriter EndArray()
    {
        itemCounts.Pop();
        output.Append(']');
        return this;
    }

    /// <summary>Writes a field name; the next value written is its value.</summary>
    public GoJsonWriter Name(string name)
    {
        BeforeValue();
        WriteString(name);
        output.Append(':');
        afterName = true;
        return this;
    }

    /// <summary>Writes a signed number field.</summary>
    public GoJsonWriter Number(string name, long value) => Name(name).Number(value);

    /// <summary>Writes an unsigned number field.</summary>
    public GoJsonWriter Number(string name, ulong value) => Name(name).Number(value);

    /// <summary>Writes a signed number value.</summary>
    public GoJsonWriter Number(long value)
    {
        BeforeValue();
        output.Append(value);
        return this;
    }

    /// <summary>Writes an unsigned number value.</summary>
    public GoJsonWriter Number(ulong value)
    {
        BeforeValue();
        output.Append(value);
        return this;
    }

    /// <summary>Writes a bool field.</summary>
    public GoJsonWriter Bool(string name, bool value)
    {
        Name(name);
        BeforeValue();
        output.Append(value);
        return this;
    }

    /// <summary>Writes a string field.</summary>
    public GoJsonWriter String(string name, string value) => Name(name).String(value);

    /// <summary>Writes a string value.</summary>
    public GoJsonWriter String(string value)
    {
        BeforeValue();
        WriteString(value);
        return this;
    }

    /// <summary>Writes a []byte field (base64).</summary>
    public GoJsonWriter Bytes(string name, ReadOnlySpan<byte> value) => Name(name).Bytes(value);

    /// <summary>Writes a []byte value (base64).</summary>
    public GoJsonWriter Bytes(ReadOnlySpan<byte> value)
    {
        BeforeValue();
        output.Append('"').Append(Convert.ToBase64String(value)).Append('"');
        return this;
    }

    /// <summary>Writes <c>null</c> as the value of field <paramref name="name"/>.</summary>
    public GoJsonWriter Null(string name)
    {
        Name(name);
        BeforeValue();
        output.Append("null");
        return this;
    }

    private void BeforeValue()
    {
        if (afterName)
        {
            afterName = false;
            return;
        }
        if (itemCounts.Count > 0)
        {
            int written = itemCounts.Pop();
            if (written > 0)
            {
                output.Append(',');
            }
            itemCounts.Push(written + 1);
        }
    }

    private void WriteString(string value)
    {
        output.Append('"');
        int start = 0;
        for (int index = 0; index < value.Length; index++)
        {
            char c = value[index];
            string? escape = EscapeFor(c, value, index);
            if (escape is null)
            {
                continue;
            }
            if (index > start)
            {
                output.Append(value[start..index]);
            }
            output.Append(escape);
            start = index + 1;
        }
        if (start < value.Length)
        {
            output.Append(value[start..]);
        }
        output.Append('"');
    }

    private static string? EscapeFor(char c, string value, int index)
    {
        switch (c)
        {
            case '"': return "\\\"";
            case '\\': return "\\\\";
            case '\n': return "\\n";
            case '\r': return "\\r";
            case '\t': return "\\t";
            case '<' or '>' or '&' or '\u2028' or '\u2029':
                return "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture);
        }
        if (c < ' ')
        {
            return "\\u00" + LowerHex[c >> 4] + LowerHex[c & 0xF];
        }
        // A lone surrogate is what decoding invalid UTF-8 can leave behind; Go writes U+FFFD for it.
        if (char.IsSurrogate(c) && !(char.IsHighSurrogate(c) && index + 1 < value.Length && char.IsLowSurrogate(value[index + 1]))
            && !(char.IsLowSurrogate(c) && index > 0 && char.IsHighSurrogate(value[index - 1])))
        {
            return "\ufffd";
        }
        return null;
    }
}
