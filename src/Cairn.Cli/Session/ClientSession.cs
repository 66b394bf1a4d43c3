using System.Runtime.CompilerServices;
using Cairn.Cli.Settings;
using Cairn.Client;
using Cairn.Protocol.Etcd;
using Cairn.Protocol.Grpc;

namespace Cairn.Cli.Session;

/// <summary>
/// <see cref="IEtcdSession"/> over Cairn.Client's <see cref="EtcdClient"/>: the production connection of the client
/// verbs. gRPC failures become <see cref="EtcdCallException"/> carrying the server's exact message (what etcdctl
/// prints); a call cancelled by the verb's own deadline token surfaces as <see cref="OperationCanceledException"/>.
/// </summary>
public sealed class ClientSession : IEtcdSession
{
    private readonly EtcdClient client;

    private ClientSession(EtcdClient client) => this.client = client;

    /// <summary>Connects (lazily: the first call opens the connection) with the verb's settings.</summary>
    public static IEtcdSession Open(ClientSettings settings, IReadOnlyList<string> endpoints)
    {
        var options = new EtcdClientOptions
        {
            DialTimeout = settings.DialTimeout,
            CaFile = settings.CaCertFile,
            CertFile = settings.CertFile,
            KeyFile = settings.KeyFile,
            InsecureSkipVerify = settings.InsecureSkipTlsVerify,
            Username = settings.User,
            Password = settings.Password,
            KeepAlivePingDelay = settings.KeepAliveTime,
            KeepAlivePingTimeout = settings.KeepAliveTimeout,
        };
        foreach (string endpoint in endpoints)
        {
            options.Endpoints.Add(endpoint);
        }
        try
        {
            return new ClientSession(new EtcdClient(options));
        }
        catch (ArgumentException invalid)
        {
            throw CliException.Usage(invalid.Message);
        }
    }

    /// <inheritdoc />
    public Task<RangeResponse> RangeAsync(RangeRequest request, CancellationToken cancellation) => Call(() => client.KV.RangeAsync(request, cancellation), cancellation);

    /// <inheritdoc />
    public Task<PutResponse> PutAsync(PutRequest request, CancellationToken cancellation) => Call(() => client.KV.PutAsync(request, cancellation), cancellation);

    /// <inheritdoc />
    public Task<DeleteRangeResponse> DeleteRangeAsync(DeleteRangeRequest request, CancellationToken cancellation) => Call(() => client.KV.DeleteRangeAsync(request, cancellation), cancellation);

    /// <inheritdoc />
    public Task<TxnResponse> TxnAsync(TxnRequest request, CancellationToken cancellation) => Call(() => client.KV.TxnAsync(request, cancellation), cancellation);

    /// <inheritdoc />
    public Task<CompactionResponse> CompactAsync(CompactionRequest request, CancellationToken cancellation) => Call(() => client.KV.CompactAsync(request, cancellation), cancellation);

    /// <inheritdoc />
    public Task<LeaseGrantResponse> LeaseGrantAsync(LeaseGrantRequest request, CancellationToken cancellation) => Call(() => client.Lease.LeaseGrantAsync(request, cancellation), cancellation);

    /// <inheritdoc />
    public Task<LeaseRevokeResponse> LeaseRevokeAsync(LeaseRevokeRequest request, CancellationToken cancellation) => Call(() => client.Lease.LeaseRevokeAsync(request, cancellation), cancellation);

    /// <inheritdoc />
    public Task<LeaseTimeToLiveResponse> LeaseTimeToLiveAsync(LeaseTimeToLiveRequest request, CancellationToken cancellation) => Call(() => client.Lease.LeaseTimeToLiveAsync(request, cancellation), cancellation);

    /// <inheritdoc />
    public Task<LeaseLeasesResponse> LeaseLeasesAsync(LeaseLeasesRequest request, CancellationToken cancellation) => Call(() => client.Lease.LeaseLeasesAsync(request, cancellation), cancellation);

    /// <inheritdoc />
    public Task<MemberListResponse> MemberListAsync(MemberListRequest request, CancellationToken cancellation) => Call(() => client.Cluster.MemberListAsync(request, cancellation), cancellation);

    /// <inheritdoc />
    public Task<MemberAddResponse> MemberAddAsync(MemberAddRequest request, CancellationToken cancellation) => Call(() => client.Cluster.MemberAddAsync(request, cancellation), cancellation);

    /// <inheritdoc />
    public Task<MemberRemoveResponse> MemberRemoveAsync(MemberRemoveRequest request, CancellationToken cancellation) => Call(() => client.Cluster.MemberRemoveAsync(request, cancellation), cancellation);

    /// <inheritdoc />
    public Task<MemberUpdateResponse> MemberUpdateAsync(MemberUpdateRequest request, CancellationToken cancellation) => Call(() => client.Cluster.MemberUpdateAsync(request, cancellation), cancellation);

    /// <inheritdoc />
    public Task<MemberPromoteResponse> MemberPromoteAsync(MemberPromoteRequest request, CancellationToken cancellation) => Call(() => client.Cluster.MemberPromoteAsync(request, cancellation), cancellation);

    /// <inheritdoc />
    public Task<AlarmResponse> AlarmAsync(AlarmRequest request, CancellationToken cancellation) => Call(() => client.Maintenance.AlarmAsync(request, cancellation), cancellation);

