using Cairn.Protocol.Etcd;
using Cairn.Storage.Mvcc;

namespace Cairn.Storage.Leases;

/// <summary>
/// The lease table (etcd reference §4.8). Replicated state — leases, TTLs, checkpointed remaining TTLs, attached
/// keys — changes only through apply (<see cref="Grant"/>, <see cref="Remove"/>, <see cref="ApplyCheckpoint"/>) and
/// never depends on a clock (apply only notes locally when a checkpoint arrived, to age it if this member leads later). Expiry is leader-local: the leader's clock (a <see cref="TimeProvider"/>) decides which leases
/// have expired (<see cref="FindExpired"/>) and the leader proposes their revocation.
/// </summary>
/// <remarks>One lock guards everything; apply, keepalives and reads hold it briefly.</remarks>
public sealed partial class Lessor : IKeyLeaseRegistry
{
    private readonly LeaseOptions _options;
    private readonly TimeProvider _time;
    private readonly Dictionary<long, Lease> _leases = [];
    private readonly object _lock = new();

    /// <summary>Creates an empty lease table; <paramref name="time"/> is the leader-local clock.</summary>
    public Lessor(LeaseOptions options, TimeProvider time)
    {
        options.Validate();
        _options = options;
        _time = time;
    }

    /// <summary>The options.</summary>
    public LeaseOptions Options => _options;

