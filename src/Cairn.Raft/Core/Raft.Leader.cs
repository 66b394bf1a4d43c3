namespace Cairn.Raft;

internal sealed partial class Raft
{
    private int heartbeatElapsedTicks;

    private bool StepLeader(Message m)
    {
        switch (m.Type)
        {
            case MessageType.Beat:
                BroadcastHeartbeat(ReadOnlyMemory<byte>.Empty);
                return true;
            case MessageType.CheckQuorum:
                CheckQuorumActive();
                return true;
            case MessageType.Propose:
                return HandleProposal(m);
            case MessageType.ReadIndex:
                return HandleReadIndexRequest(m);
        }

        // The rest are about one peer; ignore peers that are not (or no longer) members.
        Progress? pr = Tracker.Get(m.From);
        if (pr is null)
        {
            return true;
        }

        switch (m.Type)
        {
            case MessageType.AppendResponse:
                HandleAppendResponse(m, pr);
                break;
            case MessageType.HeartbeatResponse:
                HandleHeartbeatResponse(m, pr);
                break;
            case MessageType.SnapshotStatus:
                HandleSnapshotStatus(m, pr);
                break;
            case MessageType.Unreachable:
                // Optimistic replication was probably lost in transit: fall back to probing.
                if (pr.State == ProgressState.Replicate)
                {
                    pr.BecomeProbe();
                }

                break;
            case MessageType.TransferLeader:
                HandleTransferLeader(m, pr);
                break;
        }

        return true;
    }

    private void TickHeartbeat()
    {
        heartbeatElapsedTicks++;
        ElectionElapsedTicks++;
        if (ElectionElapsedTicks >= electionTimeoutTicks)
        {
            ElectionElapsedTicks = 0;
            if (checkQuorum)
            {
                Step(new Message { From = Id, Type = MessageType.CheckQuorum });
            }

            // A transfer that has not finished within an election timeout is abandoned; we stay leader.
            if (Role == RaftRole.Leader && LeadTransferee != None)
            {
                LeadTransferee = None;
            }
        }

        if (Role != RaftRole.Leader)
        {
            return;
        }

        if (heartbeatElapsedTicks >= heartbeatTimeoutTicks)
        {
            heartbeatElapsedTicks = 0;
            Step(new Message { From = Id, Type = MessageType.Beat });
        }
    }

    private void CheckQuorumActive()
    {
        if (!Tracker.QuorumActive(Id))
        {
            // We have not heard from a majority for an election timeout: another leader may exist, so stop
            // accepting writes that could never commit and let the cluster elect one we can reach.
            BecomeFollower(Term, None);
        }

        foreach (ulong id in Tracker.Members)
        {
            if (id != Id)
            {
                Tracker.Get(id)!.RecentActive = false;
            }
        }
    }

    private bool HandleProposal(Message m)
    {
        Invariant.Check(m.Entries.Count > 0, "a proposal without entries");
        if (!Tracker.Contains(Id) || LeadTransferee != None)
        {
            // Removed from the cluster, or handing leadership over: the proposer should retry on the new leader.
            return false;
        }

        var entries = new List<Entry>(m.Entries.Count);
        for (int i = 0; i < m.Entries.Count; i++)
        {
            Entry entry = m.Entries[i];
            if (entry.Type == EntryType.ConfChange)
            {
                if (!AcceptConfChangeProposal(entry))
                {
                    continue;
                }

                PendingConfIndex = Log.LastIndex() + (ulong)entries.Count + 1;
            }

            entries.Add(entry);
        }

        if (entries.Count == 0 || !AppendEntries(entries))
        {
            return false;
        }

        BroadcastAppend();
        return true;
    }

    private void HandleAppendResponse(Message m, Progress pr)
    {
        pr.RecentActive = true;
        pr.KnownCommit = Math.Max(pr.KnownCommit, m.Commit);
        if (m.Reject)
        {
            HandleAppendRejection(m, pr);
        }
        else
        {
            HandleAppendAcknowledgement(m, pr);
        }

        // Last: it may step down, and it wants the freshest Match to pick a successor.
        MaybeHandOffAfterRemoval();
    }

