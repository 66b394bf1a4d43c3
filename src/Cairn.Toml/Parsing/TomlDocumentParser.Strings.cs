using System.Globalization;
using System.Text;

namespace Cairn.Toml.Parsing;

/// <summary>The four string forms: basic, multi-line basic, literal and multi-line literal.</summary>
internal sealed partial class TomlDocumentParser
{
    /// <summary>Parses <c>"..."</c>: escapes allowed, no newlines, no control characters other than tab.</summary>
    private string ParseBasicString()
    {
        int openingIndex = reader.Index;
        reader.Advance();
        scratch.Clear();
        while (true)
        {
            int c = reader.Peek();
            if (c == '"')
            {
                reader.Advance();
                return scratch.ToString();
            }
            if (c == '\\')
            {
                ReadEscape();
            }
            else if (c is TomlReader.EndOfText or '\n' or '\r')
            {
                throw reader.ErrorAt(openingIndex, "string is not closed with '\"' on its line (use \"\"\" for a multi-line string)");
            }
            else
            {
                AppendStringChar(c, "a string");
            }
        }
    }

    /// <summary>Parses <c>"""..."""</c>: escapes, newlines, and a backslash at a line end that trims the following whitespace.</summary>
    private string ParseMultiLineBasicString()
    {
        int openingIndex = reader.Index;
        reader.Advance(3);
        reader.TryReadNewline();
        scratch.Clear();
        while (true)
        {
            int c = reader.Peek();
            if (c == '"')
            {
                if (TryCloseMultiLine('"'))
                {
                    return scratch.ToString();
                }
            }
            else if (c == '\\' && reader.PeekAt(1) is ' ' or '\t' or '\n' or '\r')
            {
                SkipLineEndingBackslash();
            }
            else if (c == '\\')
            {
                ReadEscape();
            }
            else if (reader.TryReadNewline())
            {
                scratch.Append('\n');
            }
            else if (c == TomlReader.EndOfText)
            {
                throw reader.ErrorAt(openingIndex, "multi-line string is not closed with \"\"\"");
            }
            else
            {
                AppendStringChar(c, "a multi-line string");
            }
        }
    }

    /// <summary>Parses <c>'...'</c>: the text as written, no escapes, no newlines.</summary>
    private string ParseLiteralString()
    {
        int openingIndex = reader.Index;
        reader.Advance();
        int start = reader.Index;
        while (true)
        {
            int c = reader.Peek();
            if (c == '\'')
            {
                string value = reader.Substring(start, reader.Index);
                reader.Advance();
                return value;
            }
            if (c is TomlReader.EndOfText or '\n' or '\r')
            {
                throw reader.ErrorAt(openingIndex, "literal string is not closed with \"'\" on its line (use ''' for a multi-line literal string)");
            }
            RejectControl(c, "a literal string");
            reader.Advance();
        }
    }

    /// <summary>Parses <c>'''...'''</c>: the text as written, newlines included.</summary>
    private string ParseMultiLineLiteralString()
    {
        int openingIndex = reader.Index;
        reader.Advance(3);
        reader.TryReadNewline();
        scratch.Clear();
        while (true)
        {
            int c = reader.Peek();
            if (c == '\'')
            {
                if (TryCloseMultiLine('\''))
                {
                    return scratch.ToString();
                }
            }
            else if (reader.TryReadNewline())
            {
                scratch.Append('\n');
            }
            else if (c == TomlReader.EndOfText)
            {
                throw reader.ErrorAt(openingIndex, "multi-line literal string is not closed with '''");
            }
            else
            {
                AppendStringChar(c, "a multi-line literal string");
            }
        }
    }

    /// <summary>
    /// At a run of quotes: fewer than three are content; three to five close the string, the extra one or two
    /// being content; six or more are an error.
    /// </summary>
    private bool TryCloseMultiLine(char quote)
    {
        int count = 0;
        while (reader.PeekAt(count) == quote)
        {
            count++;
        }
        if (count > 5)
        {
            throw reader.Error($"too many {quote} characters: at most two may come right before the closing {quote}{quote}{quote}");
        }
        int contentQuotes = count >= 3 ? count - 3 : count;
        scratch.Append(quote, contentQuotes);
        reader.Advance(count);
        return count >= 3;
    }

    /// <summary>A backslash followed by whitespace up to the end of the line removes all whitespace and newlines after it.</summary>
    private void SkipLineEndingBackslash()
    {
        reader.Advance();
        reader.SkipWhitespace();
        if (!reader.TryReadNewline())
        {
            throw reader.Error($"a '\\' followed by whitespace must end the line in a multi-line string, found {reader.DescribeNext()}");
        }
        while (true)
        {
            reader.SkipWhitespace();
            if (!reader.TryReadNewline())
            {
                return;
            }
        }
    }

    private void ReadEscape()
    {
        int escapeIndex = reader.Index;
        reader.Advance();
        int c = reader.Peek();
        char? simple = c switch
        {
            'b' => '\b',
            't' => '\t',
            'n' => '\n',
            'f' => '\f',
            'r' => '\r',
            '"' => '"',
            '\\' => '\\',
            _ => null,
        };
        if (simple is char escaped)
        {
            scratch.Append(escaped);
            reader.Advance();
            return;
        }
        if (c is 'u' or 'U')
        {
            reader.Advance();
            ReadUnicodeEscape(escapeIndex, c == 'u' ? 4 : 8);
            return;
        }
        string escape = c is TomlReader.EndOfText or < 0x20 or 0x7F ? $"a backslash followed by {TomlReader.Describe(c)}" : $"'\\{(char)c}'";
        throw reader.ErrorAt(escapeIndex,
            $"invalid escape sequence {escape}; valid escapes are \\b \\t \\n \\f \\r \\\" \\\\ \\uXXXX and \\UXXXXXXXX");
    }

    private void ReadUnicodeEscape(int escapeIndex, int digitCount)
    {
        int codePoint = 0;
        for (int i = 0; i < digitCount; i++)
        {
            int digit = HexDigitValue(reader.Peek());
            if (digit < 0)
            {
                throw reader.ErrorAt(escapeIndex, $"a \\{(digitCount == 4 ? 'u' : 'U')} escape needs exactly {digitCount} hexadecimal digits");
            }
            codePoint = (codePoint << 4) | digit;
            reader.Advance();
        }
        if (!Rune.IsValid(codePoint))
        {
            throw reader.ErrorAt(escapeIndex,
                string.Create(CultureInfo.InvariantCulture, $"escape U+{codePoint:X} is not a Unicode scalar value (surrogates and values above 10FFFF are not allowed)"));
        }
        Span<char> encoded = stackalloc char[2];
        int written = new Rune(codePoint).EncodeToUtf16(encoded);
        scratch.Append(encoded[..written]);
    }

    private void AppendStringChar(int c, string where)
    {
        RejectControl(c, where);
        scratch.Append((char)c);
        reader.Advance();
    }

    private void RejectControl(int c, string where)
    {
        if (TomlReader.IsForbiddenControl(c))
        {
            throw reader.Error($"control character {TomlReader.Describe(c)} is not allowed in {where} (a basic string can hold it as the escape \\u{c:X4})");
        }
    }

    private static int HexDigitValue(int c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
