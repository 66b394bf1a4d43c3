namespace Cairn.Configuration;

/// <summary>Limits that protect the server from oversized or too many requests.</summary>
public sealed record LimitsConfig
{
    /// <summary>Largest client request accepted (etcd default 1.5 MiB); larger ones fail with etcd's error.</summary>
    public int MaxRequestBytes { get; init; } = 1_572_864;

    /// <summary>Most operations in one transaction (etcd default 128).</summary>
    public int MaxTxnOps { get; init; } = 128;

    /// <summary>Concurrent HTTP/2 streams (gRPC calls) per client connection.</summary>
    public int MaxConcurrentStreams { get; init; } = 10_000;
}
