namespace Cairn.Storage.Mvcc;

/// <summary>
/// Walks the keys of one index tree in ascending order from a start key. A cursor pins the root it was positioned
/// on, so it sees a tree whose shape does not change while it walks (see <see cref="KeyIndex"/>).
/// </summary>
internal sealed class IndexCursor
{
    private readonly BranchNode[] _branches = new BranchNode[KeyIndex.MaxDepth];
    private readonly int[] _childIndexes = new int[KeyIndex.MaxDepth];
    private int _depth;
    private LeafNode _leaf = null!;
    private int _index;

    /// <summary>The leaf of the current entry.</summary>
    public LeafNode Leaf => _leaf;

    /// <summary>The position of the current entry in <see cref="Leaf"/>.</summary>
    public int Index => _index;

    /// <summary>The current key.</summary>
    public byte[] Key => _leaf.Keys[_index];

    /// <summary>The current key's history.</summary>
    public RevisionRecord[] History => Volatile.Read(ref _leaf.Histories[_index]);

    /// <summary>Positions the cursor just before the first key &gt;= <paramref name="key"/>.</summary>
    public void Seek(IndexNode root, ReadOnlySpan<byte> key)
    {
        _depth = 0;
        IndexNode node = root;
        while (node is BranchNode branch)
        {
            int child = branch.ChildFor(key);
            _branches[_depth] = branch;
            _childIndexes[_depth] = child;
            _depth++;
            node = branch.Children[child];
        }

        _leaf = (LeafNode)node;
        _index = KeyIndex.LowerBound(_leaf, key) - 1;
    }

    /// <summary>Advances to the next key; false at the end of the tree.</summary>
    public bool MoveNext()
    {
        _index++;
        while (_index >= _leaf.Count)
        {
            if (!MoveToNextLeaf())
            {
                return false;
            }

            _index = 0;
        }

        return true;
    }

    private bool MoveToNextLeaf()
    {
        int level = _depth - 1;
        while (level >= 0 && _childIndexes[level] + 1 >= _branches[level].Count)
        {
            level--;
        }

        if (level < 0)
        {
            return false;
        }

        _childIndexes[level]++;
        IndexNode node = _branches[level].Children[_childIndexes[level]];
        _depth = level + 1;
        while (node is BranchNode branch)
        {
            _branches[_depth] = branch;
            _childIndexes[_depth] = 0;
            _depth++;
            node = branch.Children[0];
        }

        _leaf = (LeafNode)node;
        return true;
    }
}
