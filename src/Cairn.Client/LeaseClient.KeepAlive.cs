using Cairn.Protocol;
using Cairn.Protocol.Etcd;
using Cairn.Protocol.Grpc;

namespace Cairn.Client;

/// <summary>Lease keep-alive, which is a bidirectional stream.</summary>
public sealed partial class LeaseClient
{
    /// <summary>Opens a keep-alive stream: send lease IDs with <see cref="LeaseKeepAliveStream.KeepAliveAsync"/>, read the refreshed TTLs.</summary>
    public async Task<LeaseKeepAliveStream> KeepAliveAsync(CallOptions options = default) =>
        new(await _invoker.DuplexStreamingAsync<LeaseKeepAliveRequest, LeaseKeepAliveResponse>(
            EtcdMethods.Lease.LeaseKeepAlive, LeaseKeepAliveResponse.Parser, options).ConfigureAwait(false));

    /// <summary>Refreshes a lease once (etcdctl <c>lease keep-alive --once</c>). An unknown lease answers TTL 0, not an error.</summary>
    public async Task<LeaseKeepAliveResponse> KeepAliveOnceAsync(long leaseId, CallOptions options = default)
    {
        await using LeaseKeepAliveStream stream = await KeepAliveAsync(options).ConfigureAwait(false);
        await stream.KeepAliveAsync(leaseId, options.CancellationToken).ConfigureAwait(false);
        return await stream.ReadAsync(options.CancellationToken).ConfigureAwait(false)
            ?? throw new RpcException(GrpcStatusCode.Unavailable, "the server closed the keep-alive stream without answering");
    }
}

/// <summary>An open <c>LeaseKeepAlive</c> stream. One write and one read may be in progress at a time.</summary>
public sealed class LeaseKeepAliveStream : IAsyncDisposable
{
    private readonly DuplexStreamingCall<LeaseKeepAliveRequest, LeaseKeepAliveResponse> _call;

    internal LeaseKeepAliveStream(DuplexStreamingCall<LeaseKeepAliveRequest, LeaseKeepAliveResponse> call) => _call = call;

    /// <summary>Asks the server to refresh lease <paramref name="leaseId"/>.</summary>
    public ValueTask KeepAliveAsync(long leaseId, CancellationToken cancellationToken = default) =>
        _call.WriteAsync(new LeaseKeepAliveRequest { ID = leaseId }, cancellationToken);

    /// <summary>The next answer (lease ID and new TTL; TTL 0 means the lease does not exist), or null when the stream ended.</summary>
    public ValueTask<LeaseKeepAliveResponse?> ReadAsync(CancellationToken cancellationToken = default) => _call.ReadAsync(cancellationToken);

    /// <summary>Ends the request side; the server then ends the stream.</summary>
    public void CompleteRequests() => _call.CompleteRequests();

    /// <summary>Cancels the stream if still open.</summary>
    public ValueTask DisposeAsync() => _call.DisposeAsync();
}
