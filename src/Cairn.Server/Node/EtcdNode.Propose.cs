using System.Diagnostics;
using Cairn.Protocol.Etcd;
using Cairn.Protocol.Internal;
using Cairn.Raft;
using Cairn.Storage;
using Cairn.Storage.Alarms;
using Cairn.Storage.StateMachine;
using Google.Protobuf;

namespace Cairn.Server.Node;

/// <summary>
/// Proposals: callers encode their request and queue it (bounded by <see cref="NodeOptions.MaxPendingProposals"/>);
/// the loop registers everything queued under its request ID and hands it to raft as one batch; apply completes it.
/// </summary>
public sealed partial class EtcdNode
{
    private readonly Dictionary<ulong, PendingProposal> _registry = [];
    private readonly Queue<PendingProposal> _byAge = new();
    private readonly List<PendingProposal> _unproposed = [];
    private readonly List<PendingProposal> _stillUnproposed = [];
    private readonly List<PendingProposal> _batch = [];
    private readonly List<ReadOnlyMemory<byte>> _batchData = [];
    private int _raisingNoSpace;

    /// <inheritdoc />
    /// <remarks>A LeaseGrant with ID 0 gets an ID here (<see cref="LeaseIds"/>). Writes that add data are checked
    /// against the space quota first. An error the state machine returns is thrown too, so a returned result always
    /// carries its response.</remarks>
    public Task<ApplyResult> ProposeAsync(InternalRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.RequestCase == InternalRequest.RequestOneofCase.LeaseGrant && request.LeaseGrant.ID == 0)
        {
            request.LeaseGrant.ID = _leaseIds.Next();
        }

