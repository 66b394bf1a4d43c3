namespace Cairn.Raft;

internal sealed partial class Raft
{
    /// <summary>Appends new entries to the leader's log with this term's numbering; false when the uncommitted-size limit drops them.</summary>
    private bool AppendEntries(IReadOnlyList<Entry> proposed)
    {
        ulong lastIndex = Log.LastIndex();
        ulong payloadBytes = 0;
        var entries = new Entry[proposed.Count];
        for (int i = 0; i < entries.Length; i++)
        {
            Entry entry = proposed[i];
            entries[i] = new Entry(lastIndex + 1 + (ulong)i, Term, entry.Type, entry.Data);
            payloadBytes += (ulong)entry.Data.Length;
        }

        // Always admit a proposal when nothing is outstanding, so one oversized proposal cannot wedge the leader.
        if (UncommittedBytes > 0 && payloadBytes > 0 && UncommittedBytes + payloadBytes > maxUncommittedBytes)
        {
            return false;
        }

        UncommittedBytes += payloadBytes;
        Log.Append(entries);

        // The leader's own Match moves only when these entries are persisted (RawNode.Advance calls
        // OnEntriesPersisted), so the leader never counts an unpersisted copy towards a commit.
        return true;
    }

    /// <summary>Called after the application persisted a Ready: the leader counts its own now-durable entries.</summary>
    public void OnEntriesPersisted()
    {
        if (Role != RaftRole.Leader)
        {
            return;
        }

        Progress? self = Tracker.Get(Id);
        if (self is not null && self.MaybeUpdate(Log.LastStableIndex()) && MaybeCommit())
        {
            ReleasePendingReadIndexMessages();
            BroadcastAppend();
        }
    }

    /// <summary>Commits the highest index a majority stores, if it is from the current term (§5.4.2).</summary>
    private bool MaybeCommit()
    {
        ulong quorumIndex = Tracker.QuorumMatchIndex();
#if RAFT_MUTATIONS
        if (Mutated(RaftMutation.CommitOldTermByCounting))
        {
            return Log.CommitIgnoringTerm(quorumIndex);
        }
#endif
        return Log.MaybeCommit(quorumIndex, Term);
    }

    /// <summary>Payload bytes of newly applied entries no longer count as uncommitted.</summary>
    public void ReduceUncommittedBytes(IReadOnlyList<Entry> applied)
    {
        if (Role != RaftRole.Leader)
        {
            return;
        }

        ulong bytes = 0;
        for (int i = 0; i < applied.Count; i++)
        {
            bytes += (ulong)applied[i].Data.Length;
        }

        UncommittedBytes = bytes >= UncommittedBytes ? 0 : UncommittedBytes - bytes;
    }

    private void BroadcastAppend()
    {
        foreach (ulong id in Tracker.Members)
        {
            // In the replicate state, fill the inflight window now rather than one message per acknowledgement.
            if (id != Id && MaybeSendAppend(id, sendIfEmpty: true))
            {
                while (MaybeSendAppend(id, sendIfEmpty: false))
                {
                }
            }
        }
    }

    /// <summary>
    /// Sends the next batch of entries to <paramref name="to"/> (or a snapshot when they are compacted), within
    /// the message size and inflight limits. Returns false when nothing was sent.
    /// </summary>
    private bool MaybeSendAppend(ulong to, bool sendIfEmpty)
    {
        Progress pr = Tracker.Get(to)!;
        if (pr.IsPaused)
        {
            return false;
        }

        ulong previousIndex = pr.Next - 1;
        if (Log.TryGetTerm(previousIndex, out ulong previousTerm) != StorageLookup.Ok)
        {
            return MaybeSendSnapshot(to, pr);
        }

        Entry[] entries = [];
        if (pr.State != ProgressState.Replicate || !pr.Inflights.Full)
        {
            if (Log.TrySlice(pr.Next, Log.LastIndex() + 1, maxMsgBytes, out entries) != StorageLookup.Ok)
            {
                return MaybeSendSnapshot(to, pr);
            }
        }

        if (entries.Length == 0 && !sendIfEmpty)
        {
            return false;
        }

        ulong bytes = 0;
        foreach (Entry entry in entries)
        {
            bytes += entry.SizeBytes;
        }

        Send(new Message
        {
            To = to,
            Type = MessageType.Append,
            Index = previousIndex,
            LogTerm = previousTerm,
            Entries = entries,
            Commit = Log.Committed,
        });
        pr.SentEntries(entries.Length, bytes);
        pr.SentCommit = Math.Max(pr.SentCommit, Log.Committed);
        return true;
    }

