namespace Cairn.Raft.Tests.Storage;

public sealed class MemoryStorageTests
{
    private static MemoryStorage StorageWith(params (ulong Index, ulong Term)[] entries)
    {
        var storage = new MemoryStorage();
        storage.Append(entries.Select(e => new Entry(e.Index, e.Term)).ToArray());
        return storage;
    }

    [Fact]
    public void Empty_storage_has_first_index_1_and_last_index_0()
    {
        var storage = new MemoryStorage();
        Assert.Equal(1UL, storage.FirstIndex());
        Assert.Equal(0UL, storage.LastIndex());
        Assert.Equal(StorageLookup.Ok, storage.TryGetTerm(0, out ulong term));
        Assert.Equal(0UL, term);
        Assert.Equal(StorageLookup.Unavailable, storage.TryGetTerm(1, out _));
    }

    [Fact]
    public void Term_lookups_report_compacted_and_unavailable()
    {
        MemoryStorage storage = StorageWith((1, 1), (2, 1), (3, 2), (4, 3));
        storage.Compact(2);

        Assert.Equal(StorageLookup.Compacted, storage.TryGetTerm(1, out _));
        Assert.Equal(StorageLookup.Ok, storage.TryGetTerm(2, out ulong term));
        Assert.Equal(1UL, term); // the placeholder keeps the compacted entry's term
        Assert.Equal(StorageLookup.Ok, storage.TryGetTerm(4, out term));
        Assert.Equal(3UL, term);
        Assert.Equal(StorageLookup.Unavailable, storage.TryGetTerm(5, out _));
        Assert.Equal(3UL, storage.FirstIndex());
    }

    [Fact]
    public void Entries_respect_the_byte_limit_but_return_at_least_one()
    {
        var storage = new MemoryStorage();
        storage.Append([new Entry(1, 1, EntryType.Normal, new byte[100]), new Entry(2, 1, EntryType.Normal, new byte[100]), new Entry(3, 1)]);
        var result = new List<Entry>();

        Assert.Equal(StorageLookup.Ok, storage.TryGetEntries(1, 4, 1, result));
        Assert.Single(result);

        result.Clear();
        ulong twoEntries = new Entry(1, 1, EntryType.Normal, new byte[100]).SizeBytes * 2;
        Assert.Equal(StorageLookup.Ok, storage.TryGetEntries(1, 4, twoEntries, result));
        Assert.Equal(2, result.Count);

        result.Clear();
        Assert.Equal(StorageLookup.Ok, storage.TryGetEntries(1, 4, ulong.MaxValue, result));
        Assert.Equal([1UL, 2, 3], result.Select(e => e.Index));
    }

    [Fact]
    public void Entries_below_the_first_index_are_compacted_and_past_the_end_is_an_error()
    {
        MemoryStorage storage = StorageWith((1, 1), (2, 1), (3, 1));
        storage.Compact(2);
        Assert.Equal(StorageLookup.Compacted, storage.TryGetEntries(2, 4, ulong.MaxValue, []));
        Assert.Throws<ArgumentOutOfRangeException>(() => storage.TryGetEntries(3, 5, ulong.MaxValue, []));
    }

    [Fact]
    public void Append_replaces_a_conflicting_suffix()
    {
        MemoryStorage storage = StorageWith((1, 1), (2, 1), (3, 1));
        storage.Append([new Entry(2, 2), new Entry(3, 2), new Entry(4, 2)]);

        var result = new List<Entry>();
        storage.TryGetEntries(1, 5, ulong.MaxValue, result);
        Assert.Equal([(1UL, 1UL), (2, 2), (3, 2), (4, 2)], result.Select(e => (e.Index, e.Term)));
    }

    [Fact]
    public void Append_skips_compacted_entries_and_refuses_gaps()
    {
        MemoryStorage storage = StorageWith((1, 1), (2, 1), (3, 1));
        storage.Compact(3);
        storage.Append([new Entry(2, 1), new Entry(3, 1), new Entry(4, 1)]);
        Assert.Equal(4UL, storage.LastIndex());

        Assert.Throws<ArgumentException>(() => storage.Append([new Entry(7, 1)]));
    }

    [Fact]
    public void Snapshots_replace_the_log_and_must_not_go_backwards()
    {
        MemoryStorage storage = StorageWith((1, 1), (2, 1), (3, 2));
        var members = new ConfState([1, 2, 3], []);
        Snapshot created = storage.CreateSnapshot(3, members, new byte[] { 7 });
        Assert.Equal((3UL, 2UL), (created.Index, created.Term));
        Assert.Throws<ArgumentOutOfRangeException>(() => storage.CreateSnapshot(2, members, default));

        var newer = new Snapshot(new SnapshotMetadata(10, 4, members), new byte[] { 8 });
        storage.ApplySnapshot(newer);
        Assert.Equal((11UL, 10UL), (storage.FirstIndex(), storage.LastIndex()));
        Assert.Equal(members, storage.InitialState().ConfState);
        Assert.Throws<ArgumentException>(() => storage.ApplySnapshot(created));
    }

    [Fact]
    public void Compact_past_the_end_is_an_error_and_compacting_twice_is_a_no_op()
    {
        MemoryStorage storage = StorageWith((1, 1), (2, 1));
        Assert.True(storage.Compact(1));
        Assert.False(storage.Compact(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => storage.Compact(3));
    }

    [Fact]
    public void Hard_state_is_returned_by_initial_state()
    {
        var storage = new MemoryStorage(new ConfState([1], []));
        storage.SetHardState(new HardState(3, 1, 0));
        Assert.Equal(new RaftInitialState(new HardState(3, 1, 0), new ConfState([1], [])), storage.InitialState());
    }
}
