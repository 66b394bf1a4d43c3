using Cairn.Protocol.Etcd;

namespace Cairn.Cli.Session;

/// <summary>
/// The etcd v3 calls the client verbs make, on a connection to one or more endpoints. Unary calls fail with
/// <see cref="EtcdCallException"/>. The production implementation wraps Cairn.Client; tests use fakes.
/// </summary>
public interface IEtcdSession : IAsyncDisposable
{
    /// <summary>KV.Range</summary>
    Task<RangeResponse> RangeAsync(RangeRequest request, CancellationToken cancellation);

    /// <summary>KV.Put</summary>
    Task<PutResponse> PutAsync(PutRequest request, CancellationToken cancellation);

    /// <summary>KV.DeleteRange</summary>
    Task<DeleteRangeResponse> DeleteRangeAsync(DeleteRangeRequest request, CancellationToken cancellation);

    /// <summary>KV.Txn</summary>
    Task<TxnResponse> TxnAsync(TxnRequest request, CancellationToken cancellation);

    /// <summary>KV.Compact</summary>
    Task<CompactionResponse> CompactAsync(CompactionRequest request, CancellationToken cancellation);

    /// <summary>Lease.LeaseGrant</summary>
    Task<LeaseGrantResponse> LeaseGrantAsync(LeaseGrantRequest request, CancellationToken cancellation);

    /// <summary>Lease.LeaseRevoke</summary>
    Task<LeaseRevokeResponse> LeaseRevokeAsync(LeaseRevokeRequest request, CancellationToken cancellation);

    /// <summary>Lease.LeaseTimeToLive</summary>
    Task<LeaseTimeToLiveResponse> LeaseTimeToLiveAsync(LeaseTimeToLiveRequest request, CancellationToken cancellation);

    /// <summary>Lease.LeaseLeases</summary>
    Task<LeaseLeasesResponse> LeaseLeasesAsync(LeaseLeasesRequest request, CancellationToken cancellation);

    /// <summary>Opens a Lease.LeaseKeepAlive stream.</summary>
    Task<IDuplexCall<LeaseKeepAliveRequest, LeaseKeepAliveResponse>> LeaseKeepAliveAsync(CancellationToken cancellation);

    /// <summary>Opens a Watch.Watch stream (with etcd's require-leader metadata, as etcdctl sends).</summary>
    Task<IDuplexCall<WatchRequest, WatchResponse>> WatchAsync(CancellationToken cancellation);

    /// <summary>Cluster.MemberList</summary>
    Task<MemberListResponse> MemberListAsync(MemberListRequest request, CancellationToken cancellation);

    /// <summary>Cluster.MemberAdd</summary>
    Task<MemberAddResponse> MemberAddAsync(MemberAddRequest request, CancellationToken cancellation);

    /// <summary>Cluster.MemberRemove</summary>
    Task<MemberRemoveResponse> MemberRemoveAsync(MemberRemoveRequest request, CancellationToken cancellation);

    /// <summary>Cluster.MemberUpdate</summary>
    Task<MemberUpdateResponse> MemberUpdateAsync(MemberUpdateRequest request, CancellationToken cancellation);

    /// <summary>Cluster.MemberPromote</summary>
    Task<MemberPromoteResponse> MemberPromoteAsync(MemberPromoteRequest request, CancellationToken cancellation);

    /// <summary>Maintenance.Alarm</summary>
    Task<AlarmResponse> AlarmAsync(AlarmRequest request, CancellationToken cancellation);

    /// <summary>Maintenance.Status</summary>
    Task<StatusResponse> StatusAsync(StatusRequest request, CancellationToken cancellation);

    /// <summary>Maintenance.HashKV</summary>
    Task<HashKVResponse> HashKVAsync(HashKVRequest request, CancellationToken cancellation);

    /// <summary>Maintenance.Defragment</summary>
    Task<DefragmentResponse> DefragmentAsync(DefragmentRequest request, CancellationToken cancellation);

    /// <summary>Maintenance.MoveLeader</summary>
    Task<MoveLeaderResponse> MoveLeaderAsync(MoveLeaderRequest request, CancellationToken cancellation);

    /// <summary>Maintenance.Snapshot: the server stream of snapshot chunks.</summary>
    IAsyncEnumerable<SnapshotResponse> SnapshotAsync(SnapshotRequest request, CancellationToken cancellation);
}

/// <summary>A bidirectional streaming call: requests are sent while responses are read.</summary>
public interface IDuplexCall<in TRequest, TResponse> : IAsyncDisposable
{
    /// <summary>Sends one request message.</summary>
    Task SendAsync(TRequest request, CancellationToken cancellation);

    /// <summary>Ends the request side of the stream.</summary>
    Task CompleteAsync();

    /// <summary>Reads the next response; null when the server ended the stream without an error.</summary>
    Task<TResponse?> ReadAsync(CancellationToken cancellation);
}

/// <summary>Connects sessions; verbs that address endpoints one by one connect one session per endpoint.</summary>
public interface IEtcdSessionFactory
{
    /// <summary>Connects to <paramref name="endpoints"/> with <paramref name="settings"/> (TLS, auth, timeouts).</summary>
    Task<IEtcdSession> ConnectAsync(Settings.ClientSettings settings, IReadOnlyList<string> endpoints, CancellationToken cancellation);
}

/// <summary>
/// A failed etcd call. <see cref="Exception.Message"/> is what etcdctl prints after "Error: " (for a server error,
/// the gRPC status message such as "etcdserver: requested lease not found"; for a timeout "context deadline
/// exceeded").
/// </summary>
public sealed class EtcdCallException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EtcdCallException(int statusCode, string message, Exception? inner = null)
        : base(message, inner)
    {
        StatusCode = statusCode;
    }

    /// <summary>The gRPC status code (e.g. 5 NotFound, 4 DeadlineExceeded, 14 Unavailable).</summary>
    public int StatusCode { get; }
}
