using Cairn.Storage.Mvcc;

namespace Cairn.Storage.Leases;

/// <summary>One lease: replicated fields (ID, TTL, checkpointed remaining TTL, attached keys) and the leader-local
/// expiry time.</summary>
internal sealed class Lease
{
    public Lease(long id, long ttlSeconds)
    {
        Id = id;
        TtlSeconds = ttlSeconds;
    }

    public long Id { get; }

    /// <summary>Granted TTL (after clamping to the minimum).</summary>
    public long TtlSeconds { get; }

    /// <summary>Remaining TTL from the last applied checkpoint; 0 = none (the full TTL applies).</summary>
    public long RemainingTtlSeconds { get; set; }

    /// <summary>Keys currently attached (the MVCC index's key arrays).</summary>
    public HashSet<byte[]> Keys { get; } = new(ByteArrayComparer.Instance);

    /// <summary>Leader-local: monotonic time (ms) at which the lease expires; long.MaxValue when not primary.</summary>
    public long ExpiryMs { get; set; } = long.MaxValue;

    /// <summary>Local monotonic time (ms) at which <see cref="RemainingTtlSeconds"/> was applied (or restored).</summary>
    public long CheckpointAppliedMs { get; set; }

    /// <summary>Leader-local: when the next checkpoint of this lease is due; a queued entry with another due time is
    /// stale. long.MaxValue when none is scheduled.</summary>
    public long NextCheckpointMs { get; set; } = long.MaxValue;

    /// <summary>
    /// The milliseconds to count down from when (re)starting the clock at <paramref name="nowMs"/>: the checkpointed
    /// remaining TTL, less the time since this member applied it, or else the full TTL. The checkpoint was taken on
    /// the leader before it was applied here, so the aged value never ends before the lease really ends (unless a
    /// keepalive's clearing checkpoint was lost with the leader).
    /// </summary>
    public long EffectiveTtlMs(long nowMs) => RemainingTtlSeconds > 0
        ? Math.Max(0, (RemainingTtlSeconds * 1000) - (nowMs - CheckpointAppliedMs))
        : TtlSeconds * 1000;
}
