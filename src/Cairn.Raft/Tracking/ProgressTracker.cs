namespace Cairn.Raft;

/// <summary>
/// The membership as the leader tracks it: a <see cref="Progress"/> per member, the sorted voter and learner
/// ids, the votes of the current election, and the majority arithmetic over them.
/// </summary>
/// <remarks>Members are visited in ascending id order so that message order is deterministic.</remarks>
internal sealed class ProgressTracker
{
    private readonly Dictionary<ulong, Progress> progress = [];
    private readonly Dictionary<ulong, bool> votes = [];
    private readonly int maxInflightMessages;
    private readonly ulong maxInflightBytes;
    private ulong[] voters = [];
    private ulong[] learners = [];
    private ulong[] members = [];

    public ProgressTracker(int maxInflightMessages, ulong maxInflightBytes)
    {
        this.maxInflightMessages = maxInflightMessages;
        this.maxInflightBytes = maxInflightBytes;
    }

    /// <summary>Voter ids, ascending.</summary>
    public ReadOnlySpan<ulong> Voters => voters;

    /// <summary>Voters then learners, each ascending.</summary>
    public ReadOnlySpan<ulong> Members => members;

    public int VoterCount => voters.Length;

    public bool IsSingleton => voters.Length == 1;

    public ConfState ConfState => new(voters, learners);

    public Progress? Get(ulong id) => progress.GetValueOrDefault(id);

    public bool IsVoter(ulong id) => Array.BinarySearch(voters, id) >= 0;

    public bool Contains(ulong id) => progress.ContainsKey(id);

    /// <summary>Replaces the membership (on start and on snapshot restore); every member starts probing at <paramref name="nextIndex"/>.</summary>
    public void Reset(ConfState state, ulong nextIndex)
    {
        progress.Clear();
        foreach (ulong id in state.Voters)
        {
            progress[id] = NewProgress(nextIndex, isLearner: false);
        }

        foreach (ulong id in state.Learners)
        {
            progress[id] = NewProgress(nextIndex, isLearner: true);
        }

        RebuildIds();
    }

    public void AddVoter(ulong id, ulong nextIndex)
    {
        if (progress.TryGetValue(id, out Progress? existing))
        {
            existing.IsLearner = false;
        }
        else
        {
            progress[id] = NewProgress(nextIndex, isLearner: false);
        }

        RebuildIds();
    }

    public void AddLearner(ulong id, ulong nextIndex)
    {
        Invariant.Check(!progress.ContainsKey(id), "adding a learner that is already a member");
        progress[id] = NewProgress(nextIndex, isLearner: true);
        RebuildIds();
    }

    public void Remove(ulong id)
    {
        progress.Remove(id);
        votes.Remove(id);
        RebuildIds();
    }

    /// <summary>The highest index a majority of voters has persisted (0 without voters).</summary>
    public ulong QuorumMatchIndex()
    {
        if (voters.Length == 0)
        {
            return 0;
        }

        Span<ulong> matches = voters.Length <= 16 ? stackalloc ulong[voters.Length] : new ulong[voters.Length];
        for (int i = 0; i < voters.Length; i++)
        {
            matches[i] = progress[voters[i]].Match;
        }

        return QuorumValue(matches);
    }

    /// <summary>For lease-based reads: the latest heartbeat send tick a majority has acknowledged (the leader counts as <paramref name="nowTick"/>).</summary>
    public ulong QuorumLeaseTick(ulong selfId, ulong nowTick)
    {
        if (voters.Length == 0)
        {
            return 0;
        }

        Span<ulong> ticks = voters.Length <= 16 ? stackalloc ulong[voters.Length] : new ulong[voters.Length];
        for (int i = 0; i < voters.Length; i++)
        {
            ticks[i] = voters[i] == selfId ? nowTick : progress[voters[i]].LeaseAckTick;
        }

        return QuorumValue(ticks);
    }

    /// <summary>Whether a majority of voters was heard from recently (the leader counts itself).</summary>
    public bool QuorumActive(ulong selfId)
    {
        int active = 0;
        foreach (ulong id in voters)
        {
            if (id == selfId || progress[id].RecentActive)
            {
                active++;
            }
        }

        return active >= Quorum;
    }

    public void ResetVotes() => votes.Clear();

    public void RecordVote(ulong id, bool granted) => votes.TryAdd(id, granted);

    public (int Granted, int Rejected, VoteResult Result) TallyVotes() => Tally(votes);

    /// <summary>Whether the voters among <paramref name="acks"/> form a majority (used for read-index rounds).</summary>
    public VoteResult TallyAcks(Dictionary<ulong, bool> acks) => Tally(acks).Result;

    private int Quorum => voters.Length / 2 + 1;

    private (int Granted, int Rejected, VoteResult Result) Tally(Dictionary<ulong, bool> ballots)
    {
        int granted = 0;
        int rejected = 0;
        foreach (ulong id in voters)
        {
            if (ballots.TryGetValue(id, out bool vote))
            {
                if (vote)
                {
                    granted++;
                }
                else
                {
                    rejected++;
                }
            }
        }

        int missing = voters.Length - granted - rejected;
        VoteResult result = voters.Length == 0 ? VoteResult.Lost
            : granted >= Quorum ? VoteResult.Won
            : granted + missing >= Quorum ? VoteResult.Pending
            : VoteResult.Lost;
        return (granted, rejected, result);
    }

    private ulong QuorumValue(Span<ulong> values)
    {
        // The value that a majority has reached: sort descending and take the quorum-th.
        values.Sort();
        return values[values.Length - Quorum];
    }

    private Progress NewProgress(ulong nextIndex, bool isLearner) =>
        new(nextIndex, maxInflightMessages, maxInflightBytes, isLearner) { RecentActive = true };

    private void RebuildIds()
    {
        var voterList = new List<ulong>();
        var learnerList = new List<ulong>();
        foreach ((ulong id, Progress pr) in progress)
        {
            (pr.IsLearner ? learnerList : voterList).Add(id);
        }

        voterList.Sort();
        learnerList.Sort();
        voters = [.. voterList];
        learners = [.. learnerList];
        members = [.. voters, .. learners];
    }
}
