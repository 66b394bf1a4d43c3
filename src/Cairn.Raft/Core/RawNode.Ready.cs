namespace Cairn.Raft;

public sealed partial class RawNode
{
    private SoftState previousSoftState;
    private HardState previousHardState;
    private Ready? outstandingReady;

    /// <summary>Whether <see cref="Ready"/> has work to hand out. False while a Ready is outstanding (not yet advanced).</summary>
    public bool HasReady()
    {
        EnsureRunning();
        if (outstandingReady is not null)
        {
            return false;
        }

        HardState hardState = raft.HardState;
        return raft.SoftState != previousSoftState
            || (!hardState.IsEmpty && hardState != previousHardState)
            || raft.Log.Unstable.Entries.Count > 0
            || raft.Log.HasPendingSnapshot
            || raft.Outbox.Count > 0
            || raft.ReadStates.Count > 0
            || raft.Log.HasNextCommittedEntries();
    }

    /// <summary>
    /// Takes the accumulated work: what to persist, send and apply. Handle it as <see cref="Cairn.Raft.Ready"/>
    /// describes, then call <see cref="Advance"/> before asking for the next one. The node keeps accepting
    /// ticks, messages and requests in between.
    /// </summary>
    /// <exception cref="InvalidOperationException">The previous Ready has not been advanced.</exception>
    public Ready Ready()
    {
        EnsureRunning();
        if (outstandingReady is not null)
        {
            throw new InvalidOperationException("call Advance() after handling the previous Ready before asking for another");
        }

        try
        {
            Ready ready = BuildReady();
            outstandingReady = ready;
            return ready;
        }
        catch (Exception error) when (RecordFailure(error))
        {
            throw;
        }
    }

    /// <summary>
    /// Tells the node the last Ready was handled: its entries, hard state and snapshot are durable, its messages
    /// sent, its committed entries applied. A leader counts its own copy of new entries towards commitment now.
    /// </summary>
    /// <exception cref="InvalidOperationException">There is no outstanding Ready.</exception>
    public void Advance()
    {
        EnsureRunning();
        Ready ready = outstandingReady ?? throw new InvalidOperationException("Advance() called without an outstanding Ready");
        try
        {
            AdvanceAfter(ready);
            outstandingReady = null;
        }
        catch (Exception error) when (RecordFailure(error))
        {
            throw;
        }
    }

    private Ready BuildReady()
    {
        SoftState softState = raft.SoftState;
        HardState hardState = raft.HardState;
        if (hardState.Term < previousHardState.Term || hardState.Commit < previousHardState.Commit)
        {
            throw Invariant.Violated($"hard state went backwards from ({previousHardState}) to ({hardState})");
        }

        bool hardStateChanged = !hardState.IsEmpty && hardState != previousHardState;
        bool termOrVoteChanged = hardState.Term != previousHardState.Term || hardState.Vote != previousHardState.Vote;
        Snapshot? snapshot = raft.Log.Unstable.Snapshot;
        Entry[] entries = [.. raft.Log.Unstable.Entries];
        bool sendEarly = raft.Role == RaftRole.Leader && !termOrVoteChanged && snapshot is null;
#if RAFT_MUTATIONS
        if (raft.HasMutationAcknowledgeBeforePersisting)
        {
            sendEarly = true;
        }
#endif
        var ready = new Ready
        {
            SoftState = softState != previousSoftState ? softState : null,
            HardState = hardStateChanged ? hardState : null,
            Entries = entries,
            Snapshot = snapshot,
            CommittedEntries = raft.Log.TakeNextCommittedEntries(),
            Messages = raft.TakeOutbox(),
            ReadStates = raft.TakeReadStates(),
            MustSync = entries.Length > 0 || snapshot is not null || (hardStateChanged && termOrVoteChanged),
            CanSendMessagesBeforePersisting = sendEarly,
        };
        previousSoftState = softState;
        if (hardStateChanged)
        {
            previousHardState = hardState;
        }

        return ready;
    }

    private void AdvanceAfter(Ready ready)
    {
        if (ready.Snapshot is { } snapshot)
        {
            raft.Log.Unstable.StableSnapshotTo(snapshot.Index);
            raft.Log.AppliedSnapshot(snapshot.Index);
        }

        if (ready.Entries.Count > 0)
        {
            Entry last = ready.Entries[^1];
            raft.Log.Unstable.StableTo(last.Index, last.Term);
        }

        if (ready.CommittedEntries.Count > 0)
        {
            raft.Log.AppliedTo(ready.CommittedEntries[^1].Index);
            raft.ReduceUncommittedBytes(ready.CommittedEntries);
        }

        raft.OnEntriesPersisted();
    }
}
