namespace Cairn.Bench.Hpack;

/// <summary>
/// The HPACK dynamic table (RFC 7541 §2.3.2, §4): newest entry first, each entry costs its name and value length plus
/// 32 bytes, and the oldest entries are evicted to stay within the maximum size. The decoder keeps the peer's table;
/// the encoder keeps its model of the table the peer will build from what it sends.
/// </summary>
internal sealed class HpackDynamicTable
{
    /// <summary>The per-entry overhead of RFC 7541 §4.1.</summary>
    public const int EntryOverheadBytes = 32;

    private (byte[] Name, byte[] Value)[] _ring = new (byte[], byte[])[16];
    private int _newest = -1; // ring position of the newest entry
    private int _count;

    public HpackDynamicTable(int maxBytes) => MaxBytes = maxBytes;

    /// <summary>Entries in the table.</summary>
    public int Count => _count;

    /// <summary>The sum of the entry sizes.</summary>
    public int SizeBytes { get; private set; }

    /// <summary>The current size limit.</summary>
    public int MaxBytes { get; private set; }

    /// <summary>Changes the size limit, evicting as needed.</summary>
    public void SetMaxBytes(int maxBytes)
    {
        MaxBytes = maxBytes;
        EvictToFit(0);
    }

    /// <summary>Entry <paramref name="index"/>, 1-based from the newest (HPACK index minus 61).</summary>
    public (byte[] Name, byte[] Value) this[int index]
    {
        get
        {
            if (index < 1 || index > _count)
            {
                throw new HpackException($"hpack: dynamic table index {index} out of range (table has {_count} entries)");
            }

            return _ring[(_newest - (index - 1) + _ring.Length) % _ring.Length];
        }
    }

    /// <summary>Adds an entry (copying nothing: the arrays become the table's), evicting old ones; an entry larger than the table empties it.</summary>
    public void Add(byte[] name, byte[] value)
    {
        int entryBytes = name.Length + value.Length + EntryOverheadBytes;
        if (entryBytes > MaxBytes)
        {
            // RFC 7541 §4.4: not an error; the table ends up empty.
            EvictToFit(MaxBytes);
            return;
        }

        EvictToFit(entryBytes);
        if (_count == _ring.Length)
        {
            Grow();
        }

        _newest = (_newest + 1) % _ring.Length;
        _ring[_newest] = (name, value);
        _count++;
        SizeBytes += entryBytes;
    }

    /// <summary>The 1-based index of the newest entry with this name and value, or 0.</summary>
    public int FindExact(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        for (int i = 1; i <= _count; i++)
        {
            var (entryName, entryValue) = this[i];
            if (name.SequenceEqual(entryName) && value.SequenceEqual(entryValue))
            {
                return i;
            }
        }

        return 0;
    }

    /// <summary>The 1-based index of the newest entry with this name, or 0.</summary>
    public int FindName(ReadOnlySpan<byte> name)
    {
        for (int i = 1; i <= _count; i++)
        {
            if (name.SequenceEqual(this[i].Name))
            {
                return i;
            }
        }

        return 0;
    }

    private void EvictToFit(int incomingBytes)
    {
        while (_count > 0 && SizeBytes + incomingBytes > MaxBytes)
        {
            int oldest = (_newest - (_count - 1) + _ring.Length) % _ring.Length;
            var (name, value) = _ring[oldest];
            SizeBytes -= name.Length + value.Length + EntryOverheadBytes;
            _ring[oldest] = default;
            _count--;
        }
    }

    private void Grow()
    {
        var larger = new (byte[], byte[])[_ring.Length * 2];
        for (int i = 0; i < _count; i++)
        {
            // Oldest first, so the newest lands at position _count - 1.
            larger[i] = this[_count - i];
        }

        _ring = larger;
        _newest = _count - 1;
    }
}
