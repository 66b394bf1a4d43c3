namespace Cairn.Raft;

/// <summary>The leader's view of one follower (or learner, or itself).</summary>
internal sealed class Progress
{
    public Progress(ulong nextIndex, int maxInflightMessages, ulong maxInflightBytes, bool isLearner)
    {
        Next = nextIndex;
        Inflights = new Inflights(maxInflightMessages, maxInflightBytes);
        IsLearner = isLearner;
    }

    /// <summary>The highest index known to be persisted on the follower and matching the leader's log.</summary>
    public ulong Match;

    /// <summary>The next index to send.</summary>
    public ulong Next;

    public ProgressState State;

    /// <summary>In the snapshot state: the index of the snapshot being sent.</summary>
    public ulong PendingSnapshot;

    /// <summary>Heard from since the last check-quorum round (also required before sending a snapshot).</summary>
    public bool RecentActive;

    /// <summary>Appends are paused: a probe is unanswered, or the inflight window is full.</summary>
    public bool MsgAppFlowPaused;

    /// <summary>The highest commit index sent to this follower.</summary>
    public ulong SentCommit;

    /// <summary>The highest commit index the follower reported in a response (it knows everything up to it is committed).</summary>
    public ulong KnownCommit;

    /// <summary>For lease-based reads: the leader tick at which the latest acknowledged heartbeat was sent.</summary>
    public ulong LeaseAckTick;

    public readonly Inflights Inflights;

    public bool IsLearner;

    /// <summary>Whether to hold back further Appends.</summary>
    public bool IsPaused => State switch
    {
        ProgressState.Probe => MsgAppFlowPaused,
        ProgressState.Replicate => MsgAppFlowPaused,
        _ => true,
    };

    public void BecomeProbe()
    {
        // After a snapshot, probe right after it: the follower has at least that much if it installed it.
        if (State == ProgressState.Snapshot)
        {
            ulong pendingSnapshot = PendingSnapshot;
            ResetState(ProgressState.Probe);
            Next = Math.Max(Match + 1, pendingSnapshot + 1);
        }
        else
        {
            ResetState(ProgressState.Probe);
            Next = Match + 1;
        }
    }

    public void BecomeReplicate()
    {
        ResetState(ProgressState.Replicate);
        Next = Match + 1;
    }

    public void BecomeSnapshot(ulong snapshotIndex)
    {
        ResetState(ProgressState.Snapshot);
        PendingSnapshot = snapshotIndex;
    }

    /// <summary>Records an Append of <paramref name="entryCount"/> entries starting at <see cref="Next"/>.</summary>
    public void SentEntries(int entryCount, ulong bytes)
    {
        switch (State)
        {
            case ProgressState.Replicate:
                if (entryCount > 0)
                {
                    Next += (ulong)entryCount;
                    Inflights.Add(Next - 1, bytes);
                }

                MsgAppFlowPaused = Inflights.Full;
                break;
            case ProgressState.Probe:
                // Any Append in the probe state is a probe: wait for its answer (or a heartbeat response).
                MsgAppFlowPaused = true;
                break;
            default:
                throw Invariant.Violated($"sending entries in progress state {State}");
        }
    }

    /// <summary>Records an acknowledgement of <paramref name="index"/>; false when it is old news.</summary>
    public bool MaybeUpdate(ulong index)
    {
        bool updated = false;
        if (Match < index)
        {
            Match = index;
            updated = true;
            MsgAppFlowPaused = false;
        }

        Next = Math.Max(Next, index + 1);
        return updated;
    }

    /// <summary>
    /// Handles a rejected Append of <paramref name="rejected"/>: moves Next back towards <paramref name="matchHint"/>.
    /// False when the rejection is stale (it answers an older probe).
    /// </summary>
    public bool MaybeDecrTo(ulong rejected, ulong matchHint)
    {
        if (State == ProgressState.Replicate)
        {
            if (rejected <= Match)
            {
                return false;
            }

            Next = Match + 1;
            return true;
        }

        if (Next - 1 != rejected)
        {
            return false;
        }

        Next = Math.Max(Math.Min(rejected, matchHint + 1), Match + 1);
        MsgAppFlowPaused = false;
        return true;
    }

    public override string ToString() =>
        $"{State} match={Match} next={Next}{(IsLearner ? " learner" : "")}{(MsgAppFlowPaused ? " paused" : "")}" +
        (State == ProgressState.Snapshot ? $" pendingSnap={PendingSnapshot}" : "") +
        (Inflights.Count > 0 ? $" inflight={Inflights.Count}" : "");

    private void ResetState(ProgressState state)
    {
        MsgAppFlowPaused = false;
        PendingSnapshot = 0;
        State = state;
        Inflights.Reset();
    }
}
