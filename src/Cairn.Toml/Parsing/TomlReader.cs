using System.Globalization;

namespace Cairn.Toml.Parsing;

/// <summary>
/// The character cursor under the parser: where it is (line and column for every node and error), and the
/// lexical pieces TOML shares everywhere: whitespace, comments, newlines and the rules for control characters.
/// </summary>
internal sealed class TomlReader
{
    /// <summary>Returned by <see cref="Peek"/> at the end of the text (no char has this value).</summary>
    public const int EndOfText = -1;

    private readonly string text;
    private readonly string? sourceName;
    private int index;
    private int line = 1;
    private int lineStartIndex;

    public TomlReader(string text, string? sourceName, int startIndex)
    {
        this.text = text;
        this.sourceName = sourceName;
        index = startIndex;
        lineStartIndex = startIndex;
    }

    public bool AtEnd => index >= text.Length;

    /// <summary>The index of the next character in the text.</summary>
    public int Index => index;

    /// <summary>The position of the next character.</summary>
    public TomlPosition Position => PositionOf(index);

    public int Peek() => index < text.Length ? text[index] : EndOfText;

    public int PeekAt(int offset) => index + offset < text.Length ? text[index + offset] : EndOfText;

    /// <summary>True when the text at the cursor starts with <paramref name="expected"/>.</summary>
    public bool LookingAt(string expected) => text.AsSpan(index).StartsWith(expected, StringComparison.Ordinal);

    /// <summary>Moves past one character that is not a newline (newlines go through <see cref="TryReadNewline"/>).</summary>
    public void Advance() => index++;

    public void Advance(int count) => index += count;

    public ReadOnlySpan<char> Slice(int startIndex, int endIndex) => text.AsSpan(startIndex, endIndex - startIndex);

    public string Substring(int startIndex, int endIndex) => text.Substring(startIndex, endIndex - startIndex);

    /// <summary>Consumes <paramref name="expected"/> or fails with a message naming <paramref name="what"/>.</summary>
    public void Expect(char expected, string what)
    {
        if (Peek() != expected)
        {
            throw Error($"expected {what}, found {DescribeNext()}");
        }
        index++;
    }

    public void SkipWhitespace()
    {
        while (index < text.Length && text[index] is ' ' or '\t')
        {
            index++;
        }
    }

    /// <summary>Consumes LF or CRLF. A CR that is not followed by LF is an error wherever it appears.</summary>
    public bool TryReadNewline()
    {
        int c = Peek();
        if (c == '\n')
        {
            index++;
        }
        else if (c == '\r')
        {
            if (PeekAt(1) != '\n')
            {
                throw Error("carriage return (CR) without a following line feed; TOML lines end with LF or CRLF");
            }
            index += 2;
        }
        else
        {
            return false;
        }
        line++;
        lineStartIndex = index;
        return true;
    }

    /// <summary>Consumes a comment if one starts here; comments may hold any character except controls other than tab.</summary>
    public bool TrySkipComment()
    {
        if (Peek() != '#')
        {
            return false;
        }
        index++;
        while (index < text.Length && text[index] is not '\n' and not '\r')
        {
            if (IsForbiddenControl(text[index]))
            {
                throw Error($"control character {Describe(text[index])} is not allowed in a comment");
            }
            index++;
        }
        return true;
    }

    /// <summary>Skips whitespace, comments and newlines (between array elements).</summary>
    public void SkipWhitespaceCommentsAndNewlines()
    {
        while (true)
        {
            SkipWhitespace();
            if (!TrySkipComment() && !TryReadNewline())
            {
                return;
            }
        }
    }

    /// <summary>After a key/value pair or a header: optional whitespace and comment, then a newline or the end.</summary>
    public void ExpectEndOfLine(string after)
    {
        SkipWhitespace();
        TrySkipComment();
        if (!AtEnd && !TryReadNewline())
        {
            throw Error($"expected a newline or a comment after {after}, found {DescribeNext()}");
        }
    }

    public TomlParseException Error(string reason) => new(Position, reason);

    public TomlParseException ErrorAt(int atIndex, string reason) => new(PositionOf(atIndex), reason);

    /// <summary>The next character as a message shows it, or "end of file".</summary>
    public string DescribeNext() => Describe(Peek());

    /// <summary>Control characters other than tab (U+0000-U+0008, U+000A-U+001F, U+007F) may appear nowhere raw.</summary>
    public static bool IsForbiddenControl(int c) => (c < 0x20 && c != '\t') || c == 0x7F;

    /// <summary>A character as a message shows it: printable ones quoted, others as U+XXXX with a name when common.</summary>
    public static string Describe(int c) => c switch
    {
        EndOfText => "end of file",
        '\n' => "a newline",
        '\r' => "a carriage return (U+000D)",
        '\t' => "a tab",
        ' ' => "a space",
        0xFEFF => "a byte order mark (U+FEFF), which is only allowed at the very start of a file",
        _ when c < 0x20 || c == 0x7F || char.IsWhiteSpace((char)c) || char.IsSurrogate((char)c) =>
            string.Create(CultureInfo.InvariantCulture, $"U+{c:X4}"),
        _ => $"'{(char)c}'",
    };

    /// <summary>Line and column of <paramref name="atIndex"/>; only valid on the current line or earlier on it.</summary>
    private TomlPosition PositionOf(int atIndex)
    {
        int start = atIndex >= lineStartIndex ? lineStartIndex : LineStartOf(atIndex);
        int lineNumber = atIndex >= lineStartIndex ? line : LineNumberOf(atIndex);
        int column = 1;
        for (int i = start; i < atIndex && i < text.Length; i++)
        {
            if (!char.IsLowSurrogate(text[i]))
            {
                column++;
            }
        }
        return new TomlPosition(sourceName, lineNumber, column);
    }

    // Errors and nodes almost always refer to the current line; these cover the rare earlier position (e.g. the
    // start of an unterminated multi-line string) by rescanning, which is fine because it only happens once.
    private int LineStartOf(int atIndex)
    {
        int start = atIndex;
        while (start > 0 && text[start - 1] != '\n')
        {
            start--;
        }
        return start;
    }

    private int LineNumberOf(int atIndex)
    {
        int lineNumber = 1;
        for (int i = 0; i < atIndex; i++)
        {
            if (text[i] == '\n')
            {
                lineNumber++;
            }
        }
        return lineNumber;
    }
}
