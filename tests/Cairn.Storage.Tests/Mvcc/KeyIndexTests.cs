using Cairn.Storage.Mvcc;

namespace Cairn.Storage.Tests.Mvcc;

/// <summary>The copy-on-write B+tree against a sorted set, including what old roots keep seeing.</summary>
public sealed class KeyIndexTests
{
    [Fact]
    public void Random_inserts_and_removes_keep_order_and_old_roots_stay_unchanged()
    {
        var index = new KeyIndex();
        var model = new SortedSet<string>(StringComparer.Ordinal);
        var random = new Random(11);
        for (int round = 0; round < 40; round++)
        {
            index.BeginEpoch();
            for (int i = 0; i < 500; i++)
            {
                string key = "k" + random.Next(0, 5000).ToString("D5");
                bool remove = random.Next(3) == 0;
                byte[] bytes = System.Text.Encoding.ASCII.GetBytes(key);
                if (remove && model.Remove(key))
                {
                    index.Remove(bytes);
                }
                else if (!remove && model.Add(key))
                {
                    LeafNode leaf = index.FindOrInsert(bytes, out int slot, out bool inserted);
                    Assert.True(inserted);
                    leaf.Histories[slot] = [new RevisionRecord { ModRevision = 1, Version = 1 }];
                }
            }

            IndexNode before = index.PublishedRoot;
            string[] publishedBefore = Walk(before);
            index.Publish();
            Assert.Equal(model.ToArray(), Walk(index.PublishedRoot));
            Assert.Equal(publishedBefore, Walk(before));
            Assert.Equal(model.Count, index.KeyCount);
        }
    }

    [Fact]
    public void Sequential_inserts_fill_leaves_completely()
    {
        var index = new KeyIndex();
        index.BeginEpoch();
        for (int i = 0; i < KeyIndex.NodeCapacity * 100; i++)
        {
            index.FindOrInsert(BitConverter.GetBytes(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(i)), out _, out _);
        }

        Assert.InRange(index.LeafCount, 100, 101);
    }

    [Fact]
    public void Seek_starts_at_the_first_key_not_below_the_target()
    {
        var index = new KeyIndex();
        index.BeginEpoch();
        for (int i = 0; i < 1000; i += 2)
        {
            index.FindOrInsert(System.Text.Encoding.ASCII.GetBytes(i.ToString("D4")), out _, out _);
        }

        index.Publish();
        var cursor = new IndexCursor();
        cursor.Seek(index.PublishedRoot, "0501"u8);
        Assert.True(cursor.MoveNext());
        Assert.Equal("0502", System.Text.Encoding.ASCII.GetString(cursor.Key));
        cursor.Seek(index.PublishedRoot, "0999"u8);
        Assert.False(cursor.MoveNext());
    }

    [Fact]
    public void Removing_every_key_leaves_an_empty_tree()
    {
        var index = new KeyIndex();
        index.BeginEpoch();
        var keys = Enumerable.Range(0, 5000).Select(i => System.Text.Encoding.ASCII.GetBytes(i.ToString("D5"))).ToArray();
        foreach (byte[] key in keys)
        {
            index.FindOrInsert(key, out _, out _);
        }

        foreach (byte[] key in keys.Reverse())
        {
            index.Remove(key);
        }

        Assert.Empty(Walk(index.WorkingRoot));
        Assert.Equal(0, index.KeyCount);
        Assert.Throws<InvariantViolationException>(() => index.Remove(keys[0]));
    }

    private static string[] Walk(IndexNode root)
    {
        var keys = new List<string>();
        var cursor = new IndexCursor();
        cursor.Seek(root, []);
        while (cursor.MoveNext())
        {
            keys.Add(System.Text.Encoding.ASCII.GetString(cursor.Key));
        }

        return keys.ToArray();
    }
}
