namespace Cairn.Server.Transport;

/// <summary>The HTTP/2 client connection preface (RFC 9113 §3.4), which every h2c prior-knowledge client sends first.</summary>
public static class Http2Preface
{
    /// <summary>Length of the preface in bytes.</summary>
    public const int Length = 24;

    /// <summary><c>PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n</c>.</summary>
    public static ReadOnlySpan<byte> Bytes => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8;

    /// <summary>
    /// Classifies the first bytes of a connection: <see cref="SniffedProtocol.Http2"/> once all 24 preface bytes
    /// match, <see cref="SniffedProtocol.Http1"/> as soon as one byte differs, null while a matching prefix is incomplete.
    /// </summary>
    public static SniffedProtocol? Classify(ReadOnlySpan<byte> firstBytes)
    {
        int compared = Math.Min(firstBytes.Length, Length);
        if (!firstBytes[..compared].SequenceEqual(Bytes[..compared]))
        {
            return SniffedProtocol.Http1;
        }

        return compared == Length ? SniffedProtocol.Http2 : null;
    }
}
