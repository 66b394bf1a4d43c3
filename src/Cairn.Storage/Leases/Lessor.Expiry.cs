using Cairn.Protocol.Etcd;

namespace Cairn.Storage.Leases;

/// <summary>
/// Leader-local lease clocks: keepalive, expiry detection and remaining-TTL checkpoints. None of this is replicated;
/// its effects reach the state only through proposals the leader makes (LeaseRevoke, LeaseCheckpoint).
/// </summary>
public sealed partial class Lessor
{
    private readonly PriorityQueue<long, long> _expiryQueue = new();
    private readonly PriorityQueue<long, long> _checkpointQueue = new();
    private bool _isPrimary;

    /// <summary>True while this member runs the lease clocks (it is the leader).</summary>
    public bool IsPrimary
    {
        get
        {
            lock (_lock)
            {
                return _isPrimary;
            }
        }
    }

    /// <summary>
    /// Becomes primary (leader): every lease's clock restarts from its checkpointed remaining TTL (or its full TTL)
    /// plus <paramref name="extendMs"/>, the grace etcd gives after an election.
    /// </summary>
    public void Promote(long extendMs)
    {
        lock (_lock)
        {
            _isPrimary = true;
            _expiryQueue.Clear();
            _checkpointQueue.Clear();
            long now = NowMs() + extendMs;
            foreach (Lease lease in _leases.Values)
            {
                StartClock(lease, now);
            }
        }
    }

    /// <summary>Stops being primary: leases no longer expire here.</summary>
    public void Demote()
    {
        lock (_lock)
        {
            _isPrimary = false;
            _expiryQueue.Clear();
            _checkpointQueue.Clear();
            foreach (Lease lease in _leases.Values)
            {
                lease.ExpiryMs = long.MaxValue;
            }
        }
    }

    /// <summary>A keepalive: restarts the lease's clock at its granted TTL (leader only).</summary>
    public LeaseRenewResult Renew(long leaseId)
    {
        lock (_lock)
        {
            if (!_isPrimary)
            {
                return new LeaseRenewResult(LeaseRenewStatus.NotPrimary, -1, false);
            }

            long now = NowMs();
            if (!_leases.TryGetValue(leaseId, out Lease? lease) || lease.ExpiryMs <= now)
            {
                // An expired lease is as good as revoked: its revocation is on its way through the log.
                return new LeaseRenewResult(LeaseRenewStatus.NotFound, 0, false);
            }

            bool clearCheckpoint = lease.RemainingTtlSeconds > 0;
            lease.ExpiryMs = now + (lease.TtlSeconds * 1000);
            _expiryQueue.Enqueue(lease.Id, lease.ExpiryMs);
            ScheduleCheckpoint(lease, now);
            return new LeaseRenewResult(LeaseRenewStatus.Renewed, lease.TtlSeconds, clearCheckpoint);
        }
    }

    /// <summary>
    /// Leases whose TTL has run out, for the leader to propose LeaseRevoke; at most <paramref name="max"/>. A lease
    /// returned here is offered again after <see cref="LeaseOptions.ExpiredRetryIntervalMs"/> if it is still not
    /// revoked then.
    /// </summary>
    public List<long> FindExpired(int max)
    {
        var expired = new List<long>();
        lock (_lock)
        {
            if (!_isPrimary)
            {
                return expired;
            }

            long now = NowMs();
            while (expired.Count < max && _expiryQueue.TryPeek(out long id, out long dueMs) && dueMs <= now)
            {
                _expiryQueue.Dequeue();
                if (!_leases.TryGetValue(id, out Lease? lease) || lease.ExpiryMs > now)
                {
                    continue;
                }

                expired.Add(id);
                _expiryQueue.Enqueue(id, now + _options.ExpiredRetryIntervalMs);
            }
        }

        return expired;
    }

    /// <summary>Remaining-TTL checkpoints that are due, for the leader to propose as one LeaseCheckpointRequest.</summary>
    public LeaseCheckpointRequest FindDueCheckpoints()
    {
        var request = new LeaseCheckpointRequest();
        lock (_lock)
        {
            if (!_isPrimary)
            {
                return request;
            }

            long now = NowMs();
            while (request.Checkpoints.Count < _options.MaxCheckpointsPerBatch
                   && _checkpointQueue.TryPeek(out long id, out long dueMs) && dueMs <= now)
            {
                _checkpointQueue.Dequeue();
                if (!_leases.TryGetValue(id, out Lease? lease) || lease.ExpiryMs <= now)
                {
                    continue;
                }

                long remaining = (long)Math.Ceiling((lease.ExpiryMs - now) / 1000.0);
                if (remaining < lease.TtlSeconds)
                {
                    request.Checkpoints.Add(new LeaseCheckpoint { ID = id, RemainingTTL = remaining });
                }

                ScheduleCheckpoint(lease, now);
            }
        }

        return request;
    }

    private void StartClock(Lease lease, long nowMs)
    {
        lease.ExpiryMs = nowMs + (lease.EffectiveTtlSeconds * 1000);
        _expiryQueue.Enqueue(lease.Id, lease.ExpiryMs);
        ScheduleCheckpoint(lease, nowMs);
    }

    /// <summary>Only leases that outlive a checkpoint interval are checkpointed (etcd's rule).</summary>
    private void ScheduleCheckpoint(Lease lease, long nowMs)
    {
        if (lease.ExpiryMs - nowMs > _options.CheckpointIntervalMs)
        {
            _checkpointQueue.Enqueue(lease.Id, nowMs + _options.CheckpointIntervalMs);
        }
    }

    private long RemainingSeconds(Lease lease)
    {
        if (!_isPrimary)
        {
            return lease.EffectiveTtlSeconds;
        }

        return Math.Max(0, (lease.ExpiryMs - NowMs()) / 1000);
    }
}
