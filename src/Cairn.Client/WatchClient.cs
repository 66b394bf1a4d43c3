using Cairn.Protocol;
using Cairn.Protocol.Etcd;

namespace Cairn.Client;

/// <summary>Watches (<c>etcdserverpb.Watch</c>): one stream carries any number of watchers.</summary>
public sealed class WatchClient
{
    private readonly Grpc.GrpcCallInvoker _invoker;

    internal WatchClient(Grpc.GrpcCallInvoker invoker) => _invoker = invoker;

    /// <summary>
    /// Opens a watch stream. etcdctl sets <see cref="CallOptions.RequireLeader"/> so the stream fails with
    /// <c>etcdserver: no leader</c> instead of going silent when the cluster loses its leader.
    /// </summary>
    public async Task<WatchStream> OpenAsync(CallOptions options = default) =>
        new(await _invoker.DuplexStreamingAsync<WatchRequest, WatchResponse>(EtcdMethods.Watch.WatchMethod, WatchResponse.Parser, options).ConfigureAwait(false));
}

/// <summary>
/// An open watch stream: send create, cancel and progress requests; read responses (created/canceled notices,
/// events, progress notifications) in order. One write and one read may be in progress at a time.
/// </summary>
public sealed class WatchStream : IAsyncDisposable
{
    private readonly DuplexStreamingCall<WatchRequest, WatchResponse> _call;

    internal WatchStream(DuplexStreamingCall<WatchRequest, WatchResponse> call) => _call = call;

    /// <summary>Asks for a new watcher; the server answers with a response whose <c>created</c> is true and carries its watch ID.</summary>
    public ValueTask CreateAsync(WatchCreateRequest request, CancellationToken cancellationToken = default) =>
        _call.WriteAsync(new WatchRequest { CreateRequest = request }, cancellationToken);

    /// <summary>Cancels a watcher; the server answers with <c>canceled</c> true (nothing for an unknown ID).</summary>
    public ValueTask CancelAsync(long watchId, CancellationToken cancellationToken = default) =>
        _call.WriteAsync(new WatchRequest { CancelRequest = new WatchCancelRequest { WatchId = watchId } }, cancellationToken);

    /// <summary>Asks for a progress notification (the current revision, once every watcher is in sync).</summary>
    public ValueTask RequestProgressAsync(CancellationToken cancellationToken = default) =>
        _call.WriteAsync(new WatchRequest { ProgressRequest = new WatchProgressRequest() }, cancellationToken);

    /// <summary>The next response, or null when the server ended the stream with OK.</summary>
    public ValueTask<WatchResponse?> ReadAsync(CancellationToken cancellationToken = default) => _call.ReadAsync(cancellationToken);

    /// <summary>All responses until the stream ends.</summary>
    public IAsyncEnumerable<WatchResponse> ReadAllAsync(CancellationToken cancellationToken = default) => _call.ReadAllAsync(cancellationToken);

    /// <summary>Half-closes: no more requests. Existing watchers keep delivering.</summary>
    public void CompleteRequests() => _call.CompleteRequests();

    /// <summary>Cancels the stream (and every watcher on it) if still open.</summary>
    public ValueTask DisposeAsync() => _call.DisposeAsync();
}
