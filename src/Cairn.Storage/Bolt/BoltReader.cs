using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace Cairn.Storage.Bolt;

/// <summary>
/// Reads a bbolt file (one Cairn or etcd wrote) without bbolt: validates a meta page, walks the top-level buckets in
/// order, and checks, as bbolt's consistency check does, that every page below the high-water mark is reached once
/// or listed as free. Reads pages on demand, so a large file is never held in memory.
/// </summary>
public sealed class BoltReader : IDisposable
{
    private const ulong NoFreelist = ulong.MaxValue;

    private readonly SafeFileHandle _file;
    private readonly int _pageSize;
    private readonly ulong _root;
    private readonly ulong _freelist;
    private readonly HashSet<ulong> _reached = [];
    private readonly List<string> _problems = [];

    private BoltReader(SafeFileHandle file, int pageSize, ulong root, ulong freelist, ulong highWater)
    {
        _file = file;
        _pageSize = pageSize;
        _root = root;
        _freelist = freelist;
        HighWater = highWater;
    }

    /// <summary>Pages in use (the meta's high-water mark); times the page size is bbolt's transaction size.</summary>
    public ulong HighWater { get; }

    /// <summary>The page size the file was written with.</summary>
    public int PageSize => _pageSize;

    /// <summary>Opens <paramref name="path"/>; throws <see cref="InvalidDataException"/> with bbolt's words if it
    /// is not a bbolt file.</summary>
    public static BoltReader Open(string path)
    {
        SafeFileHandle file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        try
        {
            long length = RandomAccess.GetLength(file);
            if (length < 2 * BoltFormat.PageSize)
            {
                throw new InvalidDataException("file size too small");
            }

            byte[] first = new byte[BoltFormat.PageSize];
            RandomAccess.Read(file, first, 0);
            int pageSize = (int)BinaryPrimitives.ReadUInt32LittleEndian(first.AsSpan(BoltFormat.PageHeaderBytes + 8));
            Meta? chosen = null;
            foreach (long offset in new long[] { 0, pageSize is >= 512 and <= 1 << 16 ? pageSize : BoltFormat.PageSize })
            {
                byte[] page = new byte[BoltFormat.PageHeaderBytes + BoltFormat.MetaChecksummedBytes + 8];
                if (RandomAccess.Read(file, page, offset) == page.Length && ReadMeta(page) is { } meta
                    && (chosen is null || meta.Txid > chosen.Value.Txid))
                {
                    chosen = meta;
                }
            }

            if (chosen is not { } valid)
            {
                throw new InvalidDataException("invalid database");
            }

            if ((long)valid.HighWater * valid.PageSize > length)
            {
                throw new InvalidDataException($"file size {length} is smaller than its {valid.HighWater} pages");
            }

            return new BoltReader(file, valid.PageSize, valid.Root, valid.Freelist, valid.HighWater);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>The top-level buckets in order, each with its pairs in order.</summary>
    public IEnumerable<(byte[] Name, IEnumerable<(byte[] Key, byte[] Value)> Pairs)> Buckets()
    {
        foreach ((byte[] name, byte[] value, uint flags) in Elements(_root))
        {
            if ((flags & BoltFormat.BucketLeafFlag) == 0 || value.Length < BoltFormat.BucketHeaderBytes)
            {
                throw new InvalidDataException($"root entry {Convert.ToHexString(name)} is not a bucket");
            }

            ulong root = BinaryPrimitives.ReadUInt64LittleEndian(value);
            IEnumerable<(byte[], byte[], uint)> elements = root == 0
                ? LeafElements(value.AsSpan(BoltFormat.BucketHeaderBytes).ToArray(), 0)
                : Elements(root);
            yield return (name, elements.Select(element => (element.Item1, element.Item2)));
        }
    }

    /// <summary>
    /// After <see cref="Buckets"/> was walked completely: the pages below the high-water mark that are neither
    /// reached nor free, and pages reached twice (empty when the file is consistent).
    /// </summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>(_problems);
        var free = new HashSet<ulong>();
        if (_freelist != NoFreelist)
        {
            Reach(_freelist);
            byte[] header = ReadPage(_freelist, 1);
            int count = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(10));
            int skip = 0;
            byte[] page = ReadPage(_freelist, Overflow(header) + 1);
            if (count == 0xFFFF)
            {
                count = (int)BinaryPrimitives.ReadUInt64LittleEndian(page.AsSpan(BoltFormat.PageHeaderBytes));
                skip = 1;
            }

            for (int i = 0; i < count; i++)
            {
                free.Add(BinaryPrimitives.ReadUInt64LittleEndian(page.AsSpan(BoltFormat.PageHeaderBytes + (i + skip) * 8)));
            }
        }

        for (ulong id = 2; id < HighWater; id++)
        {
            bool reached = _reached.Contains(id);
            if (!reached && !free.Contains(id) && _freelist != NoFreelist)
            {
                problems.Add($"page {id}: unreachable unfreed");
            }
            else if (reached && free.Contains(id))
            {
                problems.Add($"page {id}: reachable freed");
            }
        }

        return problems;
    }

