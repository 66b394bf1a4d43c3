using Cairn.Client.Grpc;
using Cairn.Protocol;
using Cairn.Protocol.Etcd;

namespace Cairn.Client;

/// <summary>Calls to leases (<c>etcdserverpb.Lease</c>). Errors are thrown as <see cref="Cairn.Protocol.Grpc.RpcException"/> with the server's code and message.</summary>
public sealed partial class LeaseClient
{
    private readonly GrpcCallInvoker _invoker;

    internal LeaseClient(GrpcCallInvoker invoker) => _invoker = invoker;

    /// <summary>Calls <c>LeaseGrant</c>.</summary>
    public Task<LeaseGrantResponse> LeaseGrantAsync(LeaseGrantRequest request, CallOptions options = default) =>
        _invoker.UnaryAsync(EtcdMethods.Lease.LeaseGrant, request, LeaseGrantResponse.Parser, RetryPolicy.Repeatable, options);

    /// <summary>Calls <c>LeaseRevoke</c>.</summary>
    public Task<LeaseRevokeResponse> LeaseRevokeAsync(LeaseRevokeRequest request, CallOptions options = default) =>
        _invoker.UnaryAsync(EtcdMethods.Lease.LeaseRevoke, request, LeaseRevokeResponse.Parser, RetryPolicy.Repeatable, options);

    /// <summary>Calls <c>LeaseTimeToLive</c>.</summary>
    public Task<LeaseTimeToLiveResponse> LeaseTimeToLiveAsync(LeaseTimeToLiveRequest request, CallOptions options = default) =>
        _invoker.UnaryAsync(EtcdMethods.Lease.LeaseTimeToLive, request, LeaseTimeToLiveResponse.Parser, RetryPolicy.Repeatable, options);

    /// <summary>Calls <c>LeaseLeases</c>.</summary>
    public Task<LeaseLeasesResponse> LeaseLeasesAsync(LeaseLeasesRequest request, CallOptions options = default) =>
        _invoker.UnaryAsync(EtcdMethods.Lease.LeaseLeases, request, LeaseLeasesResponse.Parser, RetryPolicy.Repeatable, options);
}
