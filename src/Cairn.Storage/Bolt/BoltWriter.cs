using System.Buffers.Binary;

namespace Cairn.Storage.Bolt;

/// <summary>
/// Writes a bbolt database file in one pass from top-level buckets whose keys arrive in byte order (what etcd's
/// backend, and so <c>etcdctl snapshot status|restore</c>, reads). Pages are laid out densely: two meta pages, an
/// empty freelist page, then each bucket's leaves followed by its branch levels (small buckets inline), then the root
/// bucket's page; so every page is reachable and bbolt's consistency check passes. Memory: one page per tree level
/// being built plus the first key of every written page.
/// </summary>
public sealed class BoltWriter
{
    private readonly Stream _output;
    private readonly BoltPageSink _sink;
    private readonly List<(byte[] Name, byte[] Value)> _buckets = [];
    private BoltPagePacker? _bucket;
    private byte[] _lastKey = new byte[64];
    private int _lastKeyLength = -1;
    private bool _completed;

    /// <summary>Writes into <paramref name="output"/>, which must be writable, seekable and empty.</summary>
    public BoltWriter(Stream output)
    {
        if (!output.CanSeek || !output.CanWrite || output.Length != 0)
        {
            throw new ArgumentException("a bbolt file needs an empty, writable, seekable stream", nameof(output));
        }

        _output = output;
        _sink = new BoltPageSink(output, BoltFormat.FirstDataPageId);
    }

    /// <summary>Starts a top-level bucket; names must come in byte order, each once.</summary>
    public void BeginBucket(ReadOnlySpan<byte> name)
    {
        EnsureOpen(expectBucket: false);
        if (name.IsEmpty || (_buckets.Count > 0 && name.SequenceCompareTo(_buckets[^1].Name) <= 0))
        {
            throw new InvalidOperationException("bucket names must be non-empty and written in increasing byte order");
        }

        _buckets.Add((name.ToArray(), []));
        _bucket = new BoltPagePacker(_sink, branch: false);
        _lastKeyLength = -1;
    }

    /// <summary>Adds a pair to the open bucket; keys must be non-empty and strictly increasing in byte order.</summary>
    public void Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        EnsureOpen(expectBucket: true);
        if (key.IsEmpty || (_lastKeyLength >= 0 && key.SequenceCompareTo(_lastKey.AsSpan(0, _lastKeyLength)) <= 0))
        {
            throw new InvalidOperationException("keys must be non-empty and written in increasing byte order");
        }

