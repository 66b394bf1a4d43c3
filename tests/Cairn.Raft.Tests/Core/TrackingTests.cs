namespace Cairn.Raft.Tests.Core;

public sealed class TrackingTests
{
    [Fact]
    public void Inflights_fill_by_count_and_free_in_order()
    {
        var inflights = new Inflights(capacity: 3, maxBytes: 0);
        inflights.Add(10, 1);
        inflights.Add(20, 1);
        inflights.Add(30, 1);
        Assert.True(inflights.Full);
        Assert.Throws<RaftInvariantException>(() => inflights.Add(40, 1));

        inflights.FreeLE(20);
        Assert.Equal(1, inflights.Count);
        inflights.Add(40, 1);
        inflights.Add(50, 1); // wraps around the ring
        Assert.True(inflights.Full);
        inflights.FreeLE(100);
        Assert.Equal((0, 0UL), (inflights.Count, inflights.Bytes));
    }

    [Fact]
    public void Inflights_fill_by_bytes()
    {
        var inflights = new Inflights(capacity: 100, maxBytes: 1000);
        inflights.Add(1, 600);
        Assert.False(inflights.Full);
        inflights.Add(2, 400);
        Assert.True(inflights.Full);
        inflights.FreeLE(1);
        Assert.Equal(400UL, inflights.Bytes);
        Assert.False(inflights.Full);
    }

    [Fact]
    public void Inflights_must_be_added_in_index_order()
    {
        var inflights = new Inflights(capacity: 4, maxBytes: 0);
        inflights.Add(5, 1);
        Assert.Throws<RaftInvariantException>(() => inflights.Add(5, 1));
    }

    [Fact]
    public void A_probing_follower_pauses_after_one_append_until_it_answers()
    {
        var pr = new Progress(nextIndex: 5, maxInflightMessages: 4, maxInflightBytes: 0, isLearner: false);
        Assert.False(pr.IsPaused);
        pr.SentEntries(1, 10);
        Assert.True(pr.IsPaused);

        Assert.True(pr.MaybeUpdate(5)); // the answer
        Assert.False(pr.IsPaused);
        Assert.Equal((5UL, 6UL), (pr.Match, pr.Next));
    }

    [Fact]
    public void Stale_rejections_are_ignored_and_fresh_ones_move_next_back()
    {
        var pr = new Progress(nextIndex: 10, maxInflightMessages: 4, maxInflightBytes: 0, isLearner: false);
        Assert.False(pr.MaybeDecrTo(rejected: 5, matchHint: 3)); // answers an older probe (next - 1 is 9)
        Assert.True(pr.MaybeDecrTo(rejected: 9, matchHint: 3));
        Assert.Equal(4UL, pr.Next); // the hint skips ahead of one-by-one decrements

        pr.Match = 6;
        pr.BecomeReplicate();
        Assert.False(pr.MaybeDecrTo(rejected: 6, matchHint: 0)); // at or below match: stale in replicate
        Assert.True(pr.MaybeDecrTo(rejected: 8, matchHint: 0));
        Assert.Equal(7UL, pr.Next);
    }

    [Fact]
    public void After_a_snapshot_probing_resumes_right_after_it()
    {
        var pr = new Progress(nextIndex: 3, maxInflightMessages: 4, maxInflightBytes: 0, isLearner: false);
        pr.BecomeSnapshot(100);
        Assert.True(pr.IsPaused);
        pr.BecomeProbe();
        Assert.Equal(101UL, pr.Next);
    }

    [Theory]
    [InlineData(new ulong[] { 5 }, 5UL)]
    [InlineData(new ulong[] { 5, 3 }, 3UL)]
    [InlineData(new ulong[] { 5, 3, 1 }, 3UL)]
    [InlineData(new ulong[] { 1, 5, 3, 9 }, 3UL)]
    [InlineData(new ulong[] { 2, 8, 5, 9, 1 }, 5UL)]
    public void The_quorum_match_index_is_what_a_majority_of_voters_stores(ulong[] matches, ulong expected)
    {
        var tracker = new ProgressTracker(4, 0);
        ulong[] ids = Enumerable.Range(1, matches.Length).Select(i => (ulong)i).ToArray();
        tracker.Reset(new ConfState(ids, [99]), 1);
        for (int i = 0; i < matches.Length; i++)
        {
            tracker.Get(ids[i])!.Match = matches[i];
        }

        tracker.Get(99)!.Match = 1000; // learners do not count
        Assert.Equal(expected, tracker.QuorumMatchIndex());
    }

    [Fact]
    public void Votes_are_won_lost_or_pending_by_majority_of_voters()
    {
        var tracker = new ProgressTracker(4, 0);
        tracker.Reset(new ConfState([1, 2, 3, 4, 5], [6]), 1);
        tracker.RecordVote(1, true);
        tracker.RecordVote(6, true); // a learner's vote does not count
        Assert.Equal(VoteResult.Pending, tracker.TallyVotes().Result);
        tracker.RecordVote(2, false);
        tracker.RecordVote(3, false);
        Assert.Equal(VoteResult.Pending, tracker.TallyVotes().Result);
        tracker.RecordVote(4, false);
        Assert.Equal(VoteResult.Lost, tracker.TallyVotes().Result);

        tracker.ResetVotes();
        foreach (ulong id in new ulong[] { 1, 2, 3 })
        {
            tracker.RecordVote(id, true);
        }

        Assert.Equal(VoteResult.Won, tracker.TallyVotes().Result);
    }

    [Fact]
    public void Removing_a_voter_shrinks_the_majority()
    {
        var tracker = new ProgressTracker(4, 0);
        tracker.Reset(new ConfState([1, 2, 3], []), 1);
        tracker.Get(1)!.Match = 10;
        tracker.Get(2)!.Match = 1;
        tracker.Get(3)!.Match = 1;
        Assert.Equal(1UL, tracker.QuorumMatchIndex());
        tracker.Remove(3);
        tracker.Remove(2);
        Assert.Equal(10UL, tracker.QuorumMatchIndex());
        Assert.Equal(new ConfState([1], []), tracker.ConfState);
    }
}
