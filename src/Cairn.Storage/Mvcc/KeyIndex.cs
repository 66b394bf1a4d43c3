namespace Cairn.Storage.Mvcc;

/// <summary>
/// The ordered key index: a copy-on-write B+tree from key to history. One writer (the apply thread) changes a
/// private working tree and publishes its root; any number of readers walk a published root without locks.
/// </summary>
/// <remarks>
/// <para>Why copy-on-write: a reader pins a root once and sees a tree whose shape never changes under it, so readers
/// neither lock nor retry. Only inserting or removing a key copies nodes (the path from the leaf to the root, once per
/// write epoch); a put to an existing key changes the leaf's history slot in place, which readers tolerate because the
/// new history holds everything the old one held (see <see cref="KeyHistory"/>).</para>
/// <para>Node fan-out is 64: about 24 bytes of node arrays per key, and 4 levels for 1M keys.</para>
/// </remarks>
internal sealed partial class KeyIndex
{
    /// <summary>Entries per leaf and children per branch.</summary>
    public const int NodeCapacity = 64;

    /// <summary>Deepest tree supported by cursors (64^8 keys is far beyond memory).</summary>
    public const int MaxDepth = 8;

    private IndexNode _published;
    private IndexNode _working;
    private int _epoch;
    private long _keyCount;

    public KeyIndex()
    {
        _working = new LeafNode(0, NodeCapacity);
        _published = _working;
    }

    /// <summary>The root readers use.</summary>
    public IndexNode PublishedRoot => Volatile.Read(ref _published);

    /// <summary>The writer's root (includes unpublished changes).</summary>
    public IndexNode WorkingRoot => _working;

    /// <summary>Number of keys in the working tree.</summary>
    public long KeyCount => Volatile.Read(ref _keyCount);

    /// <summary>Number of leaves in the working tree (memory accounting).</summary>
    public long LeafCount { get; private set; } = 1;

    /// <summary>Starts a new write epoch: nodes copied from now on are private until <see cref="Publish"/>.</summary>
    public void BeginEpoch() => _epoch++;

    /// <summary>Makes the working tree visible to readers.</summary>
    public void Publish() => Volatile.Write(ref _published, _working);

    /// <summary>Finds a key in a tree; returns false if absent.</summary>
    public static bool TryFind(IndexNode root, ReadOnlySpan<byte> key, out LeafNode leaf, out int index)
    {
        IndexNode node = root;
        while (node is BranchNode branch)
        {
            node = branch.Children[branch.ChildFor(key)];
        }

        leaf = (LeafNode)node;
        index = LowerBound(leaf, key);
        return index < leaf.Count && leaf.Keys[index].AsSpan().SequenceEqual(key);
    }

    /// <summary>First position in the leaf whose key is &gt;= <paramref name="key"/>.</summary>
    public static int LowerBound(IndexNode node, ReadOnlySpan<byte> key)
    {
        int low = 0;
        int high = node.Count;
        while (low < high)
        {
            int mid = (low + high) >>> 1;
            if (node.Keys[mid].AsSpan().SequenceCompareTo(key) < 0)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }

    /// <summary>
    /// Finds <paramref name="key"/> in the working tree, inserting a copy of it (with a null history the caller must
    /// fill before publishing) if absent.
    /// </summary>
    public LeafNode FindOrInsert(ReadOnlySpan<byte> key, out int index, out bool inserted)
    {
        if (TryFind(_working, key, out LeafNode leaf, out index))
        {
            inserted = false;
            return leaf;
        }

        inserted = true;
        _keyCount++;
        return Insert(key, key.ToArray(), out index);
    }
}
