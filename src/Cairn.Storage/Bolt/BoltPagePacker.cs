using System.Buffers.Binary;

namespace Cairn.Storage.Bolt;

/// <summary>
/// Packs the sorted elements of one tree level (leaf or branch) into pages as they arrive: a page is written as soon
/// as the next element would not fit, so memory holds one page plus the first key of every page written. An element
/// larger than a page gets a page of its own that spans several (bbolt's overflow).
/// </summary>
internal sealed class BoltPagePacker
{
    private readonly BoltPageSink _sink;
    private readonly bool _branch;
    private readonly List<Element> _elements = [];
    private readonly List<BoltChild> _written = [];
    private byte[] _data = new byte[BoltFormat.PageSize];
    private int _dataLength;
    private byte[] _page = new byte[BoltFormat.PageSize];

    public BoltPagePacker(BoltPageSink sink, bool branch)
    {
        _sink = sink;
        _branch = branch;
    }

    /// <summary>Adds a leaf element (a key-value pair, or a bucket when <paramref name="flags"/> says so).</summary>
    public void AddLeaf(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, uint flags = 0)
    {
        Invariant.Check(!_branch, "leaf element on a branch level");
        MakeRoomFor(key.Length + value.Length);
        _elements.Add(new Element(flags, key.Length, value.Length, 0));
        Append(key);
        Append(value);
    }

    /// <summary>Adds a branch element pointing at <paramref name="child"/>, whose first key is <paramref name="key"/>.</summary>
    public void AddBranch(ReadOnlySpan<byte> key, ulong child)
    {
        Invariant.Check(_branch, "branch element on a leaf level");
        MakeRoomFor(key.Length);
        _elements.Add(new Element(0, key.Length, 0, child));
        Append(key);
    }

    /// <summary>Writes the last page (an empty leaf if nothing was added) and returns every page of the level.</summary>
    public IReadOnlyList<BoltChild> Finish()
    {
        if (_elements.Count > 0 || _written.Count == 0)
        {
            WritePage();
        }

        return _written;
    }

    private void MakeRoomFor(int dataBytes)
    {
        // A branch page keeps at least two children so that every level is smaller than the one below it.
        int minimum = _branch ? 2 : 1;
        if (_elements.Count >= minimum && PageBytes(_elements.Count + 1, _dataLength + dataBytes) > BoltFormat.PageSize)
        {
            WritePage();
        }
    }

    /// <summary>Bytes the level's current page uses (header, elements, data).</summary>
    public int PendingPageBytes => PageBytes(_elements.Count, _dataLength);

    /// <summary>True once a page of the level has gone to the file.</summary>
    public bool HasWrittenPages => _written.Count > 0;

    private static int PageBytes(int elements, int dataBytes) =>
        BoltFormat.PageHeaderBytes + elements * BoltFormat.LeafElementBytes + dataBytes;

    private void Append(ReadOnlySpan<byte> bytes)
    {
        if (_dataLength + bytes.Length > _data.Length)
        {
            Array.Resize(ref _data, Math.Max(_data.Length * 2, _dataLength + bytes.Length));
        }

        bytes.CopyTo(_data.AsSpan(_dataLength));
        _dataLength += bytes.Length;
    }

    /// <summary>
    /// The level's only page as the bytes that follow the bucket header of an inline bucket (bbolt keeps a small
    /// bucket inside its parent's leaf): page header with id 0, elements, data, no padding.
    /// </summary>
    public byte[] RenderInline()
    {
        Invariant.Check(!_branch && _written.Count == 0, "only an unwritten leaf level can be inlined");
        byte[] page = new byte[PageBytes(_elements.Count, _dataLength)];
        Render(page, pageId: 0, overflow: 0);
        return page;
    }

    private void WritePage()
    {
        int used = PageBytes(_elements.Count, _dataLength);
        int pages = (used + BoltFormat.PageSize - 1) / BoltFormat.PageSize;
        int length = pages * BoltFormat.PageSize;
        if (_page.Length < length)
        {
            _page = new byte[length];
        }

        Span<byte> page = _page.AsSpan(0, length);
        page.Clear();
        Render(page, _sink.NextPageId, pages - 1);
        byte[] firstKey = _elements.Count == 0 ? [] : _data.AsSpan(0, _elements[0].KeyLength).ToArray();
        _written.Add(new BoltChild(firstKey, _sink.Append(page)));
        _elements.Clear();
        _dataLength = 0;
    }

    private void Render(Span<byte> page, ulong pageId, int overflow)
    {
        int count = _elements.Count;
        BinaryPrimitives.WriteUInt64LittleEndian(page, pageId);
        BinaryPrimitives.WriteUInt16LittleEndian(page[8..], _branch ? BoltFormat.BranchPageFlag : BoltFormat.LeafPageFlag);
        BinaryPrimitives.WriteUInt16LittleEndian(page[10..], checked((ushort)count));
        BinaryPrimitives.WriteUInt32LittleEndian(page[12..], (uint)overflow);
        int dataStart = PageBytes(count, 0);
        int dataOffset = 0;
        for (int i = 0; i < count; i++)
        {
            Element element = _elements[i];
            int elementStart = BoltFormat.PageHeaderBytes + i * BoltFormat.LeafElementBytes;
            Span<byte> header = page[elementStart..];
            uint position = (uint)(dataStart + dataOffset - elementStart);
            if (_branch)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(header, position);
                BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)element.KeyLength);
                BinaryPrimitives.WriteUInt64LittleEndian(header[8..], element.Child);
            }
            else
            {
                BinaryPrimitives.WriteUInt32LittleEndian(header, element.Flags);
                BinaryPrimitives.WriteUInt32LittleEndian(header[4..], position);
                BinaryPrimitives.WriteUInt32LittleEndian(header[8..], (uint)element.KeyLength);
                BinaryPrimitives.WriteUInt32LittleEndian(header[12..], (uint)element.ValueLength);
            }

            dataOffset += element.KeyLength + element.ValueLength;
        }

        _data.AsSpan(0, _dataLength).CopyTo(page[dataStart..]);
    }

    private readonly record struct Element(uint Flags, int KeyLength, int ValueLength, ulong Child);
}

/// <summary>A written page of a tree level: its first key (what the parent branch stores) and its id.</summary>
internal readonly record struct BoltChild(byte[] FirstKey, ulong PageId);
