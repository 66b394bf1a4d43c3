namespace Cairn.Protocol.Hpack;

/// <summary>
/// The Huffman code of HPACK string literals (RFC 7541 Appendix B). The code is canonical: codes of equal length are
/// consecutive and ordered by symbol, and each length starts where the shorter ones ended (shifted left). So only the
/// code length of each symbol is written down here; the codes follow from them (the first 5-bit code is '0' = 00000,
/// the last 30-bit code is EOS = 0x3fffffff, which the tests check).
/// </summary>
public static class HpackHuffman
{
    /// <summary>The end-of-string symbol: never valid inside a string; its prefix pads the last byte.</summary>
    public const int EndOfString = 256;

    /// <summary>The longest code (EOS and three control bytes).</summary>
    public const int MaxCodeBits = 30;

    private const int SymbolCount = 257;
    private const int MinCodeBits = 5;

    private static readonly byte[] CodeLengths;
    private static readonly uint[] Codes;
    // Canonical decoding: the codes of length L are FirstCode[L] .. FirstCode[L] + CountOfLength[L] - 1, and the
    // symbol of code FirstCode[L] + k is SymbolsByCode[FirstSymbolIndex[L] + k].
    private static readonly uint[] FirstCode = new uint[MaxCodeBits + 1];
    private static readonly int[] CountOfLength = new int[MaxCodeBits + 1];
    private static readonly int[] FirstSymbolIndex = new int[MaxCodeBits + 1];
    private static readonly short[] SymbolsByCode = new short[SymbolCount];

    static HpackHuffman()
    {
        CodeLengths = BuildCodeLengths();
        Codes = new uint[SymbolCount];
        int index = 0;
        uint code = 0;
        for (int length = MinCodeBits; length <= MaxCodeBits; length++)
        {
            FirstCode[length] = code;
            FirstSymbolIndex[length] = index;
            for (int symbol = 0; symbol < SymbolCount; symbol++)
            {
                if (CodeLengths[symbol] == length)
                {
                    Codes[symbol] = code++;
                    SymbolsByCode[index++] = (short)symbol;
                    CountOfLength[length]++;
                }
            }

            code <<= 1;
        }

        Cairn.Protocol.Invariant.Check(index == SymbolCount, "every HPACK Huffman symbol has a code length");
        Cairn.Protocol.Invariant.Check(Codes[EndOfString] == 0x3fffffff, "the HPACK Huffman code is complete (EOS is all ones)");
    }

    /// <summary>The code of <paramref name="symbol"/>, right-aligned, and its length in bits.</summary>
    public static (uint Code, int Bits) CodeOf(int symbol) => (Codes[symbol], CodeLengths[symbol]);

    /// <summary>How many bytes <paramref name="source"/> takes once Huffman-encoded (padding included).</summary>
    public static int EncodedLength(ReadOnlySpan<byte> source)
    {
        long bits = 0;
        foreach (byte b in source)
        {
            bits += CodeLengths[b];
        }

        return (int)((bits + 7) / 8);
    }

    /// <summary>Encodes <paramref name="source"/> into <paramref name="destination"/>, padding with ones; returns the bytes written.</summary>
    public static int Encode(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        ulong pending = 0;
        int pendingBits = 0;
        int written = 0;
        foreach (byte b in source)
        {
            pending = (pending << CodeLengths[b]) | Codes[b];
            pendingBits += CodeLengths[b];
            while (pendingBits >= 8)
            {
                pendingBits -= 8;
                destination[written++] = (byte)(pending >> pendingBits);
            }
        }

        if (pendingBits > 0)
        {
            int padBits = 8 - pendingBits;
            destination[written++] = (byte)((pending << padBits) | ((1u << padBits) - 1));
        }

        return written;
    }

    /// <summary>
    /// Decodes <paramref name="source"/> into <paramref name="destination"/> (at least <c>source.Length * 8 / 5</c> bytes)
    /// and returns the bytes written.
    /// </summary>
    /// <exception cref="InvalidDataException">EOS inside the string, padding longer than 7 bits, or padding that is not all ones.</exception>
    public static int Decode(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        ulong bits = 0; // left-aligned: the next bit to decode is bit 63
        int bitCount = 0;
        int next = 0;
        int written = 0;
        while (true)
        {
            while (bitCount <= 56 && next < source.Length)
            {
                bits |= (ulong)source[next++] << (56 - bitCount);
                bitCount += 8;
            }

            if (bitCount == 0)
            {
                return written;
            }

            int symbol = DecodeSymbol(bits, bitCount, out int length);
            if (symbol < 0)
            {
                CheckPadding(bits, bitCount);
                return written;
            }

            if (symbol == EndOfString)
            {
                throw new InvalidDataException("hpack: the Huffman-coded string contains EOS");
            }

            destination[written++] = (byte)symbol;
            bits <<= length;
            bitCount -= length;
        }
    }

