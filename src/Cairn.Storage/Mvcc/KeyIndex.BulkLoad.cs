namespace Cairn.Storage.Mvcc;

/// <summary>Building a whole tree from keys that arrive in ascending order (snapshot load): leaves are filled
/// completely and branches built bottom-up, with no per-key search.</summary>
internal sealed partial class KeyIndex
{
    private readonly List<IndexNode> _bulkLeaves = [];
    private LeafNode? _bulkLeaf;
    private byte[]? _bulkLastKey;

    /// <summary>Appends a key (strictly greater than the previous one) to a bulk load.</summary>
    public void BulkAppend(byte[] key, RevisionRecord[] history)
    {
        Invariant.Check(_bulkLastKey is null || _bulkLastKey.AsSpan().SequenceCompareTo(key) < 0,
            "bulk-loaded keys must be strictly ascending");
        if (_bulkLeaf is null || _bulkLeaf.Count == NodeCapacity)
        {
            _bulkLeaf = new LeafNode(_epoch, NodeCapacity);
            _bulkLeaves.Add(_bulkLeaf);
        }

        _bulkLeaf.Keys[_bulkLeaf.Count] = key;
        _bulkLeaf.Histories[_bulkLeaf.Count] = history;
        _bulkLeaf.Count++;
        _bulkLastKey = key;
        _keyCount++;
    }

    /// <summary>Finishes a bulk load: builds the branches and publishes the tree (which must have been empty).</summary>
    public void BulkComplete()
    {
        Invariant.Check(_working is LeafNode { Count: 0 } || _bulkLeaves.Count == 0, "bulk load into a non-empty index");
        if (_bulkLeaves.Count > 0)
        {
            List<IndexNode> level = [.. _bulkLeaves];
            LeafCount = level.Count;
            while (level.Count > 1)
            {
                level = BuildBranchLevel(level);
            }

            _working = level[0];
        }

        _bulkLeaves.Clear();
        _bulkLeaf = null;
        _bulkLastKey = null;
        Publish();
    }

    private List<IndexNode> BuildBranchLevel(List<IndexNode> children)
    {
        var parents = new List<IndexNode>((children.Count / NodeCapacity) + 1);
        BranchNode? parent = null;
        foreach (IndexNode child in children)
        {
            if (parent is null || parent.Count == NodeCapacity)
            {
                parent = new BranchNode(_epoch, NodeCapacity);
                parents.Add(parent);
            }

            parent.Keys[parent.Count] = child.Keys[0];
            parent.Children[parent.Count] = child;
            parent.Count++;
        }

        return parents;
    }
}