    /// <inheritdoc />
    public Task<StatusResponse> StatusAsync(StatusRequest request, CancellationToken cancellation) => Call(() => client.Maintenance.StatusAsync(request, cancellation), cancellation);

    /// <inheritdoc />
    public Task<HashKVResponse> HashKVAsync(HashKVRequest request, CancellationToken cancellation) => Call(() => client.Maintenance.HashKVAsync(request, cancellation), cancellation);

    /// <inheritdoc />
    public Task<DefragmentResponse> DefragmentAsync(DefragmentRequest request, CancellationToken cancellation) => Call(() => client.Maintenance.DefragmentAsync(request, cancellation), cancellation);

    /// <inheritdoc />
    public Task<MoveLeaderResponse> MoveLeaderAsync(MoveLeaderRequest request, CancellationToken cancellation) => Call(() => client.Maintenance.MoveLeaderAsync(request, cancellation), cancellation);

    /// <inheritdoc />
    public async IAsyncEnumerable<SnapshotResponse> SnapshotAsync(SnapshotRequest request, [EnumeratorCancellation] CancellationToken cancellation)
    {
        await using var call = await Call(() => client.Maintenance.SnapshotAsync(request, cancellation), cancellation);
        while (await Call(() => call.ReadAsync(cancellation).AsTask(), cancellation) is { } chunk)
        {
            yield return chunk;
        }
    }

    /// <inheritdoc />
    public async Task<IDuplexCall<LeaseKeepAliveRequest, LeaseKeepAliveResponse>> LeaseKeepAliveAsync(CancellationToken cancellation) =>
        new KeepAliveCall(await Call(() => client.Lease.KeepAliveAsync(cancellation), cancellation));

    /// <inheritdoc />
    public async Task<IDuplexCall<WatchRequest, WatchResponse>> WatchAsync(CancellationToken cancellation) =>
        new WatchCall(await Call(() => client.Watch.OpenAsync(new CallOptions { CancellationToken = cancellation, RequireLeader = true }), cancellation));

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        client.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Longest pause between attempts to reach an endpoint that refuses connections.</summary>
    private static readonly TimeSpan MaxConnectBackoff = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Runs a call, translating gRPC failures into what the verbs report. Like etcdctl's gRPC client, a call that
    /// could not reach any endpoint (connection refused, so the request never left) is tried again until the
    /// verb's deadline, which then reports "context deadline exceeded"; a server that is just starting is reached.
    /// </summary>
    internal static async Task<T> Call<T>(Func<Task<T>> call, CancellationToken cancellation)
    {
        var backoff = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            try
            {
                return await call().ConfigureAwait(false);
            }
            catch (RpcException failure) when (cancellation.IsCancellationRequested)
            {
                throw new OperationCanceledException(failure.Message, failure, cancellation);
            }
            catch (RpcException failure) when (NeverLeft(failure) && cancellation.CanBeCanceled)
            {
                await Task.Delay(backoff, cancellation).ConfigureAwait(false);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxConnectBackoff.Ticks));
            }
            catch (RpcException failure)
            {
                throw new EtcdCallException((int)failure.StatusCode, failure.Message, failure);
            }
        }
    }

    // Cairn.Client reports a connection that could not be opened as grpc-go does: Unavailable "connection error: ...".
    private static bool NeverLeft(RpcException failure) =>
        failure.StatusCode == GrpcStatusCode.Unavailable && failure.Message.StartsWith("connection error:", StringComparison.Ordinal);

    private sealed class KeepAliveCall : IDuplexCall<LeaseKeepAliveRequest, LeaseKeepAliveResponse>
    {
        private readonly LeaseKeepAliveStream stream;

        public KeepAliveCall(LeaseKeepAliveStream stream) => this.stream = stream;

        public Task SendAsync(LeaseKeepAliveRequest request, CancellationToken cancellation) =>
            Call(async () => { await stream.KeepAliveAsync(request.ID, cancellation); return true; }, cancellation);

        public Task CompleteAsync()
        {
            stream.CompleteRequests();
            return Task.CompletedTask;
        }

        public Task<LeaseKeepAliveResponse?> ReadAsync(CancellationToken cancellation) => Call(() => stream.ReadAsync(cancellation).AsTask(), cancellation);

        public ValueTask DisposeAsync() => stream.DisposeAsync();
    }

    private sealed class WatchCall : IDuplexCall<WatchRequest, WatchResponse>
    {
        private readonly WatchStream stream;

        public WatchCall(WatchStream stream) => this.stream = stream;

        public Task SendAsync(WatchRequest request, CancellationToken cancellation) => Call(async () =>
        {
            switch (request.RequestUnionCase)
            {
                case WatchRequest.RequestUnionOneofCase.CreateRequest: await stream.CreateAsync(request.CreateRequest, cancellation); break;
                case WatchRequest.RequestUnionOneofCase.CancelRequest: await stream.CancelAsync(request.CancelRequest.WatchId, cancellation); break;
                case WatchRequest.RequestUnionOneofCase.ProgressRequest: await stream.RequestProgressAsync(cancellation); break;
            }
            return true;
        }, cancellation);

        public Task CompleteAsync()
        {
            stream.CompleteRequests();
            return Task.CompletedTask;
        }

        public Task<WatchResponse?> ReadAsync(CancellationToken cancellation) => Call(() => stream.ReadAsync(cancellation).AsTask(), cancellation);

        public ValueTask DisposeAsync() => stream.DisposeAsync();
    }
}