    private void HandleAppendAcknowledgement(Message m, Progress pr)
    {
        // A response that does not move Match still moves a probing follower to replicate when it confirms
        // the current match (for example after a snapshot or a heartbeat-triggered probe).
        bool updated = pr.MaybeUpdate(m.Index);
        if (!updated && !(pr.Match == m.Index && pr.State == ProgressState.Probe))
        {
            return;
        }

        switch (pr.State)
        {
            case ProgressState.Probe:
                pr.BecomeReplicate();
                break;
            case ProgressState.Snapshot when pr.Match + 1 >= Log.FirstIndex():
                // The follower can continue from the log now (whatever snapshot it actually installed).
                pr.BecomeProbe();
                pr.BecomeReplicate();
                break;
            case ProgressState.Replicate:
                pr.Inflights.FreeLE(m.Index);
                break;
        }

        if (MaybeCommit())
        {
            ReleasePendingReadIndexMessages();
            BroadcastAppend();
        }
        else if (pr.SentCommit < Log.Committed)
        {
            MaybeSendAppend(m.From, sendIfEmpty: true);
        }

        // The window may have room for several messages now (after a probe succeeded, or a large ack).
        while (MaybeSendAppend(m.From, sendIfEmpty: false))
        {
        }

        if (m.From == LeadTransferee && pr.Match == Log.LastIndex())
        {
            SendTimeoutNow(m.From);
        }
    }

    private void HandleAppendRejection(Message m, Progress pr)
    {
        // The follower says where its log might match; skipping by term (not one index at a time) makes a
        // diverged follower catch up in one round trip per conflicting term.
        ulong nextProbeIndex = m.RejectHint;
        if (m.LogTerm > 0)
        {
            nextProbeIndex = Log.FindConflictByTerm(m.RejectHint, m.LogTerm).Index;
        }

        if (pr.MaybeDecrTo(m.Index, nextProbeIndex))
        {
            if (pr.State == ProgressState.Replicate)
            {
                pr.BecomeProbe();
            }

            MaybeSendAppend(m.From, sendIfEmpty: true);
        }
    }

    private void HandleHeartbeatResponse(Message m, Progress pr)
    {
        pr.RecentActive = true;
        pr.MsgAppFlowPaused = false;
        pr.LeaseAckTick = Math.Max(pr.LeaseAckTick, m.Index);
        pr.KnownCommit = Math.Max(pr.KnownCommit, m.Commit);
        if (MaybeHandOffAfterRemoval())
        {
            return;
        }

        if (pr.Match < Log.LastIndex() || pr.SentCommit < Log.Committed)
        {
            MaybeSendAppend(m.From, sendIfEmpty: true);
        }

        if (!m.Context.IsEmpty)
        {
            ConfirmReadIndexRound(m);
        }
    }

    private void HandleSnapshotStatus(Message m, Progress pr)
    {
        if (pr.State != ProgressState.Snapshot)
        {
            return;
        }

        if (m.Reject)
        {
            // The snapshot did not arrive: forget it, so the next attempt sends whatever snapshot is current.
            pr.PendingSnapshot = 0;
        }

        // Wait for an Append response or a heartbeat response before sending more; the follower may still be
        // installing the snapshot.
        pr.BecomeProbe();
        pr.MsgAppFlowPaused = true;
    }

    private void HandleTransferLeader(Message m, Progress pr)
    {
        if (pr.IsLearner)
        {
            return;
        }

        ulong transferee = m.From;
        if (LeadTransferee != None)
        {
            if (LeadTransferee == transferee)
            {
                return;
            }

            LeadTransferee = None;
        }

        if (transferee == Id)
        {
            return;
        }

        // The transfer must finish within an election timeout (TickHeartbeat abandons it otherwise).
        ElectionElapsedTicks = 0;
        LeadTransferee = transferee;
        if (pr.Match == Log.LastIndex())
        {
            SendTimeoutNow(transferee);
        }
        else
        {
            MaybeSendAppend(transferee, sendIfEmpty: true);
        }
    }

    private void SendTimeoutNow(ulong to)
    {
        // The target will win votes even from followers inside our lease, so our lease is void from now on.
        leaseRevoked = true;
        Send(new Message { To = to, Type = MessageType.TimeoutNow });
    }
}