        RememberLastKey(key);
        _bucket!.AddLeaf(key, value);
    }

    /// <summary>
    /// Finishes the open bucket. Like bbolt, a bucket whose single leaf needs at most a quarter page is stored inline
    /// (its page follows the bucket header inside the parent's leaf); otherwise its last leaf and the branch levels up
    /// to a single root page are written.
    /// </summary>
    public void EndBucket()
    {
        EnsureOpen(expectBucket: true);
        BoltPagePacker bucket = _bucket!;
        byte[] value;
        if (!bucket.HasWrittenPages && bucket.PendingPageBytes <= BoltFormat.PageSize / 4)
        {
            value = [.. BucketHeader(rootPageId: 0), .. bucket.RenderInline()];
        }
        else
        {
            value = BucketHeader(BuildTree(bucket));
        }

        _buckets[^1] = (_buckets[^1].Name, value);
        _bucket = null;
    }

    /// <summary>Writes the root bucket, the freelist and both meta pages; returns the file length (whole pages).</summary>
    public long Complete()
    {
        EnsureOpen(expectBucket: false);
        _completed = true;
        var root = new BoltPagePacker(_sink, branch: false);
        foreach ((byte[] name, byte[] value) in _buckets)
        {
            root.AddLeaf(name, value, BoltFormat.BucketLeafFlag);
        }

        ulong rootPageId = BuildTree(root);
        ulong highWater = _sink.NextPageId;
        byte[] head = new byte[(int)BoltFormat.FirstDataPageId * BoltFormat.PageSize];
        WriteMeta(head.AsSpan(0, BoltFormat.PageSize), pageId: 0, transactionId: 2, rootPageId, highWater);
        WriteMeta(head.AsSpan(BoltFormat.PageSize, BoltFormat.PageSize), pageId: 1, transactionId: 1, rootPageId, highWater);
        Span<byte> freelist = head.AsSpan((int)BoltFormat.FreelistPageId * BoltFormat.PageSize);
        BinaryPrimitives.WriteUInt64LittleEndian(freelist, BoltFormat.FreelistPageId);
        BinaryPrimitives.WriteUInt16LittleEndian(freelist[8..], BoltFormat.FreelistPageFlag);
        _output.Position = 0;
        _output.Write(head);
        _output.Flush();
        return (long)highWater * BoltFormat.PageSize;
    }

    /// <summary>Root page id (0 for an inline bucket), then the sequence, which etcd never uses.</summary>
    private static byte[] BucketHeader(ulong rootPageId)
    {
        byte[] header = new byte[BoltFormat.BucketHeaderBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(header, rootPageId);
        return header;
    }

    private ulong BuildTree(BoltPagePacker leaves)
    {
        IReadOnlyList<BoltChild> level = leaves.Finish();
        while (level.Count > 1)
        {
            var branch = new BoltPagePacker(_sink, branch: true);
            foreach (BoltChild child in level)
            {
                branch.AddBranch(child.FirstKey, child.PageId);
            }

            level = branch.Finish();
        }

        return level[0].PageId;
    }

    /// <summary>
    /// Both meta copies describe the same tree; bbolt opens the valid one with the higher transaction id, and a
    /// transaction's meta lives on page (txid mod 2), hence txid 2 on page 0 and 1 on page 1.
    /// </summary>
    private static void WriteMeta(Span<byte> page, ulong pageId, ulong transactionId, ulong rootPageId, ulong highWater)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(page, pageId);
        BinaryPrimitives.WriteUInt16LittleEndian(page[8..], BoltFormat.MetaPageFlag);
        Span<byte> meta = page[BoltFormat.PageHeaderBytes..];
        BinaryPrimitives.WriteUInt32LittleEndian(meta, BoltFormat.Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(meta[4..], BoltFormat.Version);
        BinaryPrimitives.WriteUInt32LittleEndian(meta[8..], BoltFormat.PageSize);
        BinaryPrimitives.WriteUInt32LittleEndian(meta[12..], 0);
        BinaryPrimitives.WriteUInt64LittleEndian(meta[16..], rootPageId);
        BinaryPrimitives.WriteUInt64LittleEndian(meta[24..], 0);
        BinaryPrimitives.WriteUInt64LittleEndian(meta[32..], BoltFormat.FreelistPageId);
        BinaryPrimitives.WriteUInt64LittleEndian(meta[40..], highWater);
        BinaryPrimitives.WriteUInt64LittleEndian(meta[48..], transactionId);
        ulong checksum = Fnv1a64.Hash(meta[..BoltFormat.MetaChecksummedBytes]);
        BinaryPrimitives.WriteUInt64LittleEndian(meta[BoltFormat.MetaChecksummedBytes..], checksum);
    }

    private void RememberLastKey(ReadOnlySpan<byte> key)
    {
        if (_lastKey.Length < key.Length)
        {
            _lastKey = new byte[Math.Max(key.Length, _lastKey.Length * 2)];
        }

        key.CopyTo(_lastKey);
        _lastKeyLength = key.Length;
    }

    private void EnsureOpen(bool expectBucket)
    {
        if (_completed)
        {
            throw new InvalidOperationException("the bbolt file is already complete");
        }

        if ((_bucket is not null) != expectBucket)
        {
            throw new InvalidOperationException(expectBucket ? "no bucket is open" : "a bucket is still open");
        }
    }
}
