namespace Cairn.Raft.Tests.Core;

public sealed class LogTests
{
    private static RaftLog LogWithTerms(params ulong[] terms)
    {
        var storage = new MemoryStorage();
        storage.Append(terms.Select((term, i) => new Entry((ulong)i + 1, term)).ToArray());
        return new RaftLog(storage, ulong.MaxValue);
    }

    [Fact]
    public void Unstable_entries_shadow_stale_stored_ones_until_persisted()
    {
        RaftLog log = LogWithTerms(1, 1, 1);
        log.Append([new Entry(2, 2), new Entry(3, 2)]); // a new leader replaces 2..3

        Assert.Equal(2UL, log.TermOrZero(2));
        Assert.Equal(1UL, log.LastStableIndex()); // storage still holds the stale 2..3
        log.Unstable.StableTo(3, 1); // a stale acknowledgement (wrong term) changes nothing
        Assert.Equal(2, log.Unstable.Entries.Count);
        log.Unstable.StableTo(3, 2);
        Assert.Empty(log.Unstable.Entries);
    }

    [Fact]
    public void Find_conflict_by_term_skips_a_whole_term_per_round_trip()
    {
        //                      index: 1  2  3  4  5  6
        RaftLog log = LogWithTerms(1, 1, 2, 2, 4, 4);
        Assert.Equal((6UL, 4UL), log.FindConflictByTerm(6, 5));
        Assert.Equal((4UL, 2UL), log.FindConflictByTerm(6, 3));
        Assert.Equal((2UL, 1UL), log.FindConflictByTerm(6, 1));
        Assert.Equal((0UL, 0UL), log.FindConflictByTerm(6, 0));
    }

    [Fact]
    public void Try_append_truncates_a_conflicting_suffix_and_commits_no_further_than_the_new_entries()
    {
        RaftLog log = LogWithTerms(1, 1, 1, 1);
        Assert.True(log.TryAppend(2, 1, leaderCommit: 10, [new Entry(3, 3)], out ulong lastNew));

        Assert.Equal(3UL, lastNew);
        Assert.Equal(3UL, log.LastIndex()); // entry 4 of term 1 is gone
        Assert.Equal(3UL, log.Committed); // min(leader commit, last new index)
        Assert.False(log.TryAppend(3, 1, 3, [], out _)); // term mismatch at 3
    }

    [Fact]
    public void Up_to_date_compares_last_term_first_then_length()
    {
        RaftLog log = LogWithTerms(1, 2, 2);
        Assert.True(log.IsUpToDate(1, 3)); // later term, shorter log
        Assert.True(log.IsUpToDate(3, 2));
        Assert.False(log.IsUpToDate(2, 2));
        Assert.False(log.IsUpToDate(10, 1));
    }

    [Fact]
    public void Slices_respect_the_byte_limit_across_storage_and_unstable_entries()
    {
        var storage = new MemoryStorage();
        storage.Append([new Entry(1, 1, EntryType.Normal, new byte[50]), new Entry(2, 1, EntryType.Normal, new byte[50])]);
        var log = new RaftLog(storage, ulong.MaxValue);
        log.Append([new Entry(3, 1, EntryType.Normal, new byte[50])]);
        ulong one = new Entry(1, 1, EntryType.Normal, new byte[50]).SizeBytes;

        Assert.Equal(3, log.Slice(1, 4, ulong.MaxValue).Length);
        Assert.Equal(2, log.Slice(1, 4, 2 * one).Length);
        Assert.Single(log.Slice(2, 4, 1));
        Assert.Equal([2UL, 3UL], log.Slice(2, 4, ulong.MaxValue).Select(e => e.Index));
    }

    [Fact]
    public void Committed_entries_are_handed_out_once_and_within_the_per_ready_limit()
    {
        var storage = new MemoryStorage();
        storage.Append(Enumerable.Range(1, 5).Select(i => new Entry((ulong)i, 1, EntryType.Normal, new byte[40])).ToArray());
        var log = new RaftLog(storage, maxCommittedBytesPerReady: 100);
        log.CommitTo(5);

        Entry[] first = log.TakeNextCommittedEntries();
        Assert.Equal(2, first.Length); // two 40-byte entries (plus framing) fit in 100 bytes
        Entry[] second = log.TakeNextCommittedEntries();
        Assert.Equal(3UL, second[0].Index);
        log.AppliedTo(second[^1].Index);
        Assert.Equal(4UL, log.Applied);
    }
}