        try
        {
            CheckQuota(request);
            return WaitForResultAsync(Submit(request, confChange: null), cancellationToken);
        }
        catch (Cairn.Protocol.Grpc.RpcException refused)
        {
            Interlocked.Increment(ref _proposalsFailed);
            return Task.FromException<ApplyResult>(refused);
        }
    }

    /// <summary>Proposes a membership change whose context is <paramref name="request"/> (member add, remove, update or
    /// promote), waits until it is applied, and returns the result.</summary>
    public Task<ApplyResult> ProposeMembershipChangeAsync(ConfChangeType type, ulong nodeId, InternalRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        PendingProposal pending = Submit(request, type, nodeId);
        return WaitForResultAsync(pending, cancellationToken);
    }

    private PendingProposal Submit(InternalRequest request, ConfChangeType? confChange, ulong nodeId = 0)
    {
        ThrowIfStopped();
        if (Interlocked.Increment(ref _pendingClientProposals) > _options.MaxPendingProposals)
        {
            Interlocked.Decrement(ref _pendingClientProposals);
            throw NodeErrors.TooManyRequests.ToRpcException();
        }

        request.Id = _requestIds.Next();
        byte[] data = request.ToByteArray();
        if (data.Length > _options.MaxRequestBytes)
        {
            Interlocked.Decrement(ref _pendingClientProposals);
            throw EtcdError.RequestTooLarge.ToRpcException();
        }

        ConfChange? change = confChange is ConfChangeType type ? new ConfChange(type, nodeId, data) : null;
        PendingProposal pending = PendingProposal.ForClient(request.Id, request, data, change);
        _proposalQueue.Enqueue(pending);
        Wake();
        FailQueuedIfStopped();
        return pending;
    }

    /// <summary>Proposes a request of the member itself (lease revoke, checkpoint, alarm, membership bootstrap);
    /// <paramref name="onDone"/> runs on the loop thread with the result, or null if it failed. Thread-safe.</summary>
    private void ProposeInternal(InternalRequest request, Action<ApplyResult?>? onDone = null)
    {
        request.Id = _requestIds.Next();
        _proposalQueue.Enqueue(PendingProposal.Internal(request.Id, request, request.ToByteArray(), onDone));
        Wake();
    }

    private async Task<ApplyResult> WaitForResultAsync(PendingProposal pending, CancellationToken cancellationToken)
    {
        ApplyResult result;
        try
        {
            if (cancellationToken.CanBeCanceled)
            {
                using CancellationTokenRegistration registration = cancellationToken.UnsafeRegister(
                    static (state, token) => ((PendingProposal)state!).TryCancel(token), pending);
                result = await pending.Completion!.Task.ConfigureAwait(false);
            }
            else
            {
                result = await pending.Completion!.Task.ConfigureAwait(false);
            }
        }
        catch
        {
            Interlocked.Increment(ref _proposalsFailed);
            throw;
        }

        if (result.Error is EtcdError error)
        {
            throw error.ToRpcException();
        }

        return result;
    }

    /// <summary>etcd's quota check before proposing: a write that does not fit raises the NOSPACE alarm for this member
    /// and fails with "database space exceeded".</summary>
    private void CheckQuota(InternalRequest request)
    {
        long cost = QuotaGuard.Cost(request);
        if (cost == 0 || _quota.IsAvailable(cost))
        {
            return;
        }

        if (!State.Alarms.IsActive(AlarmType.Nospace) && Interlocked.Exchange(ref _raisingNoSpace, 1) == 0)
        {
            NodeLog.QuotaExceeded(_log, _quota.QuotaBytes);
            var alarm = new AlarmRequest { Action = AlarmRequest.Types.AlarmAction.Activate, MemberID = MemberId, Alarm = AlarmType.Nospace };
            ProposeInternal(new InternalRequest { Alarm = alarm }, _ => Volatile.Write(ref _raisingNoSpace, 0));
        }

        throw EtcdError.NoSpace.ToRpcException();
    }

    /// <summary>Loop: registers everything queued and proposes what can be proposed (all of it when a live leader is known).</summary>
    private void DrainProposals(long now)
    {
        long deadline = now + (long)(_options.RequestTimeout.TotalSeconds * Stopwatch.Frequency);
        while (_proposalQueue.TryDequeue(out PendingProposal? pending))
        {
            pending.DeadlineTimestamp = deadline;
            _registry[pending.Id] = pending;
            _byAge.Enqueue(pending);
            _unproposed.Add(pending);
        }

        if (_unproposed.Count > 0 && HasLiveLeader())
        {
            ProposeUnproposed();
        }
    }

    private void ProposeUnproposed()
    {
        _stillUnproposed.Clear();
        int batchBytes = 0;
        foreach (PendingProposal pending in _unproposed)
        {
            if (pending.IsCompleted)
            {
                // Cancelled by its caller before it reached raft: drop it.
                _registry.Remove(pending.Id);
                Retire(pending);
                continue;
            }

            if (pending.ConfChange is ConfChange change)
            {
                FlushBatch();
                batchBytes = 0;
                if (!_raft.ProposeConfChange(change))
                {
                    _stillUnproposed.Add(pending);
                }

                continue;
            }

            if (_batch.Count >= _options.MaxProposalBatch || batchBytes + pending.Data.Length > _options.MaxProposalBatchBytes)
            {
                FlushBatch();
                batchBytes = 0;
            }

            _batch.Add(pending);
            _batchData.Add(pending.Data);
            batchBytes += pending.Data.Length;
        }

        FlushBatch();
        _unproposed.Clear();
        _unproposed.AddRange(_stillUnproposed);
        _stillUnproposed.Clear();
    }

    /// <summary>One raft proposal for the whole batch: one log append, one WAL sync, one Append per follower.</summary>
    private void FlushBatch()
    {
        if (_batch.Count == 0)
        {
            return;
        }

        if (!_raft.ProposeBatch(_batchData))
        {
            // Dropped (no leader, transfer in progress, uncommitted limit): retried on the next iteration until the deadline.
            _stillUnproposed.AddRange(_batch);
        }

        _batch.Clear();
        _batchData.Clear();
    }

    private void SweepTimedOut(long now)
    {
        while (_byAge.TryPeek(out PendingProposal? oldest))
        {
            if (!_registry.TryGetValue(oldest.Id, out PendingProposal? registered) || !ReferenceEquals(registered, oldest))
            {
                _byAge.Dequeue();
                continue;
            }

            if (oldest.DeadlineTimestamp > now)
            {
                break;
            }

            _byAge.Dequeue();
            _registry.Remove(oldest.Id);
            oldest.TryFail(_unproposed.Remove(oldest) ? NodeErrors.NotProposedInTime : NodeErrors.Timeout);
            Retire(oldest);
        }

        SweepTimedOutReads(now);
    }

    private void Retire(PendingProposal pending)
    {
        if (pending.FromClient)
        {
            Interlocked.Decrement(ref _pendingClientProposals);
        }
    }

    /// <summary>A caller that queued just as the loop stopped must not wait forever.</summary>
    private void FailQueuedIfStopped()
    {
        if (_stopped.Task.IsCompleted)
        {
            while (_proposalQueue.TryDequeue(out PendingProposal? queued))
            {
                queued.TryFail(NodeErrors.Stopped);
                Retire(queued);
            }
        }
    }

    private void FailEverythingPending(EtcdError error)
    {
        foreach (PendingProposal pending in _registry.Values)
        {
            pending.TryFail(error);
            Retire(pending);
        }

        _registry.Clear();
        _byAge.Clear();
        _unproposed.Clear();
        while (_proposalQueue.TryDequeue(out PendingProposal? queued))
        {
            queued.TryFail(error);
            Retire(queued);
        }

        FailAllReads(error);
    }
}
