using System.Buffers.Binary;

namespace Cairn.Storage.Tests.Bolt;

/// <summary>
/// An independent reader of bbolt files for the tests: it reads every bucket back and checks what bbolt's own
/// consistency check checks (valid meta checksums, every page reachable exactly once or free, page ids matching
/// their offsets, keys strictly increasing, branch keys equal to their child's first key).
/// </summary>
internal static class BoltFileReader
{
    private const int PageSize = 4096;

    public static SortedDictionary<string, List<(byte[] Key, byte[] Value)>> Read(byte[] file)
    {
        Assert.Equal(0, file.Length % PageSize);
        (ulong root, ulong freelist, ulong highWater, ulong txid) = ReadMeta(file, 0);
        (ulong root1, ulong freelist1, ulong highWater1, ulong txid1) = ReadMeta(file, 1);
        Assert.Equal((root, freelist, highWater), (root1, freelist1, highWater1));
        Assert.NotEqual(txid, txid1);
        Assert.Equal((ulong)file.Length / PageSize, highWater);
        var reached = new HashSet<ulong> { 0, 1 };
        Assert.Equal(0x10, Flags(file, freelist));
        Assert.Equal(0, Count(file, freelist));
        Reach(file, freelist, reached);

        var buckets = new SortedDictionary<string, List<(byte[], byte[])>>(StringComparer.Ordinal);
        foreach ((byte[] name, byte[] header, uint flags) in Tree(file, root, reached))
        {
            Assert.Equal(1u, flags);
            ulong bucketRoot = BinaryPrimitives.ReadUInt64LittleEndian(header);
            var pairs = new List<(byte[], byte[])>();
            IEnumerable<(byte[] Key, byte[] Value, uint Flags)> elements = bucketRoot == 0
                ? LeafElements(header, 16)
                : Tree(file, bucketRoot, reached);
            foreach ((byte[] key, byte[] value, uint elementFlags) in elements)
            {
                Assert.Equal(0u, elementFlags);
                pairs.Add((key, value));
            }

            buckets.Add(System.Text.Encoding.ASCII.GetString(name), pairs);
        }

        Assert.Equal(highWater, (ulong)reached.Count);
        return buckets;
    }

    private static (ulong Root, ulong Freelist, ulong HighWater, ulong Txid) ReadMeta(byte[] file, int page)
    {
        ReadOnlySpan<byte> meta = file.AsSpan(page * PageSize + 16, 64);
        Assert.Equal((ulong)page, BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(page * PageSize)));
        Assert.Equal(0xED0CDAEDu, BinaryPrimitives.ReadUInt32LittleEndian(meta));
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32LittleEndian(meta[4..]));
        Assert.Equal((uint)PageSize, BinaryPrimitives.ReadUInt32LittleEndian(meta[8..]));
        ulong hash = 14695981039346656037;
        foreach (byte b in meta[..56])
        {
            hash = (hash ^ b) * 1099511628211;
        }

        Assert.Equal(hash, BinaryPrimitives.ReadUInt64LittleEndian(meta[56..]));
        return (BinaryPrimitives.ReadUInt64LittleEndian(meta[16..]), BinaryPrimitives.ReadUInt64LittleEndian(meta[32..]),
            BinaryPrimitives.ReadUInt64LittleEndian(meta[40..]), BinaryPrimitives.ReadUInt64LittleEndian(meta[48..]));
    }

    /// <summary>The leaf elements under <paramref name="pageId"/>, in order, checking ordering and reachability.</summary>
    private static List<(byte[] Key, byte[] Value, uint Flags)> Tree(byte[] file, ulong pageId, HashSet<ulong> reached)
    {
        var result = new List<(byte[], byte[], uint)>();
        Walk(file, pageId, reached, result, expectedFirstKey: null);
        for (int i = 1; i < result.Count; i++)
        {
            Assert.True(result[i - 1].Item1.AsSpan().SequenceCompareTo(result[i].Item1) < 0, "keys must increase");
        }

        return result;
    }

    private static void Walk(byte[] file, ulong pageId, HashSet<ulong> reached, List<(byte[], byte[], uint)> result, byte[]? expectedFirstKey)
    {
        Reach(file, pageId, reached);
        int offset = checked((int)pageId * PageSize);
        if (Flags(file, pageId) == 0x02)
        {
            var elements = LeafElements(file, offset);
            if (expectedFirstKey is not null)
            {
                Assert.Equal(expectedFirstKey, elements[0].Key);
            }

            result.AddRange(elements);
            return;
        }

        Assert.Equal(0x01, Flags(file, pageId));
        int count = Count(file, pageId);
        Assert.True(count >= 1, "a branch page has children");
        for (int i = 0; i < count; i++)
        {
            int element = offset + 16 + i * 16;
            uint position = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(element));
            int keySize = (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(element + 4));
            ulong child = BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(element + 8));
            byte[] key = file.AsSpan(element + (int)position, keySize).ToArray();
            Walk(file, child, reached, result, key);
        }
    }

    private static List<(byte[] Key, byte[] Value, uint Flags)> LeafElements(byte[] bytes, int offset)
    {
        Assert.Equal(0x02, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(offset + 8)));
        int count = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(offset + 10));
        var elements = new List<(byte[], byte[], uint)>();
        for (int i = 0; i < count; i++)
        {
            int element = offset + 16 + i * 16;
            uint flags = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(element));
            int position = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(element + 4));
            int keySize = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(element + 8));
            int valueSize = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(element + 12));
            elements.Add((bytes.AsSpan(element + position, keySize).ToArray(),
                bytes.AsSpan(element + position + keySize, valueSize).ToArray(), flags));
        }

        return elements;
    }

    private static void Reach(byte[] file, ulong pageId, HashSet<ulong> reached)
    {
        int offset = checked((int)pageId * PageSize);
        Assert.Equal(pageId, BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(offset)));
        uint overflow = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(offset + 12));
        for (ulong page = pageId; page <= pageId + overflow; page++)
        {
            Assert.True(reached.Add(page), $"page {page} is reached twice");
        }
    }

    private static int Flags(byte[] file, ulong pageId) => BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan((int)pageId * PageSize + 8));

    private static int Count(byte[] file, ulong pageId) => BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan((int)pageId * PageSize + 10));
}
