using System.Buffers.Binary;
using System.Diagnostics;
using Cairn.Raft;
using Cairn.Storage;

namespace Cairn.Server.Node;

/// <summary>
/// Linearizable reads by ReadIndex, batched: every read that arrives while no ReadIndex is being asked joins one
/// <see cref="ReadBatch"/>; the loop asks raft once for the whole batch and releases it when the state machine has
/// applied the confirmed index.
/// </summary>
public sealed partial class EtcdNode
{
    private readonly object _readLock = new();
    private readonly List<ReadBatch> _readsAwaitingIndex = [];
    private readonly List<ReadBatch> _readsAwaitingApply = [];
    private ReadBatch _openReads;
    private ulong _readSequence = 1;

    /// <inheritdoc />
    public Task ReadBarrierAsync(CancellationToken cancellationToken)
    {
        ThrowIfStopped();
        ReadBatch batch;
        lock (_readLock)
        {
            batch = _openReads;
            if (batch.Readers >= _options.MaxPendingReads)
            {
                throw NodeErrors.TooManyRequests.ToRpcException();
            }

            batch.Readers++;
        }

        Wake();
        if (_stopped.Task.IsCompleted)
        {
            batch.Fail(NodeErrors.Stopped);
        }

        return cancellationToken.CanBeCanceled ? batch.Task.WaitAsync(cancellationToken) : batch.Task;
    }

    /// <summary>Loop: closes the open batch (if anyone waits) and asks raft for a read index for it; retries batches
    /// that could not be asked (no leader yet).</summary>
    private void IssueReadIndex(long now)
    {
        ReadBatch? closed = null;
        lock (_readLock)
        {
            if (_openReads.Readers > 0)
            {
                closed = _openReads;
                _openReads = new ReadBatch { Sequence = ++_readSequence };
            }
        }

        if (closed is not null)
        {
            closed.DeadlineTimestamp = now + (long)(_options.RequestTimeout.TotalSeconds * Stopwatch.Frequency);
            _readsAwaitingIndex.Add(closed);
            AskReadIndex(closed, now);
        }
    }

    private void AskReadIndex(ReadBatch batch, long now)
    {
        if (!HasLiveLeader())
        {
            return;
        }

        batch.AskedTimestamp = now;
        byte[] context = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(context, batch.Sequence);
        _raft.ReadIndex(context);
    }

    private void OnReadState(ReadState state)
    {
        if (state.RequestContext.Length != 8)
        {
            return;
        }

        ulong sequence = BinaryPrimitives.ReadUInt64LittleEndian(state.RequestContext.Span);
        for (int i = 0; i < _readsAwaitingIndex.Count; i++)
        {
            ReadBatch batch = _readsAwaitingIndex[i];
            if (batch.Sequence <= sequence)
            {
                // A read index confirmed for a later batch also serves every earlier one (it was confirmed after they started).
                batch.ReadIndex = Math.Max(batch.ReadIndex, state.Index);
                _readsAwaitingApply.Add(batch);
                _readsAwaitingIndex.RemoveAt(i);
                i--;
            }
        }

        CompleteReadsUpTo(_appliedIndex);
    }

    private void CompleteReadsUpTo(ulong appliedIndex)
    {
        for (int i = 0; i < _readsAwaitingApply.Count; i++)
        {
            if (_readsAwaitingApply[i].ReadIndex <= appliedIndex)
            {
                _readsAwaitingApply[i].Complete();
                _readsAwaitingApply.RemoveAt(i);
                i--;
            }
        }
    }

    private void SweepTimedOutReads(long now)
    {
        for (int i = 0; i < _readsAwaitingIndex.Count; i++)
        {
            ReadBatch batch = _readsAwaitingIndex[i];
            if (batch.DeadlineTimestamp <= now)
            {
                batch.Fail(NodeErrors.Timeout);
                _readsAwaitingIndex.RemoveAt(i);
                i--;
            }
            else if (batch.AskedTimestamp == 0 || now - batch.AskedTimestamp > Stopwatch.Frequency / 2)
            {
                // Never asked (no live leader then), or not answered within half a second (dropped): ask again.
                AskReadIndex(batch, now);
            }
        }
    }

    private void FailAllReads(EtcdError error)
    {
        lock (_readLock)
        {
            _openReads.Fail(error);
        }

        foreach (ReadBatch batch in _readsAwaitingIndex)
        {
            batch.Fail(error);
        }

        foreach (ReadBatch batch in _readsAwaitingApply)
        {
            batch.Fail(error);
        }

        _readsAwaitingIndex.Clear();
        _readsAwaitingApply.Clear();
    }
}
