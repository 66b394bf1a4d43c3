using Cairn.Protocol.Hpack;

namespace Cairn.Server.Transport;

/// <summary>
/// Makes etcd clients' <c>:authority</c> acceptable to Kestrel. etcd's clientv3 (3.4) dials per-endpoint calls
/// (<c>endpoint status</c>, <c>hashkv</c>, <c>defrag</c>, <c>--cluster</c>) with the whole endpoint URL as the
/// authority, e.g. <c>http://10.0.0.1:2379</c>; grpc-go servers ignore it, Kestrel resets such a stream with
/// PROTOCOL_ERROR. Cairn never routes by authority, so the URL's <c>://</c> is overwritten, in place, by <c>x--</c>:
/// <c>httpx--10.0.0.1:2379</c> is a valid host and port. The replacement has the same length in bytes and in Huffman
/// bits (7 + 6 + 6), so neither the frame nor the HPACK dynamic table sizes change and both ends stay in step.
/// </summary>
public static class Http2AuthorityRepair
{
    /// <summary>Longest Huffman-coded authority value looked at; longer ones are left alone.</summary>
    public const int MaxAuthorityBytes = 512;

    private const int StaticAuthorityIndex = 1;

    /// <summary>Repairs every literal <c>:authority</c> in an HPACK header block; returns how many were changed.</summary>
    /// <remarks>Stops quietly at anything it cannot parse (a representation cut by a CONTINUATION frame): Kestrel's
    /// own decoder judges the block.</remarks>
    public static int RepairHeaderBlock(Span<byte> block)
    {
        int position = 0;
        int repaired = 0;
        while (position < block.Length)
        {
            byte first = block[position];
            if ((first & 0x80) != 0)
            {
                if (!TryReadInteger(block, ref position, 7, out _))
                {
                    break;
                }

                continue;
            }

            if ((first & 0xE0) == 0x20)
            {
                if (!TryReadInteger(block, ref position, 5, out _))
                {
                    break;
                }

                continue;
            }

            int prefixBits = (first & 0x40) != 0 ? 6 : 4;
            if (!TryReadInteger(block, ref position, prefixBits, out long nameIndex))
            {
                break;
            }

            bool isAuthority = nameIndex == StaticAuthorityIndex;
            if (nameIndex == 0)
            {
                if (!TryReadString(block, ref position, out int nameStart, out int nameLength, out bool nameHuffman))
                {
                    break;
                }

                isAuthority = !nameHuffman && block.Slice(nameStart, nameLength).SequenceEqual(":authority"u8);
            }

            if (!TryReadString(block, ref position, out int valueStart, out int valueLength, out bool valueHuffman))
            {
                break;
            }

            if (isAuthority && RepairValue(block.Slice(valueStart, valueLength), valueHuffman))
            {
                repaired++;
            }
        }

        return repaired;
    }

    private static bool RepairValue(Span<byte> value, bool huffman)
    {
        if (!huffman)
        {
            return ReplaceSchemeSeparator(value);
        }

        if (value.Length > MaxAuthorityBytes)
        {
            return false;
        }

        Span<byte> decoded = stackalloc byte[(MaxAuthorityBytes * 8 / 5) + 1];
        int decodedLength;
        try
        {
            decodedLength = HpackHuffman.Decode(value, decoded);
        }
        catch (InvalidDataException)
        {
            return false;
        }

        if (!ReplaceSchemeSeparator(decoded[..decodedLength]) || HpackHuffman.EncodedLength(decoded[..decodedLength]) != value.Length)
        {
            return false;
        }

        HpackHuffman.Encode(decoded[..decodedLength], value);
        return true;
    }

    private static bool ReplaceSchemeSeparator(Span<byte> authority)
    {
        int separator = authority.IndexOf("://"u8);
        if (separator < 0)
        {
            return false;
        }

        "x--"u8.CopyTo(authority[separator..]);
        return true;
    }

    // RFC 7541 §5.1: an integer in the low prefixBits of the first byte, continued in 7-bit groups.
    private static bool TryReadInteger(ReadOnlySpan<byte> block, ref int position, int prefixBits, out long value)
    {
        int mask = (1 << prefixBits) - 1;
        value = block[position++] & mask;
        if (value < mask)
        {
            return true;
        }

        for (int shift = 0; shift <= 28; shift += 7)
        {
            if (position >= block.Length)
            {
                return false;
            }

            byte next = block[position++];
            value += (long)(next & 0x7F) << shift;
            if ((next & 0x80) == 0)
            {
                return true;
            }
        }

        return false;
    }

    // RFC 7541 §5.2: a Huffman flag and a 7-bit-prefix length, then the octets.
    private static bool TryReadString(ReadOnlySpan<byte> block, ref int position, out int start, out int length, out bool huffman)
    {
        start = length = 0;
        huffman = false;
        if (position >= block.Length)
        {
            return false;
        }

        huffman = (block[position] & 0x80) != 0;
        if (!TryReadInteger(block, ref position, 7, out long declared) || declared > block.Length - position)
        {
            return false;
        }

        start = position;
        length = (int)declared;
        position += length;
        return true;
    }
}
