using Cairn.Protocol.Hpack;
namespace Cairn.Bench.Hpack;

/// <summary>
/// A complete HPACK decoder (RFC 7541): static and dynamic table, all literal representations, Huffman strings, table
/// size updates. One per connection, fed every header block in the order received (blocks of streams the client no
/// longer cares about too, or the dynamic table would drift from the server's).
/// </summary>
internal sealed class HpackDecoder
{
    private readonly HpackDynamicTable _table;
    private readonly int _maxTableBytes;
    private readonly int _maxHeaderListBytes;
    private byte[] _scratch = new byte[1024];

    /// <param name="maxTableBytes">The table size this side allows (advertised as SETTINGS_HEADER_TABLE_SIZE).</param>
    /// <param name="maxHeaderListBytes">The largest decoded header list accepted (names + values + 32 per field).</param>
    public HpackDecoder(int maxTableBytes, int maxHeaderListBytes)
    {
        _maxTableBytes = maxTableBytes;
        _maxHeaderListBytes = maxHeaderListBytes;
        _table = new HpackDynamicTable(maxTableBytes);
    }

    /// <summary>The dynamic table (for tests and diagnostics).</summary>
    public HpackDynamicTable Table => _table;

    /// <summary>Decodes one complete header block, passing each field to <paramref name="sink"/> (null: decode only).</summary>
    /// <exception cref="HpackException">The block is malformed; the connection cannot continue.</exception>
    public void Decode(ReadOnlySpan<byte> block, IHpackHeaderSink? sink)
    {
        int position = 0;
        int listBytes = 0;
        bool fieldSeen = false;
        while (position < block.Length)
        {
            byte first = block[position];
            if ((first & 0xE0) == 0x20)
            {
                // Dynamic table size update: only before the first field of a block (RFC 7541 §4.2).
                int size = HpackPrimitives.ReadInteger(block, ref position, 5);
                if (fieldSeen || size > _maxTableBytes)
                {
                    throw new HpackException($"hpack: invalid dynamic table size update to {size} (allowed {_maxTableBytes}, only at block start)");
                }

                _table.SetMaxBytes(size);
                continue;
            }

            fieldSeen = true;
            int fieldBytes = (first & 0x80) != 0 ? DecodeIndexed(block, ref position, sink) : DecodeLiteral(block, ref position, sink);
            listBytes += fieldBytes;
            if (listBytes > _maxHeaderListBytes)
            {
                throw new HpackException($"hpack: header list larger than {_maxHeaderListBytes} bytes");
            }
        }
    }

    private int DecodeIndexed(ReadOnlySpan<byte> block, ref int position, IHpackHeaderSink? sink)
    {
        int index = HpackPrimitives.ReadInteger(block, ref position, 7);
        if (index == 0)
        {
            throw new HpackException("hpack: indexed header field with index 0");
        }

        ReadOnlySpan<byte> name, value;
        if (index <= HpackStaticTable.Count)
        {
            name = HpackStaticTable.Name(index);
            value = HpackStaticTable.Value(index);
        }
        else
        {
            var entry = _table[index - HpackStaticTable.Count];
            name = entry.Name;
            value = entry.Value;
        }

        sink?.OnHeader(name, value);
        return name.Length + value.Length + HpackDynamicTable.EntryOverheadBytes;
    }

    // Literal with incremental indexing (01), without indexing (0000) or never indexed (0001).
    private int DecodeLiteral(ReadOnlySpan<byte> block, ref int position, IHpackHeaderSink? sink)
    {
        bool addToTable = (block[position] & 0x40) != 0;
        int nameIndex = HpackPrimitives.ReadInteger(block, ref position, addToTable ? 6 : 4);
        int scratchUsed = 0;
        ReadOnlySpan<byte> name = nameIndex == 0
            ? ReadString(block, ref position, ref scratchUsed)
            : NameAt(nameIndex);
        ReadOnlySpan<byte> value = ReadString(block, ref position, ref scratchUsed);
        sink?.OnHeader(name, value);
        int fieldBytes = name.Length + value.Length + HpackDynamicTable.EntryOverheadBytes;
        if (addToTable)
        {
            _table.Add(name.ToArray(), value.ToArray());
        }

        return fieldBytes;
    }

    private ReadOnlySpan<byte> NameAt(int index) =>
        index <= HpackStaticTable.Count ? HpackStaticTable.Name(index) : _table[index - HpackStaticTable.Count].Name;

    // Raw strings are returned as a slice of the block; Huffman strings are decoded into the scratch buffer after
    // whatever an earlier string of the same field left there.
    private ReadOnlySpan<byte> ReadString(ReadOnlySpan<byte> block, ref int position, ref int scratchUsed)
    {
        if (position >= block.Length)
        {
            throw new HpackException("hpack: header block ends before a string literal");
        }

        bool huffman = (block[position] & 0x80) != 0;
        int length = HpackPrimitives.ReadInteger(block, ref position, 7);
        if (length > block.Length - position)
        {
            throw new HpackException("hpack: string literal longer than the rest of the header block");
        }

        ReadOnlySpan<byte> encoded = block.Slice(position, length);
        position += length;
        if (!huffman)
        {
            return encoded;
        }

        int maxDecoded = (length * 8 / 5) + 1;
        EnsureScratch(scratchUsed + maxDecoded);
        int decoded;
        try
        {
            decoded = HpackHuffman.Decode(encoded, _scratch.AsSpan(scratchUsed));
        }
        catch (InvalidDataException error)
        {
            throw new HpackException(error.Message);
        }

        ReadOnlySpan<byte> result = _scratch.AsSpan(scratchUsed, decoded);
        scratchUsed += decoded;
        return result;
    }

    private void EnsureScratch(int bytes)
    {
        if (bytes > _scratch.Length)
        {
            // Only an earlier string of the same field lives in the scratch buffer, and it is copied along.
            Array.Resize(ref _scratch, Math.Max(bytes, _scratch.Length * 2));
        }
    }
}
