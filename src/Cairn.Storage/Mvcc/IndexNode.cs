namespace Cairn.Storage.Mvcc;

/// <summary>
/// A node of the copy-on-write B+tree that orders keys (<see cref="KeyIndex"/>). Nodes reachable from a published
/// root never change shape (keys and children are fixed); the only in-place change a reader may observe is a leaf's
/// history reference being replaced by a superset (append/grow) or, outside snapshots, by a compacted copy.
/// </summary>
internal abstract class IndexNode
{
    /// <summary>Write epoch that created this node; a node of the current epoch is private to the writer and may be
    /// changed in place.</summary>
    public int Epoch;

    /// <summary>Number of used entries.</summary>
    public int Count;

    /// <summary>Leaf: the keys. Branch: Keys[i] is a lower bound of child i's keys (Keys[0] is not used for routing).</summary>
    public byte[][] Keys;

    protected IndexNode(int epoch, int capacity)
    {
        Epoch = epoch;
        Keys = new byte[capacity][];
    }
}

/// <summary>A leaf: keys in ascending byte order and, in the same positions, each key's history.</summary>
internal sealed class LeafNode : IndexNode
{
    /// <summary>Each key's revision records (see <see cref="KeyHistory"/>).</summary>
    public RevisionRecord[][] Histories;

    public LeafNode(int epoch, int capacity)
        : base(epoch, capacity)
    {
        Histories = new RevisionRecord[capacity][];
    }

    /// <summary>A private copy for the writer's current epoch.</summary>
    public LeafNode CloneForEpoch(int epoch)
    {
        var copy = new LeafNode(epoch, Keys.Length) { Count = Count };
        Array.Copy(Keys, copy.Keys, Count);
        for (int i = 0; i < Count; i++)
        {
            copy.Histories[i] = Volatile.Read(ref Histories[i]);
        }

        return copy;
    }
}

/// <summary>A branch: children in key order, each with a lower bound key.</summary>
internal sealed class BranchNode : IndexNode
{
    /// <summary>Children; child i holds keys in [Keys[i], Keys[i+1]).</summary>
    public IndexNode[] Children;

    public BranchNode(int epoch, int capacity)
        : base(epoch, capacity)
    {
        Children = new IndexNode[capacity];
    }

    /// <summary>A private copy for the writer's current epoch.</summary>
    public BranchNode CloneForEpoch(int epoch)
    {
        var copy = new BranchNode(epoch, Keys.Length) { Count = Count };
        Array.Copy(Keys, copy.Keys, Count);
        Array.Copy(Children, copy.Children, Count);
        return copy;
    }

    /// <summary>Index of the child whose key interval contains <paramref name="key"/>.</summary>
    public int ChildFor(ReadOnlySpan<byte> key)
    {
        int low = 1;
        int high = Count - 1;
        int found = 0;
        while (low <= high)
        {
            int mid = (low + high) >>> 1;
            if (Keys[mid].AsSpan().SequenceCompareTo(key) <= 0)
            {
                found = mid;
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }

        return found;
    }
}