    // Returns -1 when the remaining bits hold no complete code (only possible at the end of the input).
    private static int DecodeSymbol(ulong bits, int bitCount, out int length)
    {
        int longest = Math.Min(bitCount, MaxCodeBits);
        for (length = MinCodeBits; length <= longest; length++)
        {
            uint offset = (uint)(bits >> (64 - length)) - FirstCode[length];
            if (offset < (uint)CountOfLength[length])
            {
                return SymbolsByCode[FirstSymbolIndex[length] + (int)offset];
            }
        }

        return -1;
    }

    private static void CheckPadding(ulong bits, int bitCount)
    {
        if (bitCount > 7)
        {
            throw new InvalidDataException("hpack: Huffman padding longer than 7 bits");
        }

        ulong padding = bits >> (64 - bitCount);
        if (padding != (1UL << bitCount) - 1)
        {
            throw new InvalidDataException("hpack: Huffman padding is not a prefix of EOS");
        }
    }

    // RFC 7541 Appendix B, grouped by code length. A symbol is a byte value; 256 is EOS.
    private static byte[] BuildCodeLengths()
    {
        var lengths = new byte[SymbolCount];
        Assign(lengths, 5, "012aceiost");
        Assign(lengths, 6, " %-./3456789=A_bdfghlmnpru");
        Assign(lengths, 7, ":BCDEFGHIJKLMNOPQRSTUVWYjkqvwxyz");
        Assign(lengths, 8, "&*,;XZ");
        Assign(lengths, 10, "!\"()?");
        Assign(lengths, 11, "'+|");
        Assign(lengths, 12, "#>");
        Assign(lengths, 13, "\0$@[]~");
        Assign(lengths, 14, "^}");
        Assign(lengths, 15, "<`{");
        Assign(lengths, 19, [92, 195, 208]);
        Assign(lengths, 20, [128, 130, 131, 162, 184, 194, 224, 226]);
        Assign(lengths, 21, [153, 161, 167, 172, 176, 177, 179, 209, 216, 217, 227, 229, 230]);
        Assign(lengths, 22, [129, 132, 133, 134, 136, 146, 154, 156, 160, 163, 164, 169, 170, 173, 178, 181, 185, 186, 187, 189, 190, 196, 198, 228, 232, 233]);
        Assign(lengths, 23, [1, 135, 137, 138, 139, 140, 141, 143, 147, 149, 150, 151, 152, 155, 157, 158, 165, 166, 168, 174, 175, 180, 182, 183, 188, 191, 197, 231, 239]);
        Assign(lengths, 24, [9, 142, 144, 145, 148, 159, 171, 206, 215, 225, 236, 237]);
        Assign(lengths, 25, [199, 207, 234, 235]);
        Assign(lengths, 26, [192, 193, 200, 201, 202, 205, 210, 213, 218, 219, 238, 240, 242, 243, 255]);
        Assign(lengths, 27, [203, 204, 211, 212, 214, 221, 222, 223, 241, 244, 245, 246, 247, 248, 250, 251, 252, 253, 254]);
        Assign(lengths, 28, [2, 3, 4, 5, 6, 7, 8, 11, 12, 14, 15, 16, 17, 18, 19, 20, 21, 23, 24, 25, 26, 27, 28, 29, 30, 31, 127, 220, 249]);
        Assign(lengths, 30, [10, 13, 22, EndOfString]);
        return lengths;
    }

    private static void Assign(byte[] lengths, int bits, string symbols)
    {
        foreach (char symbol in symbols)
        {
            Assign(lengths, bits, [symbol]);
        }
    }

    private static void Assign(byte[] lengths, int bits, ReadOnlySpan<int> symbols)
    {
        foreach (int symbol in symbols)
        {
            Cairn.Protocol.Invariant.Check(lengths[symbol] == 0, "each HPACK Huffman symbol has one code length");
            lengths[symbol] = (byte)bits;
        }
    }
}
