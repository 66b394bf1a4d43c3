using System.Text;

namespace Cairn.Toml.Parsing;

/// <summary>
/// Recursive-descent parser of one TOML document over a <see cref="TomlReader"/>. Split by concern into partial
/// files: statements and keys (here), table rules, values, strings, numbers and date/times.
/// </summary>
internal sealed partial class TomlDocumentParser
{
    private const int MaxNestingDepth = TomlParser.MaxNestingDepth;

    private readonly TomlReader reader;
    private readonly TomlTable root;
    private readonly StringBuilder scratch = new();
    private int nestingDepth;

    private TomlDocumentParser(string text, string? sourceName, int startIndex)
    {
        reader = new TomlReader(text, sourceName, startIndex);
        root = new TomlTable(new TomlPosition(sourceName, 1, 1), TomlTableOrigin.Root);
    }

    /// <summary>Parses <paramref name="text"/> from <paramref name="startIndex"/> (past a byte order mark, if any).</summary>
    public static TomlTable Parse(string text, string? sourceName, int startIndex) =>
        new TomlDocumentParser(text, sourceName, startIndex).ParseDocument();

    private TomlTable ParseDocument()
    {
        TomlTable current = root;
        while (true)
        {
            reader.SkipWhitespace();
            if (reader.AtEnd)
            {
                return root;
            }
            if (reader.TrySkipComment() || reader.TryReadNewline())
            {
                continue;
            }
            if (reader.Peek() == '[')
            {
                current = ParseTableHeader();
            }
            else
            {
                ParseKeyValue(current);
                reader.ExpectEndOfLine("a key/value pair");
            }
        }
    }

    /// <summary>Parses <c>[a.b]</c> or <c>[[a.b]]</c> and returns the table that the following key/value pairs fill.</summary>
    private TomlTable ParseTableHeader()
    {
        bool isArrayOfTables = reader.PeekAt(1) == '[';
        reader.Advance(isArrayOfTables ? 2 : 1);
        reader.SkipWhitespace();
        List<TomlKeySegment> key = ParseKey();
        if (isArrayOfTables)
        {
            reader.Expect(']', "']]' to close the array-of-tables header");
            reader.Expect(']', "']]' to close the array-of-tables header (no space between the brackets)");
        }
        else
        {
            reader.Expect(']', "']' to close the table header");
        }
        reader.ExpectEndOfLine("a table header");
        return isArrayOfTables ? DefineArrayOfTablesElement(key) : DefineTable(key);
    }

    /// <summary>Parses <c>key = value</c> and stores it in <paramref name="table"/> (dotted keys create sub-tables).</summary>
    private void ParseKeyValue(TomlTable table)
    {
        List<TomlKeySegment> key = ParseKey();
        if (reader.Peek() != '=')
        {
            throw reader.Error($"expected '=' after the key {FormatKeyPath(key, key.Count)}, found {reader.DescribeNext()}");
        }
        reader.Advance();
        reader.SkipWhitespace();
        TomlNode value = ParseValue(key[^1].Position);
        AssignKeyValue(table, key, value);
    }

    /// <summary>Parses a simple or dotted key and the whitespace after it.</summary>
    private List<TomlKeySegment> ParseKey()
    {
        var segments = new List<TomlKeySegment>(2);
        while (true)
        {
            segments.Add(ParseSimpleKey());
            reader.SkipWhitespace();
            if (reader.Peek() != '.')
            {
                return segments;
            }
            reader.Advance();
            reader.SkipWhitespace();
        }
    }

    private TomlKeySegment ParseSimpleKey()
    {
        TomlPosition position = reader.Position;
        int c = reader.Peek();
        if (c == '"')
        {
            return new TomlKeySegment(ParseBasicString(), position);
        }
        if (c == '\'')
        {
            return new TomlKeySegment(ParseLiteralString(), position);
        }
        int start = reader.Index;
        while (TomlFormatting.IsBareKeyChar(reader.Peek()))
        {
            reader.Advance();
        }
        if (reader.Index == start)
        {
            throw reader.Error($"expected a key (letters, digits, '_', '-' or a quoted string), found {reader.DescribeNext()}");
        }
        return new TomlKeySegment(reader.Substring(start, reader.Index), position);
    }

    /// <summary>The first <paramref name="count"/> segments of a key as TOML writes them, e.g. <c>a."b c".d</c>.</summary>
    private static string FormatKeyPath(List<TomlKeySegment> key, int count)
    {
        var text = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            if (i > 0)
            {
                text.Append('.');
            }
            text.Append(TomlFormatting.FormatKey(key[i].Name));
        }
        return text.ToString();
    }
}
