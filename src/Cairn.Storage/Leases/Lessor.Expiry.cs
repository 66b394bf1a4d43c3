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
            long now = NowMs();
            foreach (Lease lease in _leases.Values)
            {
                StartClock(lease, now + extendMs, now);
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
                lease.NextCheckpointMs = long.MaxValue;
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
                return new LeaseRenewResult(LeaseRenewStatus.NotPrimary, -1);
            }

            long now = NowMs();
            if (!_leases.TryGetValue(leaseId, out Lease? lease) || lease.ExpiryMs <= now)
            {
                // An expired lease is as good as revoked: its revocation is on its way through the log.
                return new LeaseRenewResult(LeaseRenewStatus.NotFound, 0);
            }

            lease.ExpiryMs = now + (lease.TtlSeconds * 1000);
            _expiryQueue.Enqueue(lease.Id, lease.ExpiryMs);

            // A checkpointed remaining TTL is stale now: the next checkpoint batch clears it (one raft entry per tick for
            // all renewals, not one per keepalive), so a later leader does not end the renewed lease early.
            ScheduleCheckpoint(lease, lease.RemainingTtlSeconds > 0 ? now : now + CheckpointPeriodMs(lease));
            return new LeaseRenewResult(LeaseRenewStatus.Renewed, lease.TtlSeconds);
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
                if (!_leases.TryGetValue(id, out Lease? lease) || lease.NextCheckpointMs != dueMs || lease.ExpiryMs <= now)
                {
                    continue;
                }

                long remainingMs = lease.ExpiryMs - now;
                long remaining = (long)Math.Ceiling(remainingMs / 1000.0);
                if (remaining < lease.TtlSeconds)
                {
                    request.Checkpoints.Add(new LeaseCheckpoint { ID = id, RemainingTTL = remaining });
                }
                else if (lease.RemainingTtlSeconds > 0)
                {
                    request.Checkpoints.Add(new LeaseCheckpoint { ID = id, RemainingTTL = 0 });
                }

                long periodMs = CheckpointPeriodMs(lease);
                lease.NextCheckpointMs = long.MaxValue;
                if (remainingMs > periodMs)
                {
                    ScheduleCheckpoint(lease, now + periodMs);
                }
            }
        }

        return request;
    }

    /// <summary>Starts a lease's clock at <paramref name="startMs"/> (now, or now plus the election grace).</summary>
    private void StartClock(Lease lease, long startMs, long nowMs)
    {
        lease.ExpiryMs = startMs + lease.EffectiveTtlMs(nowMs);
        _expiryQueue.Enqueue(lease.Id, lease.ExpiryMs);
        long periodMs = CheckpointPeriodMs(lease);
        if (lease.ExpiryMs - nowMs > periodMs)
        {
            ScheduleCheckpoint(lease, nowMs + periodMs);
        }
    }

    private void ScheduleCheckpoint(Lease lease, long dueMs)
    {
        lease.NextCheckpointMs = dueMs;
        _checkpointQueue.Enqueue(lease.Id, dueMs);
    }

    /// <summary>
    /// How often a lease's remaining TTL is checkpointed: a tenth of its TTL (at least a second), at most
    /// <see cref="LeaseOptions.CheckpointIntervalMs"/>. So after a leader change a lease ends at most a tenth of its TTL
    /// (plus the election grace) later than it would have, instead of a whole TTL later.
    /// </summary>
    private long CheckpointPeriodMs(Lease lease) =>
        Math.Min(_options.CheckpointIntervalMs, Math.Max(1000, lease.TtlSeconds * 100));

    private long RemainingSeconds(Lease lease)
    {
        if (!_isPrimary)
        {
            return lease.EffectiveTtlMs(NowMs()) / 1000;
        }

        return Math.Max(0, (lease.ExpiryMs - NowMs()) / 1000);
    }
}
