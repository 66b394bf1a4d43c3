namespace Cairn.Bench.Hpack;

/// <summary>
/// An HPACK encoder that indexes what it sends, as grpc-go's client does: the first request of a method sends its
/// fields as literals and adds them to the dynamic table, later requests send one-byte indices. The encoded block of
/// each <see cref="HpackHeaderList"/> is cached until the table changes, so a steady load copies a few bytes per
/// request. Not thread-safe: the connection calls it under its write lock, in the order the blocks go on the wire.
/// </summary>
internal sealed class HpackEncoder
{
    private readonly int _preferredTableBytes;
    private readonly HpackDynamicTable _table;
    private int _pendingSizeUpdate = -1;
    private long _generation;
    private (long Generation, byte[]? Block)[] _cache = new (long, byte[]?)[8];

    /// <param name="preferredTableBytes">The table size this encoder uses at most (the peer may allow less).</param>
    public HpackEncoder(int preferredTableBytes = 4096)
    {
        _preferredTableBytes = preferredTableBytes;
        // The peer's decoder starts at 4096 (RFC 7541 §4.2); announce a smaller size before first use.
        _table = new HpackDynamicTable(Math.Min(preferredTableBytes, 4096));
        if (preferredTableBytes < 4096)
        {
            _pendingSizeUpdate = preferredTableBytes;
        }
    }

    /// <summary>The model of the peer's dynamic table (for tests).</summary>
    public HpackDynamicTable Table => _table;

    /// <summary>Applies the peer's SETTINGS_HEADER_TABLE_SIZE: the table shrinks (and says so) if the peer allows less.</summary>
    public void SetPeerMaxTableBytes(int peerBytes)
    {
        int size = Math.Min(peerBytes, _preferredTableBytes);
        if (size != _table.MaxBytes)
        {
            _table.SetMaxBytes(size);
            _pendingSizeUpdate = size;
            _generation++;
        }
    }

    /// <summary>Encodes <paramref name="list"/> into <paramref name="destination"/> (at least <see cref="HpackHeaderList.MaxEncodedBytes"/>).</summary>
    public int Encode(HpackHeaderList list, Span<byte> destination)
    {
        if (_pendingSizeUpdate < 0 && list.Id < _cache.Length && _cache[list.Id] is { Block: { } cached } entry && entry.Generation == _generation)
        {
            cached.CopyTo(destination);
            return cached.Length;
        }

        int written = 0;
        bool sizeUpdateWritten = false;
        if (_pendingSizeUpdate >= 0)
        {
            written += HpackPrimitives.WriteInteger(destination, _pendingSizeUpdate, 5, 0x20);
            _pendingSizeUpdate = -1;
            sizeUpdateWritten = true;
        }

        long generationBefore = _generation;
        foreach (var (name, value) in list.Fields)
        {
            written += EncodeField(name, value, destination[written..]);
        }

        // Only a block made of references alone can be replayed: literals would add the fields to the table again.
        if (!sizeUpdateWritten && _generation == generationBefore)
        {
            Remember(list.Id, destination[..written].ToArray());
        }

        return written;
    }

    private int EncodeField(byte[] name, byte[] value, Span<byte> destination)
    {
        int dynamicIndex = _table.FindExact(name, value);
        if (dynamicIndex > 0)
        {
            return HpackPrimitives.WriteInteger(destination, HpackStaticTable.Count + dynamicIndex, 7, 0x80);
        }

        int staticIndex = HpackStaticTable.FindExact(name, value);
        if (staticIndex > 0)
        {
            return HpackPrimitives.WriteInteger(destination, staticIndex, 7, 0x80);
        }

        int nameIndex = HpackStaticTable.FindName(name);
        if (nameIndex == 0 && _table.FindName(name) is > 0 and int dynamicName)
        {
            nameIndex = HpackStaticTable.Count + dynamicName;
        }

        bool index = name.Length + value.Length + HpackDynamicTable.EntryOverheadBytes <= _table.MaxBytes;
        int written = HpackPrimitives.WriteInteger(destination, nameIndex, index ? 6 : 4, index ? (byte)0x40 : (byte)0x00);
        if (nameIndex == 0)
        {
            written += HpackPrimitives.WriteString(destination[written..], name);
        }

        written += HpackPrimitives.WriteString(destination[written..], value);
        if (index)
        {
            _table.Add(name, value);
            _generation++;
        }

        return written;
    }

    private void Remember(int listId, byte[] block)
    {
        if (listId >= _cache.Length)
        {
            Array.Resize(ref _cache, Math.Max(listId + 1, _cache.Length * 2));
        }

        _cache[listId] = (_generation, block);
    }
}