    /// <summary>Number of leases.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _leases.Count;
            }
        }
    }

    /// <summary>
    /// Applies a LeaseGrant. ID 0 is "lease not found" (the proposer must choose an ID, see
    /// <see cref="LeaseIdGenerator"/>); a TTL above the maximum is "too large lease TTL"; an existing ID is "lease
    /// already exists"; a TTL below the minimum is raised to it. Apply thread.
    /// </summary>
    public LeaseGrantResponse Grant(LeaseGrantRequest request)
    {
        if (request.ID == 0)
        {
            throw EtcdError.LeaseNotFound.ToException();
        }

        if (request.TTL > LeaseOptions.MaxTtlSeconds)
        {
            throw EtcdError.LeaseTtlTooLarge.ToException();
        }

        lock (_lock)
        {
            if (_leases.ContainsKey(request.ID))
            {
                throw EtcdError.LeaseExists.ToException();
            }

            var lease = new Lease(request.ID, Math.Max(request.TTL, _options.MinTtlSeconds));
            _leases.Add(lease.Id, lease);
            if (_isPrimary)
            {
                long now = NowMs();
                StartClock(lease, now, now);
            }

            return new LeaseGrantResponse { ID = lease.Id, TTL = lease.TtlSeconds };
        }
    }

    /// <summary>The keys attached to a lease, sorted (revocation deletes them in this order, as etcd does), or null
    /// if the lease does not exist.</summary>
    public List<byte[]>? KeysOf(long leaseId)
    {
        lock (_lock)
        {
            if (!_leases.TryGetValue(leaseId, out Lease? lease))
            {
                return null;
            }

            var keys = lease.Keys.ToList();
            keys.Sort(ByteArrayComparer.Instance);
            return keys;
        }
    }

    /// <summary>Removes a lease after its keys were deleted (revocation). Apply thread.</summary>
    public void Remove(long leaseId)
    {
        lock (_lock)
        {
            _leases.Remove(leaseId);
        }
    }

    /// <summary>Applies checkpoints of remaining TTL (unknown leases are ignored, as in etcd). Apply thread.</summary>
    public void ApplyCheckpoint(LeaseCheckpointRequest request)
    {
        lock (_lock)
        {
            foreach (LeaseCheckpoint checkpoint in request.Checkpoints)
            {
                if (_leases.TryGetValue(checkpoint.ID, out Lease? lease))
                {
                    lease.RemainingTtlSeconds = checkpoint.RemainingTTL;
                    lease.CheckpointAppliedMs = NowMs();
                }
            }
        }
    }

    /// <inheritdoc />
    public bool LeaseExists(long leaseId)
    {
        lock (_lock)
        {
            return _leases.ContainsKey(leaseId);
        }
    }

    /// <inheritdoc />
    public void Attach(long leaseId, byte[] key)
    {
        lock (_lock)
        {
            Invariant.Check(_leases.TryGetValue(leaseId, out Lease? lease), "attaching a key to a missing lease");
            lease.Keys.Add(key);
        }
    }

    /// <inheritdoc />
    public void Detach(long leaseId, byte[] key)
    {
        lock (_lock)
        {
            if (_leases.TryGetValue(leaseId, out Lease? lease))
            {
                lease.Keys.Remove(key);
            }
        }
    }

    /// <summary>LeaseTimeToLive: remaining whole seconds (truncated) and the granted TTL; an unknown lease gives
    /// TTL -1 and granted TTL 0, not an error. On a non-leader the remaining TTL is the checkpointed one (or the
    /// granted TTL): etcd forwards TimeToLive to the leader.</summary>
    public LeaseTimeToLiveResponse TimeToLive(long leaseId, bool includeKeys)
    {
        lock (_lock)
        {
            if (!_leases.TryGetValue(leaseId, out Lease? lease))
            {
                return new LeaseTimeToLiveResponse { ID = leaseId, TTL = -1 };
            }

            var response = new LeaseTimeToLiveResponse { ID = leaseId, TTL = RemainingSeconds(lease), GrantedTTL = lease.TtlSeconds };
            if (includeKeys)
            {
                var keys = lease.Keys.ToList();
                keys.Sort(ByteArrayComparer.Instance);
                foreach (byte[] key in keys)
                {
                    response.Keys.Add(Google.Protobuf.ByteString.CopyFrom(key));
                }
            }

            return response;
        }
    }

    /// <summary>LeaseTimeToLive as the leader answers it, or null when this member does not run the lease clocks.</summary>
    public LeaseTimeToLiveResponse? TimeToLiveOnPrimary(long leaseId, bool includeKeys)
    {
        lock (_lock)
        {
            return _isPrimary ? TimeToLive(leaseId, includeKeys) : null;
        }
    }

    /// <summary>LeaseLeases: every lease ID (sorted by ID; etcd's order is unspecified).</summary>
    public LeaseLeasesResponse Leases()
    {
        var response = new LeaseLeasesResponse();
        lock (_lock)
        {
            var ids = _leases.Keys.ToList();
            ids.Sort();
            foreach (long id in ids)
            {
                response.Leases.Add(new LeaseStatus { ID = id });
            }
        }

        return response;
    }

    /// <summary>The replicated state of every lease, sorted by ID (snapshots and hashing).</summary>
    public List<(long Id, long TtlSeconds, long RemainingTtlSeconds)> ExportState()
    {
        lock (_lock)
        {
            var state = _leases.Values.Select(l => (l.Id, l.TtlSeconds, l.RemainingTtlSeconds)).ToList();
            state.Sort((a, b) => a.Id.CompareTo(b.Id));
            return state;
        }
    }

    /// <summary>Restores a lease from a snapshot (keys are re-attached as the KV records are loaded). Apply thread.</summary>
    public void Restore(long id, long ttlSeconds, long remainingTtlSeconds)
    {
        lock (_lock)
        {
            var lease = new Lease(id, ttlSeconds) { RemainingTtlSeconds = remainingTtlSeconds, CheckpointAppliedMs = NowMs() };
            _leases[id] = lease;
            if (_isPrimary)
            {
                StartClock(lease, lease.CheckpointAppliedMs, lease.CheckpointAppliedMs);
            }
        }
    }

    /// <summary>Removes every lease (before restoring a snapshot). Apply thread.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _leases.Clear();
            _expiryQueue.Clear();
            _checkpointQueue.Clear();
        }
    }

    private long NowMs() => (long)_time.GetElapsedTime(0).TotalMilliseconds;
}
