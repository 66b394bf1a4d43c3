namespace Cairn.Storage.Mvcc;

/// <summary>
/// Keeps value bytes off the managed heap: values are appended to memory-mapped value-log segments (or stay in a
/// loaded snapshot file), and records hold a 64-bit reference: the space ID in the top 16 bits, the byte offset in
/// the low 48. Reference 0 is the empty value.
/// </summary>
/// <remarks>
/// <para>Appends are staged in a small buffer and written with one positional write per applied request
/// (<see cref="Flush"/>), before the revision that refers to them is published, so readers only ever dereference
/// written bytes.</para>
/// <para>Spaces are retired (after value-space compaction moved their live values) and unmapped only when every
/// reader that might hold a reference has left (<see cref="ReadGate"/>).</para>
/// </remarks>
internal sealed partial class ValueStore : IDisposable
{
    private const int OffsetBits = 48;
    private const ulong OffsetMask = (1UL << OffsetBits) - 1;

    private readonly string _directory;
    private readonly string _instanceToken = Guid.NewGuid().ToString("N")[..8];
    private readonly long _segmentBytes;
    private readonly byte[] _pending;
    private readonly Stack<ushort> _freeIds = new();
    private ValueSpace?[] _spaces = new ValueSpace?[16];
    private ValueSpace? _active;
    private long _pendingStart;
    private int _pendingLength;
    private ushort _nextId = 1;
    private long _nextFileSequence;

    public ValueStore(string directory, long segmentBytes, int writeBufferBytes, ReadGate gate)
    {
        _directory = directory;
        _segmentBytes = segmentBytes;
        _pending = GC.AllocateUninitializedArray<byte>(writeBufferBytes);
        Gate = gate;
        Directory.CreateDirectory(directory);
        DeleteStaleSegments(directory);
    }

    /// <summary>The gate that protects mappings from being unmapped under a reader.</summary>
    public ReadGate Gate { get; }

    /// <summary>Bytes of value data referenced by live records.</summary>
    public long LiveBytes { get; private set; }

    /// <summary>Bytes held by all value spaces (files) currently mapped.</summary>
    public long AllocatedBytes
    {
        get
        {
            long total = 0;
            foreach (ValueSpace? space in Volatile.Read(ref _spaces))
            {
                total += space?.UsedBytes ?? 0;
            }

            return total;
        }
    }

    /// <summary>Appends a value; returns its reference (0 for an empty value). Apply thread only.</summary>
    public ulong Append(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty)
        {
            return 0;
        }

        ValueSpace space = SpaceWithRoom(value.Length);
        long offset = space.UsedBytes;
        if (value.Length > _pending.Length)
        {
            Flush();
            space.Write(offset, value);
            _pendingStart = offset + value.Length;
        }
        else
        {
            if (_pendingLength + value.Length > _pending.Length)
            {
                Flush();
            }

            value.CopyTo(_pending.AsSpan(_pendingLength));
            _pendingLength += value.Length;
        }

        space.UsedBytes = offset + value.Length;
        space.LiveBytes += value.Length;
        LiveBytes += value.Length;
        return MakeRef(space.Id, offset);
    }

    /// <summary>Writes staged values to the active segment. Call before publishing the revision that uses them.</summary>
    public void Flush()
    {
        if (_pendingLength == 0)
        {
            return;
        }

        _active!.Write(_pendingStart, _pending.AsSpan(0, _pendingLength));
        _pendingStart += _pendingLength;
        _pendingLength = 0;
    }

    /// <summary>Reads a value. Readers must hold a <see cref="ReadGate"/> ticket; the writer may also read staged bytes.</summary>
    public ReadOnlySpan<byte> Read(ulong valueRef, int length)
    {
        if (valueRef == 0)
        {
            return ReadOnlySpan<byte>.Empty;
        }

        ushort id = (ushort)(valueRef >> OffsetBits);
        long offset = (long)(valueRef & OffsetMask);
        ValueSpace? space = Volatile.Read(ref _spaces)[id];
        Invariant.Check(space is not null, "value reference to an unmapped value space");
        if (_pendingLength > 0 && ReferenceEquals(space, _active) && offset >= _pendingStart)
        {
            return _pending.AsSpan((int)(offset - _pendingStart), length);
        }

        return space.Read(offset, length);
    }

    /// <summary>Accounts that a record referring to this value was dropped (compaction). Apply thread only.</summary>
    public void Release(ulong valueRef, int length)
    {
        if (valueRef == 0)
        {
            return;
        }

        ValueSpace? space = _spaces[(ushort)(valueRef >> OffsetBits)];
        Invariant.Check(space is not null, "releasing a value of an unmapped value space");
        space.LiveBytes -= length;
        LiveBytes -= length;
    }

    /// <summary>Maps a snapshot file whose value bytes records will reference in place; returns its space ID.</summary>
    public ushort AttachReadOnlyFile(string path)
    {
        ushort id = AllocateId();
        var space = ValueSpace.OpenReadOnly(id, path);
        Register(space);
        return id;
    }

    /// <summary>Builds a reference into a space attached with <see cref="AttachReadOnlyFile"/> and counts it live.</summary>
    public ulong ReferenceInPlace(ushort spaceId, long offset, int length)
    {
        if (length == 0)
        {
            return 0;
        }

        ValueSpace space = _spaces[spaceId]!;
        space.LiveBytes += length;
        LiveBytes += length;
        return MakeRef(spaceId, offset);
    }

    /// <summary>The space a reference points into (0 for the empty value).</summary>
    public static ushort SpaceOf(ulong valueRef) => (ushort)(valueRef >> OffsetBits);

    private static ulong MakeRef(ushort spaceId, long offset) => ((ulong)spaceId << OffsetBits) | (ulong)offset;

    private ValueSpace SpaceWithRoom(int length)
    {
        if (_active is not null && _active.UsedBytes + length <= _active.CapacityBytes)
        {
            return _active;
        }

        Flush();
        long capacity = Math.Max(_segmentBytes, length);
        // A per-instance token keeps file names unique when a store replaces another in the same directory (snapshot
        // install) while the old one's files are still mapped.
        string path = Path.Combine(_directory, $"values-{_instanceToken}-{_nextFileSequence++:D8}.vlog");
        var space = ValueSpace.CreateSegment(AllocateId(), path, capacity);
        Register(space);
        _active = space;
        _pendingStart = 0;
        return space;
    }

    private ushort AllocateId()
    {
        if (_freeIds.Count > 0)
        {
            return _freeIds.Pop();
        }

        Invariant.Check(_nextId != 0, "more than 65535 value spaces are mapped");
        return _nextId++;
    }

    private void Register(ValueSpace space)
    {
        ValueSpace?[] spaces = _spaces;
        if (space.Id >= spaces.Length)
        {
            var grown = new ValueSpace?[Math.Min(ushort.MaxValue + 1, spaces.Length * 2)];
            Array.Copy(spaces, grown, spaces.Length);
            spaces = grown;
        }
        else
        {
            spaces = (ValueSpace?[])spaces.Clone();
        }

        spaces[space.Id] = space;
        Volatile.Write(ref _spaces, spaces);
    }

    private static void DeleteStaleSegments(string directory)
    {
        foreach (string stale in Directory.EnumerateFiles(directory, "values-*.vlog"))
        {
            File.Delete(stale);
        }
    }

    /// <summary>Unmaps everything and deletes the segment files.</summary>
    public void Dispose()
    {
        foreach (ValueSpace? space in _spaces)
        {
            space?.Dispose();
        }

        _spaces = new ValueSpace?[1];
        _active = null;
    }
}
