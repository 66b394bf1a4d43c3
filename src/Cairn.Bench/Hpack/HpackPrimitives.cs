using Cairn.Protocol.Hpack;
namespace Cairn.Bench.Hpack;

/// <summary>HPACK's prefixed integers (RFC 7541 §5.1) and string literals (§5.2).</summary>
internal static class HpackPrimitives
{
    // A header block never needs integers this large; anything above is an attack or corruption.
    private const int MaxIntegerValue = 1 << 28;

    /// <summary>
    /// Reads an integer whose first byte carries <paramref name="prefixBits"/> bits of it (the higher bits of that
    /// byte are the representation's flags), advancing <paramref name="position"/>.
    /// </summary>
    public static int ReadInteger(ReadOnlySpan<byte> block, ref int position, int prefixBits)
    {
        int prefixMax = (1 << prefixBits) - 1;
        int value = block[position++] & prefixMax;
        if (value < prefixMax)
        {
            return value;
        }

        for (int shift = 0; ; shift += 7)
        {
            if (position >= block.Length)
            {
                throw new HpackException("hpack: header block ends inside an integer");
            }

            byte b = block[position++];
            value += (b & 0x7f) << shift;
            if (value > MaxIntegerValue || shift > 21)
            {
                throw new HpackException("hpack: integer too large");
            }

            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
    }

    /// <summary>Writes <paramref name="value"/> with a <paramref name="prefixBits"/>-bit prefix, OR-ing <paramref name="flags"/> into the first byte.</summary>
    public static int WriteInteger(Span<byte> destination, int value, int prefixBits, byte flags)
    {
        int prefixMax = (1 << prefixBits) - 1;
        if (value < prefixMax)
        {
            destination[0] = (byte)(flags | value);
            return 1;
        }

        destination[0] = (byte)(flags | prefixMax);
        value -= prefixMax;
        int written = 1;
        while (value >= 0x80)
        {
            destination[written++] = (byte)((value & 0x7f) | 0x80);
            value >>= 7;
        }

        destination[written++] = (byte)value;
        return written;
    }

    /// <summary>The most bytes <see cref="WriteString"/> can produce for <paramref name="length"/> input bytes.</summary>
    public static int MaxStringBytes(int length) => length + 6;

    /// <summary>Writes a string literal, Huffman-coded when that is shorter (as grpc-go and nghttp2 do).</summary>
    public static int WriteString(Span<byte> destination, ReadOnlySpan<byte> value)
    {
        int huffmanBytes = HpackHuffman.EncodedLength(value);
        if (huffmanBytes < value.Length)
        {
            int headerBytes = WriteInteger(destination, huffmanBytes, 7, 0x80);
            return headerBytes + HpackHuffman.Encode(value, destination[headerBytes..]);
        }

        int rawHeaderBytes = WriteInteger(destination, value.Length, 7, 0x00);
        value.CopyTo(destination[rawHeaderBytes..]);
        return rawHeaderBytes + value.Length;
    }
}
