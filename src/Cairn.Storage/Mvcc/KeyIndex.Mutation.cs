namespace Cairn.Storage.Mvcc;

/// <summary>Structural changes of the working tree: insert and remove keys with path copying.</summary>
internal sealed partial class KeyIndex
{
    /// <summary>Inserts a key known to be absent; returns its (private) leaf and slot.</summary>
    private LeafNode Insert(ReadOnlySpan<byte> key, byte[] storedKey, out int index)
    {
        Span<int> childIndexes = stackalloc int[MaxDepth];
        var branches = new BranchNode[MaxDepth];
        int depth = DescendPrivate(key, branches, childIndexes, out LeafNode leaf);

        int position = LowerBound(leaf, key);
        LeafNode? right = null;
        if (leaf.Count == leaf.Keys.Length)
        {
            right = SplitLeaf(leaf, position);
            if (position > leaf.Count || leaf.Count == leaf.Keys.Length)
            {
                position -= leaf.Count;
                leaf = right;
            }
        }

        InsertAt(leaf, position, storedKey);
        index = position;
        LeafNode target = leaf;
        PropagateSplit(branches, childIndexes, depth, right is null ? null : (IndexNode)right);
        return target;
    }

    /// <summary>
    /// Walks from the root to the leaf for <paramref name="key"/>, replacing every node on the path with a private
    /// copy (once per epoch) and linking the copies. Returns the path depth.
    /// </summary>
    private int DescendPrivate(ReadOnlySpan<byte> key, BranchNode[] branches, Span<int> childIndexes, out LeafNode leaf)
    {
        _working = Own(_working);
        IndexNode node = _working;
        int depth = 0;
        while (node is BranchNode branch)
        {
            Invariant.Check(depth < MaxDepth, "key index deeper than MaxDepth");
            int child = branch.ChildFor(key);
            IndexNode owned = Own(branch.Children[child]);
            branch.Children[child] = owned;
            branches[depth] = branch;
            childIndexes[depth] = child;
            depth++;
            node = owned;
        }

        leaf = (LeafNode)node;
        return depth;
    }

    private IndexNode Own(IndexNode node)
    {
        if (node.Epoch == _epoch)
        {
            return node;
        }

        return node switch
        {
            LeafNode leaf => leaf.CloneForEpoch(_epoch),
            BranchNode branch => branch.CloneForEpoch(_epoch),
            _ => throw new InvalidOperationException("unknown index node type"),
        };
    }

    /// <summary>
    /// Splits a full leaf. An insert at the end (keys arriving in order) keeps the left leaf full, so sequentially
    /// loaded keys fill leaves completely instead of half.
    /// </summary>
    private LeafNode SplitLeaf(LeafNode leaf, int insertPosition)
    {
        int keep = insertPosition == leaf.Count ? leaf.Count : leaf.Count / 2;
        var right = new LeafNode(_epoch, NodeCapacity);
        int moved = leaf.Count - keep;
        Array.Copy(leaf.Keys, keep, right.Keys, 0, moved);
        Array.Copy(leaf.Histories, keep, right.Histories, 0, moved);
        Array.Clear(leaf.Keys, keep, moved);
        Array.Clear(leaf.Histories, keep, moved);
        right.Count = moved;
        leaf.Count = keep;
        LeafCount++;
        return right;
    }

    private static void InsertAt(LeafNode leaf, int position, byte[] key)
    {
        int tail = leaf.Count - position;
        Array.Copy(leaf.Keys, position, leaf.Keys, position + 1, tail);
        Array.Copy(leaf.Histories, position, leaf.Histories, position + 1, tail);
        leaf.Keys[position] = key;
        leaf.Histories[position] = null!;
        leaf.Count++;
    }

