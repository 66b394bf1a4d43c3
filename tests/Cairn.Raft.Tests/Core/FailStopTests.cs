namespace Cairn.Raft.Tests.Core;

/// <summary>Storage failures and broken invariants stop the node for good (fail-stop), with a message that says why.</summary>
public sealed class FailStopTests
{
    /// <summary>A storage whose reads start failing like a dying disk.</summary>
    private sealed class FailingStorage(MemoryStorage inner) : IRaftStorage
    {
        public bool Broken { get; set; }

        public RaftInitialState InitialState() => inner.InitialState();

        public StorageLookup TryGetEntries(ulong lowIndex, ulong highIndexExclusive, ulong maxBytes, List<Entry> destination) =>
            Broken ? throw new IOException("read error on the log segment") : inner.TryGetEntries(lowIndex, highIndexExclusive, maxBytes, destination);

        public StorageLookup TryGetTerm(ulong index, out ulong term) =>
            Broken ? throw new IOException("read error on the log segment") : inner.TryGetTerm(index, out term);

        public ulong FirstIndex() => inner.FirstIndex();

        public ulong LastIndex() => inner.LastIndex();

        public StorageLookup TryGetSnapshot(out Snapshot snapshot) => inner.TryGetSnapshot(out snapshot);
    }

    [Fact]
    public void A_storage_error_propagates_and_then_every_call_is_refused()
    {
        var memory = new MemoryStorage(new ConfState([1, 2], []));
        memory.Append([new Entry(1, 1), new Entry(2, 1)]);
        var storage = new FailingStorage(memory);
        var node = new RawNode(new RaftConfig { Id = 1, Storage = storage, Random = new SeededRandom(1) });

        storage.Broken = true;
        Assert.Throws<IOException>(node.Campaign); // reading the last term fails

        var refused = Assert.Throws<InvalidOperationException>(node.Tick);
        Assert.Contains("stopped after an earlier failure (read error on the log segment)", refused.Message);
        Assert.IsType<IOException>(refused.InnerException);
        Assert.Throws<InvalidOperationException>(() => node.HasReady());
        Assert.Throws<InvalidOperationException>(() => node.Propose(new byte[] { 1 }));
    }

    [Fact]
    public void Appending_below_the_commit_index_is_an_invariant_violation()
    {
        var storage = new MemoryStorage();
        storage.Append([new Entry(1, 1), new Entry(2, 1), new Entry(3, 1)]);
        var log = new RaftLog(storage, ulong.MaxValue);
        log.CommitTo(3);

        var error = Assert.Throws<RaftInvariantException>(() => log.Append([new Entry(2, 2)]));
        Assert.Contains("appending entry 2 below the commit index 3", error.Message);
    }

    [Fact]
    public void Committing_past_the_end_of_the_log_is_an_invariant_violation()
    {
        var log = new RaftLog(new MemoryStorage(), ulong.MaxValue);
        var error = Assert.Throws<RaftInvariantException>(() => log.CommitTo(1));
        Assert.Contains("commit index 1 is past the last index 0", error.Message);
    }

    [Fact]
    public void A_leader_entry_conflicting_with_the_committed_log_is_an_invariant_violation()
    {
        var storage = new MemoryStorage();
        storage.Append([new Entry(1, 1), new Entry(2, 1)]);
        var log = new RaftLog(storage, ulong.MaxValue);
        log.CommitTo(2);

        var error = Assert.Throws<RaftInvariantException>(() => log.TryAppend(1, 1, 2, [new Entry(2, 2)], out _));
        Assert.Contains("conflicts with the committed log", error.Message);
    }

    [Fact]
    public void Applying_past_the_commit_index_is_an_invariant_violation()
    {
        var storage = new MemoryStorage();
        storage.Append([new Entry(1, 1)]);
        var log = new RaftLog(storage, ulong.MaxValue);
        Assert.Throws<RaftInvariantException>(() => log.AppliedTo(1));
    }
}
