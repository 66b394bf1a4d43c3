namespace Cairn.Storage.Leases;

/// <summary>Lease limits and leader-side timing (etcd reference §4.8).</summary>
public sealed class LeaseOptions
{
    /// <summary>etcd's maximum TTL: a grant above it fails with "too large lease TTL".</summary>
    public const long MaxTtlSeconds = 9_000_000_000;

    /// <summary>Grants below this TTL are raised to it (etcd: ceil(1.5 × election timeout), 2 s by default). Must be
    /// the same on every member: it is applied inside the replicated state machine.</summary>
    public long MinTtlSeconds { get; init; } = 2;

    /// <summary>How often the leader checkpoints the remaining TTL of long leases (only leases whose remaining TTL
    /// exceeds this interval are checkpointed, as in etcd), so a new leader or a restart does not reset them to
    /// their full TTL.</summary>
    public long CheckpointIntervalMs { get; init; } = 5 * 60 * 1000;

    /// <summary>Maximum lease checkpoints returned per <see cref="Lessor.FindDueCheckpoints"/> call (etcd: 1000).</summary>
    public int MaxCheckpointsPerBatch { get; init; } = 1000;

    /// <summary>An expired lease whose revocation has not been applied is offered again for revocation after this
    /// long (etcd: 3 s), in case the revoke proposal was lost.</summary>
    public long ExpiredRetryIntervalMs { get; init; } = 3000;

    /// <summary>Checks the options and throws <see cref="ArgumentException"/> naming the bad one.</summary>
    public void Validate()
    {
        if (MinTtlSeconds < 1 || CheckpointIntervalMs < 1 || MaxCheckpointsPerBatch < 1 || ExpiredRetryIntervalMs < 1)
        {
            throw new ArgumentException(
                "LeaseOptions: MinTtlSeconds, CheckpointIntervalMs, MaxCheckpointsPerBatch and ExpiredRetryIntervalMs must be positive.");
        }
    }
}
