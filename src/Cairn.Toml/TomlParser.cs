using System.Buffers;
using System.Text;
using System.Text.Unicode;
using Cairn.Toml.Parsing;

namespace Cairn.Toml;

/// <summary>Parses TOML 1.0 documents into a <see cref="TomlTable"/> whose nodes remember where they were written.</summary>
/// <remarks>
/// Errors throw <see cref="TomlParseException"/> with the source name, line and column. Files are read as bytes
/// and decoded strictly: invalid UTF-8 is an error, never replaced with U+FFFD.
/// </remarks>
public static class TomlParser
{
    private const char ByteOrderMark = '\uFEFF';

    /// <summary>
    /// Largest document accepted, in bytes (UTF-8) or characters. Configuration files are a few kilobytes;
    /// the limit stops an accidental multi-gigabyte file from being read into memory.
    /// </summary>
    public const int MaxDocumentLength = 16 * 1024 * 1024;

    /// <summary>
    /// How deep arrays and inline tables may nest. Real configs nest two or three levels; the limit keeps a
    /// hostile document from overflowing the stack of the recursive parser.
    /// </summary>
    public const int MaxNestingDepth = 100;

    /// <summary>Parses <paramref name="text"/>; one leading U+FEFF (a decoded byte order mark) is skipped.</summary>
    /// <param name="text">The TOML document.</param>
    /// <param name="sourceName">The file name or label that positions in nodes and errors carry; may be null.</param>
    public static TomlTable Parse(string text, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxDocumentLength)
        {
            throw new TomlParseException(new TomlPosition(sourceName, 1, 1), $"document is larger than {MaxDocumentLength} characters");
        }
        int startIndex = text.Length > 0 && text[0] == ByteOrderMark ? 1 : 0;
        return TomlDocumentParser.Parse(text, sourceName, startIndex);
    }

    /// <summary>
    /// Decodes <paramref name="utf8"/> strictly and parses it. One leading UTF-8 byte order mark is skipped; any
    /// other byte order mark (UTF-16, UTF-32, or a second UTF-8 one) and any invalid UTF-8 is an error with its position.
    /// </summary>
    public static TomlTable ParseUtf8(ReadOnlySpan<byte> utf8, string? sourceName = null)
    {
        if (utf8.Length > MaxDocumentLength)
        {
            throw new TomlParseException(new TomlPosition(sourceName, 1, 1), $"document is larger than {MaxDocumentLength} bytes");
        }
        if (utf8.StartsWith(Encoding.UTF8.Preamble))
        {
            utf8 = utf8[Encoding.UTF8.Preamble.Length..];
        }
        return TomlDocumentParser.Parse(DecodeStrict(utf8, sourceName), sourceName, 0);
    }

    /// <summary>Reads the file at <paramref name="path"/> as bytes and parses it; positions carry <paramref name="path"/>.</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static TomlTable ParseFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return ParseUtf8(File.ReadAllBytes(path), path);
    }

    private static string DecodeStrict(ReadOnlySpan<byte> utf8, string? sourceName)
    {
        char[] buffer = ArrayPool<char>.Shared.Rent(Math.Max(utf8.Length, 1));
        try
        {
            OperationStatus status = Utf8.ToUtf16(utf8, buffer, out int bytesRead, out int charsWritten, replaceInvalidSequences: false);
            if (status != OperationStatus.Done)
            {
                throw InvalidUtf8(buffer.AsSpan(0, charsWritten), utf8[bytesRead], sourceName);
            }
            return new string(buffer, 0, charsWritten);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    private static TomlParseException InvalidUtf8(ReadOnlySpan<char> decodedBefore, byte badByte, string? sourceName)
    {
        int line = 1 + decodedBefore.Count('\n');
        int lineStart = decodedBefore.LastIndexOf('\n') + 1;
        int column = 1;
        foreach (char c in decodedBefore[lineStart..])
        {
            column += char.IsLowSurrogate(c) ? 0 : 1;
        }
        string hint = badByte is 0xFE or 0xFF ? " (a UTF-16 or UTF-32 byte order mark?)" : string.Empty;
        return new TomlParseException(new TomlPosition(sourceName, line, column), $"invalid UTF-8 (byte 0x{badByte:X2}){hint}; TOML files must be valid UTF-8");
    }
}
