namespace Cairn.Client;

/// <summary>Per-call settings. <c>default</c> means: the client's default timeout, no cancellation.</summary>
public readonly record struct CallOptions
{
    /// <summary>Creates options with a cancellation token.</summary>
    public CallOptions(CancellationToken cancellationToken) => CancellationToken = cancellationToken;

    /// <summary>How long the call may take (sent as <c>grpc-timeout</c> and enforced locally); null uses <see cref="EtcdClientOptions.DefaultCallTimeout"/>.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Cancels the call; the call then fails with <c>RpcException</c> status Canceled.</summary>
    public CancellationToken CancellationToken { get; init; }

    /// <summary>Sends <c>hasleader: true</c>: the server fails the call with <c>etcdserver: no leader</c> when it has no leader.</summary>
    public bool RequireLeader { get; init; }

    /// <summary>Options that only carry a cancellation token.</summary>
    public static implicit operator CallOptions(CancellationToken cancellationToken) => new(cancellationToken);

    /// <summary>Options that only carry a cancellation token (named alternative to the conversion).</summary>
    public static CallOptions FromCancellationToken(CancellationToken cancellationToken) => new(cancellationToken);
}
