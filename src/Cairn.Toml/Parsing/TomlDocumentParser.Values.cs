namespace Cairn.Toml.Parsing;

/// <summary>Values: dispatch on the first character, booleans, arrays and inline tables.</summary>
internal sealed partial class TomlDocumentParser
{
    /// <summary>Parses the value at the cursor; the node records <paramref name="definedAt"/> as its position.</summary>
    private TomlNode ParseValue(TomlPosition definedAt)
    {
        int c = reader.Peek();
        switch (c)
        {
            case '"':
                return TomlValue.FromString(definedAt, reader.LookingAt("\"\"\"") ? ParseMultiLineBasicString() : ParseBasicString());
            case '\'':
                return TomlValue.FromString(definedAt, reader.LookingAt("'''") ? ParseMultiLineLiteralString() : ParseLiteralString());
            case '[':
                return ParseArray(definedAt);
            case '{':
                return ParseInlineTable(definedAt);
            case 't' or 'f':
                return ParseBoolean(definedAt);
            case (>= '0' and <= '9') or '+' or '-' or 'i' or 'n':
                return ParseNumberOrDateTime(definedAt);
            case TomlReader.EndOfText or '\n' or '\r' or '#':
                throw reader.Error("expected a value, found the end of the line; write e.g. key = \"text\", key = 42 or key = []");
            default:
                throw reader.Error($"expected a value (string, number, boolean, date/time, array or inline table), found {reader.DescribeNext()}" +
                    (TomlFormatting.IsBareKeyChar(c) ? "; strings must be quoted" : string.Empty));
        }
    }

    private TomlValue ParseBoolean(TomlPosition definedAt)
    {
        int start = reader.Index;
        while (TomlFormatting.IsBareKeyChar(reader.Peek()))
        {
            reader.Advance();
        }
        ReadOnlySpan<char> word = reader.Slice(start, reader.Index);
        if (word.SequenceEqual("true"))
        {
            return TomlValue.FromBoolean(definedAt, true);
        }
        if (word.SequenceEqual("false"))
        {
            return TomlValue.FromBoolean(definedAt, false);
        }
        throw reader.ErrorAt(start, $"invalid value '{word}': booleans are lowercase true or false, and strings must be quoted");
    }

    private TomlArray ParseArray(TomlPosition definedAt)
    {
        TomlPosition opening = reader.Position;
        EnterNesting();
        reader.Advance();
        var array = new TomlArray(definedAt, isArrayOfTables: false);
        while (true)
        {
            reader.SkipWhitespaceCommentsAndNewlines();
            if (reader.Peek() == ']')
            {
                break;
            }
            if (reader.AtEnd)
            {
                throw new TomlParseException(opening, "array is not closed with ']'");
            }
            array.Add(ParseValue(reader.Position));
            reader.SkipWhitespaceCommentsAndNewlines();
            if (reader.Peek() == ',')
            {
                reader.Advance();
                continue;
            }
            if (reader.Peek() != ']')
            {
                throw reader.AtEnd
                    ? new TomlParseException(opening, "array is not closed with ']'")
                    : reader.Error($"expected ',' or ']' after an array element, found {reader.DescribeNext()}");
            }
        }
        reader.Advance();
        nestingDepth--;
        return array;
    }

    private TomlTable ParseInlineTable(TomlPosition definedAt)
    {
        EnterNesting();
        reader.Advance();
        var table = new TomlTable(definedAt, TomlTableOrigin.Inline);
        reader.SkipWhitespace();
        if (reader.Peek() != '}')
        {
            ParseInlineTableEntries(table);
        }
        reader.Advance();
        CloseInlineTable(table);
        nestingDepth--;
        return table;
    }

    /// <summary>Parses <c>k = v, k = v</c> up to (not past) the closing brace.</summary>
    private void ParseInlineTableEntries(TomlTable table)
    {
        while (true)
        {
            ParseKeyValue(table);
            reader.SkipWhitespace();
            int c = reader.Peek();
            if (c == '}')
            {
                return;
            }
            if (c != ',')
            {
                throw c is '\n' or '\r' or '#'
                    ? reader.Error("an inline table must be on one line (TOML 1.0); use a [table] header for longer tables")
                    : reader.Error($"expected ',' or '}}' in an inline table, found {reader.DescribeNext()}");
            }
            reader.Advance();
            reader.SkipWhitespace();
            if (reader.Peek() == '}')
            {
                throw reader.Error("a trailing comma is not allowed in an inline table (TOML 1.0)");
            }
        }
    }

    private void EnterNesting()
    {
        if (++nestingDepth > MaxNestingDepth)
        {
            throw reader.Error($"arrays and inline tables nest deeper than {MaxNestingDepth} levels");
        }
    }
}