    private bool MaybeSendSnapshot(ulong to, Progress pr)
    {
        if (!pr.RecentActive)
        {
            // Snapshots are expensive; do not send one to a peer that may be down.
            return false;
        }

        if (Log.TryGetSnapshot(out Snapshot snapshot) == StorageLookup.SnapshotTemporarilyUnavailable)
        {
            return false;
        }

        Invariant.Check(snapshot.Index > 0, "the log is compacted but storage has no snapshot");
        pr.BecomeSnapshot(snapshot.Index);
        Send(new Message { To = to, Type = MessageType.Snapshot, Snapshot = snapshot });
        return true;
    }

    private void BroadcastHeartbeat(ReadOnlyMemory<byte> context)
    {
        foreach (ulong id in Tracker.Members)
        {
            if (id != Id)
            {
                SendHeartbeat(id, context);
            }
        }
    }

    private void SendHeartbeat(ulong to, ReadOnlyMemory<byte> context)
    {
        // Never tell a follower to commit past what it is known to store: it might not have those entries.
        Progress pr = Tracker.Get(to)!;
        ulong commit = Math.Min(pr.Match, Log.Committed);
        Send(new Message { To = to, Type = MessageType.Heartbeat, Commit = commit, Context = context, Index = TotalTicks });
        pr.SentCommit = Math.Max(pr.SentCommit, commit);
    }

    private void HandleAppendEntries(Message m)
    {
        if (m.Index < Log.Committed)
        {
            // Everything up to our commit index matches any leader's log; tell the leader where we are.
            Send(new Message { To = m.From, Type = MessageType.AppendResponse, Index = Log.Committed, Commit = Log.Committed });
            return;
        }

        if (Log.TryAppend(m.Index, m.LogTerm, m.Commit, m.Entries, out ulong lastNewIndex))
        {
            Send(new Message { To = m.From, Type = MessageType.AppendResponse, Index = lastNewIndex, Commit = Log.Committed });
            return;
        }

        // Suggest where to probe next: the last index at or below the probe whose term is not newer than the
        // leader's term there (§5.3 optimization; the leader refines it against its own log).
        ulong hintIndex = Math.Min(m.Index, Log.LastIndex());
        (ulong index, ulong term) = Log.FindConflictByTerm(hintIndex, m.LogTerm);
        Send(new Message
        {
            To = m.From,
            Type = MessageType.AppendResponse,
            Index = m.Index,
            Reject = true,
            RejectHint = index,
            LogTerm = term,
        });
    }

    private void HandleHeartbeat(Message m)
    {
        Log.CommitTo(m.Commit);
        Send(new Message { To = m.From, Type = MessageType.HeartbeatResponse, Context = m.Context, Index = m.Index, Commit = Log.Committed });
    }

    private void HandleSnapshot(Message m)
    {
        Snapshot snapshot = m.Snapshot!;
        ulong index = RestoreSnapshot(snapshot) ? Log.LastIndex() : Log.Committed;
        Send(new Message { To = m.From, Type = MessageType.AppendResponse, Index = index, Commit = Log.Committed });
    }

    /// <summary>Replaces the log with <paramref name="snapshot"/>; false when it is old, already matched, or excludes this node.</summary>
    private bool RestoreSnapshot(Snapshot snapshot)
    {
        if (snapshot.Index <= Log.Committed)
        {
            return false;
        }

        Invariant.Check(Role == RaftRole.Follower, "only a follower installs a snapshot");
        ConfState members = snapshot.Metadata.ConfState;
        if (!members.Contains(Id))
        {
            // A snapshot from before we were added: installing it would leave us outside the cluster. Wait for a newer one.
            return false;
        }

        if (Log.MatchTerm(snapshot.Index, snapshot.Term))
        {
            // We already hold the snapshot's last entry, so our log agrees up to it: just commit that far.
            Log.CommitTo(snapshot.Index);
            return false;
        }

        Log.Restore(snapshot);
        Tracker.Reset(members, Log.LastIndex() + 1);
        IsLearner = members.IsLearner(Id);
        RemovedFromCluster = false;
        return true;
    }
}
