using System.Buffers;
using System.Text;

namespace Cairn.Protocol.Grpc;

/// <summary>
/// The percent-encoding of the <c>grpc-message</c> header (gRPC over HTTP/2 spec): the message is UTF-8, and every byte
/// outside printable ASCII (0x20-0x7E), plus '%' itself, travels as <c>%XX</c> with upper-case hex digits.
/// </summary>
public static class GrpcStatusMessage
{
    // Status messages are short; beyond this they are encoded through a pooled buffer instead of the stack.
    private const int StackBufferBytes = 256;

    /// <summary>Encodes a status message for the <c>grpc-message</c> header. Returns the input itself when nothing needs escaping.</summary>
    public static string Encode(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!NeedsEncoding(message))
        {
            return message;
        }

        int maxUtf8Bytes = Encoding.UTF8.GetMaxByteCount(message.Length);
        byte[]? rented = null;
        Span<byte> utf8 = maxUtf8Bytes <= StackBufferBytes
            ? stackalloc byte[StackBufferBytes]
            : (rented = ArrayPool<byte>.Shared.Rent(maxUtf8Bytes));
        try
        {
            int length = Encoding.UTF8.GetBytes(message, utf8);
            return EncodeUtf8(utf8[..length]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// Decodes a <c>grpc-message</c> header value. Malformed escapes (a '%' not followed by two hex digits) are kept
    /// as they are, as the spec asks of receivers; invalid UTF-8 becomes U+FFFD.
    /// </summary>
    public static string Decode(string encoded)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        if (encoded.IndexOf('%') < 0)
        {
            return encoded;
        }

        byte[] bytes = ArrayPool<byte>.Shared.Rent(encoded.Length);
        try
        {
            int length = 0;
            for (int i = 0; i < encoded.Length; i++)
            {
                char c = encoded[i];
                if (c == '%' && i + 2 < encoded.Length && TryHex(encoded[i + 1], out int high) && TryHex(encoded[i + 2], out int low))
                {
                    bytes[length++] = (byte)((high << 4) | low);
                    i += 2;
                }
                else
                {
                    // Header values are ASCII; anything wider was not produced by a conforming sender, keep its low byte.
                    bytes[length++] = (byte)c;
                }
            }

            return Encoding.UTF8.GetString(bytes, 0, length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    private static bool NeedsEncoding(string message)
    {
        foreach (char c in message)
        {
            if (!IsUnreserved(c))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsUnreserved(int c) => c >= 0x20 && c <= 0x7E && c != '%';

    private static string EncodeUtf8(ReadOnlySpan<byte> utf8)
    {
        var builder = new StringBuilder(utf8.Length * 3);
        foreach (byte b in utf8)
        {
            if (IsUnreserved(b))
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(HexDigit(b >> 4)).Append(HexDigit(b & 0xF));
            }
        }

        return builder.ToString();
    }

    private static char HexDigit(int value) => (char)(value < 10 ? '0' + value : 'A' + value - 10);

    private static bool TryHex(char c, out int value)
    {
        value = c switch
        {
            >= '0' and <= '9' => c - '0',
            >= 'A' and <= 'F' => c - 'A' + 10,
            >= 'a' and <= 'f' => c - 'a' + 10,
            _ => -1,
        };
        return value >= 0;
    }
}
