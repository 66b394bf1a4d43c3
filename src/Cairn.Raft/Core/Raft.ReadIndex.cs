namespace Cairn.Raft;

internal sealed partial class Raft
{
    private bool HandleReadIndexRequest(Message m)
    {
#if RAFT_MUTATIONS
        if (Mutated(RaftMutation.ReadIndexWithoutQuorum))
        {
            AnswerReadIndex(m, Log.Committed);
            return true;
        }
#endif
        if (!CommittedEntryInCurrentTerm())
        {
            // Until this term's first entry commits, our commit index may lag behind what the previous leader
            // committed (§6.4 step 1): hold the request until it does.
            if (pendingReadIndexMessages.Count >= maxPendingReadIndex)
            {
                return false;
            }

            pendingReadIndexMessages.Add(m);
            return true;
        }

        return ConfirmLeadershipForRead(m);
    }

    private bool CommittedEntryInCurrentTerm() => Log.TermOrZero(Log.Committed) == Term;

    private void ReleasePendingReadIndexMessages()
    {
        if (pendingReadIndexMessages.Count == 0 || !CommittedEntryInCurrentTerm())
        {
            return;
        }

        foreach (Message m in pendingReadIndexMessages)
        {
            ConfirmLeadershipForRead(m);
        }

        pendingReadIndexMessages.Clear();
    }

    /// <summary>Answers at once under a valid lease, otherwise starts (or joins) a heartbeat round with the request's context.</summary>
    private bool ConfirmLeadershipForRead(Message m)
    {
        if (Tracker.IsSingleton && Tracker.IsVoter(Id))
        {
            // The only voter: nobody else can be leader. (Only once our term's entry is committed, like any
            // leader: a node that just became the single voter may not yet know what the previous leader
            // committed — the simulator found exactly that after a leader removed itself from two voters.)
            AnswerReadIndex(m, Log.Committed);
            return true;
        }

        if (readOnlyOption == ReadOnlyOption.LeaseBased && HoldsLease())
        {
            AnswerReadIndex(m, Log.Committed);
            return true;
        }

        // Record the commit index now: it covers every write acknowledged before this request arrived. The
        // answer may only be given once a majority confirms we are still leader.
        if (!ReadOnly.Add(Log.Committed, m))
        {
            return false;
        }

        ReadOnly.RecordAck(Id, m.Context);
        BroadcastHeartbeat(m.Context);
        return true;
    }

    /// <summary>
    /// Whether a majority acknowledged a heartbeat sent less than a lease ago: each of them promised not to vote
    /// for another candidate for an election timeout after receiving it (see InLease), so no other leader can
    /// exist yet.
    /// </summary>
    private bool HoldsLease()
    {
        if (leaseRevoked || LeadTransferee != None)
        {
            return false;
        }

        ulong acknowledgedTick = Tracker.QuorumLeaseTick(Id, TotalTicks);
        return acknowledgedTick > 0 && acknowledgedTick + (ulong)leaseTicks > TotalTicks;
    }

    private void ConfirmReadIndexRound(Message m)
    {
        Dictionary<ulong, bool>? acks = ReadOnly.RecordAck(m.From, m.Context);
        if (acks is null || Tracker.TallyAcks(acks) != VoteResult.Won)
        {
            return;
        }

        foreach (ReadOnlyRequests.PendingRead read in ReadOnly.Advance(m.Context))
        {
            AnswerReadIndex(read.Request, read.Index);
        }
    }

    private void AnswerReadIndex(Message request, ulong index)
    {
        if (request.From == None || request.From == Id)
        {
            ReadStates.Add(new ReadState(index, request.Context));
        }
        else
        {
            Send(new Message { To = request.From, Type = MessageType.ReadIndexResponse, Index = index, Context = request.Context });
        }
    }
}