    /// <summary>Inserts the new right sibling (if any) into the parents, splitting them as needed.</summary>
    private void PropagateSplit(BranchNode[] branches, Span<int> childIndexes, int depth, IndexNode? right)
    {
        for (int level = depth - 1; level >= 0 && right is not null; level--)
        {
            BranchNode parent = branches[level];
            int position = childIndexes[level] + 1;
            BranchNode? parentRight = null;
            if (parent.Count == parent.Keys.Length)
            {
                parentRight = SplitBranch(parent, position);
                if (position > parent.Count || parent.Count == parent.Keys.Length)
                {
                    position -= parent.Count;
                    parent = parentRight;
                }
            }

            int tail = parent.Count - position;
            Array.Copy(parent.Keys, position, parent.Keys, position + 1, tail);
            Array.Copy(parent.Children, position, parent.Children, position + 1, tail);
            parent.Keys[position] = right.Keys[0];
            parent.Children[position] = right;
            parent.Count++;
            right = parentRight;
        }

        if (right is not null)
        {
            var root = new BranchNode(_epoch, NodeCapacity) { Count = 2 };
            root.Keys[0] = _working.Keys[0];
            root.Children[0] = _working;
            root.Keys[1] = right.Keys[0];
            root.Children[1] = right;
            _working = root;
        }
    }

    private BranchNode SplitBranch(BranchNode branch, int insertPosition)
    {
        int keep = insertPosition == branch.Count ? branch.Count : branch.Count / 2;
        var right = new BranchNode(_epoch, NodeCapacity);
        int moved = branch.Count - keep;
        Array.Copy(branch.Keys, keep, right.Keys, 0, moved);
        Array.Copy(branch.Children, keep, right.Children, 0, moved);
        Array.Clear(branch.Keys, keep, moved);
        Array.Clear(branch.Children, keep, moved);
        right.Count = moved;
        branch.Count = keep;
        return right;
    }

    /// <summary>Removes a key from the working tree (when compaction dropped its whole history).</summary>
    public void Remove(ReadOnlySpan<byte> key)
    {
        Span<int> childIndexes = stackalloc int[MaxDepth];
        var branches = new BranchNode[MaxDepth];
        int depth = DescendPrivate(key, branches, childIndexes, out LeafNode leaf);
        int position = LowerBound(leaf, key);
        Invariant.Check(
            position < leaf.Count && leaf.Keys[position].AsSpan().SequenceEqual(key), "removing a key that is not indexed");

        RemoveAt(leaf, position);
        _keyCount--;
        IndexNode emptied = leaf;
        for (int level = depth - 1; level >= 0 && emptied.Count == 0; level--)
        {
            BranchNode parent = branches[level];
            if (emptied is LeafNode)
            {
                LeafCount--;
            }

            RemoveChildAt(parent, childIndexes[level]);
            emptied = parent;
        }

        CollapseRoot();
    }

    private static void RemoveAt(LeafNode leaf, int position)
    {
        int tail = leaf.Count - position - 1;
        Array.Copy(leaf.Keys, position + 1, leaf.Keys, position, tail);
        Array.Copy(leaf.Histories, position + 1, leaf.Histories, position, tail);
        leaf.Count--;
        leaf.Keys[leaf.Count] = null!;
        leaf.Histories[leaf.Count] = null!;
    }

    private static void RemoveChildAt(BranchNode parent, int position)
    {
        int tail = parent.Count - position - 1;
        Array.Copy(parent.Keys, position + 1, parent.Keys, position, tail);
        Array.Copy(parent.Children, position + 1, parent.Children, position, tail);
        parent.Count--;
        parent.Keys[parent.Count] = null!;
        parent.Children[parent.Count] = null!;
    }

    /// <summary>Drops root branches with a single child, and turns an empty tree back into one empty leaf.</summary>
    private void CollapseRoot()
    {
        while (_working is BranchNode { Count: 1 } single)
        {
            _working = single.Children[0];
        }

        if (_working is BranchNode { Count: 0 })
        {
            _working = new LeafNode(_epoch, NodeCapacity);
            LeafCount = 1;
        }
    }
}