    /// <inheritdoc />
    public void Dispose() => _file.Dispose();

    private IEnumerable<(byte[] Key, byte[] Value, uint Flags)> Elements(ulong pageId)
    {
        if (pageId < 2 || pageId >= HighWater)
        {
            throw new InvalidDataException($"page {pageId}: out of bounds: {HighWater}");
        }

        Reach(pageId);
        byte[] header = ReadPage(pageId, 1);
        byte[] page = Overflow(header) == 0 ? header : ReadPage(pageId, Overflow(header) + 1);
        for (ulong extra = 1; extra <= (ulong)Overflow(header); extra++)
        {
            Reach(pageId + extra);
        }

        ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(page.AsSpan(8));
        if (flags == BoltFormat.LeafPageFlag)
        {
            foreach (var element in LeafElements(page, 0))
            {
                yield return element;
            }

            yield break;
        }

        if (flags != BoltFormat.BranchPageFlag)
        {
            throw new InvalidDataException($"page {pageId}: invalid type: {flags:x2}");
        }

        int count = BinaryPrimitives.ReadUInt16LittleEndian(page.AsSpan(10));
        var children = new List<ulong>(count);
        for (int i = 0; i < count; i++)
        {
            children.Add(BinaryPrimitives.ReadUInt64LittleEndian(page.AsSpan(BoltFormat.PageHeaderBytes + i * BoltFormat.BranchElementBytes + 8)));
        }

        foreach (ulong child in children)
        {
            foreach (var element in Elements(child))
            {
                yield return element;
            }
        }
    }

    private static IEnumerable<(byte[] Key, byte[] Value, uint Flags)> LeafElements(byte[] page, int offset)
    {
        int count = BinaryPrimitives.ReadUInt16LittleEndian(page.AsSpan(offset + 10));
        for (int i = 0; i < count; i++)
        {
            int element = offset + BoltFormat.PageHeaderBytes + i * BoltFormat.LeafElementBytes;
            uint flags = BinaryPrimitives.ReadUInt32LittleEndian(page.AsSpan(element));
            int position = element + (int)BinaryPrimitives.ReadUInt32LittleEndian(page.AsSpan(element + 4));
            int keySize = (int)BinaryPrimitives.ReadUInt32LittleEndian(page.AsSpan(element + 8));
            int valueSize = (int)BinaryPrimitives.ReadUInt32LittleEndian(page.AsSpan(element + 12));
            if (position < 0 || (long)position + keySize + valueSize > page.Length)
            {
                throw new InvalidDataException("a leaf element points outside its page");
            }

            yield return (page.AsSpan(position, keySize).ToArray(), page.AsSpan(position + keySize, valueSize).ToArray(), flags);
        }
    }

    private void Reach(ulong pageId)
    {
        if (!_reached.Add(pageId))
        {
            _problems.Add($"page {pageId}: multiple references");
        }
    }

    private static int Overflow(byte[] header) => (int)BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(12));

    private byte[] ReadPage(ulong pageId, int pages)
    {
        if (pageId + (ulong)pages > HighWater)
        {
            throw new InvalidDataException($"page {pageId}: out of bounds: {HighWater}");
        }

        byte[] bytes = new byte[pages * _pageSize];
        RandomAccess.Read(_file, bytes, (long)pageId * _pageSize);
        return bytes;
    }

    private static Meta? ReadMeta(byte[] page)
    {
        ReadOnlySpan<byte> meta = page.AsSpan(BoltFormat.PageHeaderBytes);
        if (BinaryPrimitives.ReadUInt16LittleEndian(page.AsSpan(8)) != BoltFormat.MetaPageFlag
            || BinaryPrimitives.ReadUInt32LittleEndian(meta) != BoltFormat.Magic
            || BinaryPrimitives.ReadUInt32LittleEndian(meta[4..]) != BoltFormat.Version
            || Fnv1a64.Hash(meta[..BoltFormat.MetaChecksummedBytes]) != BinaryPrimitives.ReadUInt64LittleEndian(meta[BoltFormat.MetaChecksummedBytes..]))
        {
            return null;
        }

        return new Meta(
            (int)BinaryPrimitives.ReadUInt32LittleEndian(meta[8..]),
            BinaryPrimitives.ReadUInt64LittleEndian(meta[16..]),
            BinaryPrimitives.ReadUInt64LittleEndian(meta[32..]),
            BinaryPrimitives.ReadUInt64LittleEndian(meta[40..]),
            BinaryPrimitives.ReadUInt64LittleEndian(meta[48..]));
    }

    private readonly record struct Meta(int PageSize, ulong Root, ulong Freelist, ulong HighWater, ulong Txid);
}
