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

    /// <summary>The TTL to count down from when (re)starting the clock: the checkpointed remaining TTL if any.</summary>
    public long EffectiveTtlSeconds => RemainingTtlSeconds > 0 ? RemainingTtlSeconds : TtlSeconds;
}
