using Cairn.Client.Grpc;
using Cairn.Protocol;
using Cairn.Protocol.Etcd;

namespace Cairn.Client;

/// <summary>Calls to cluster membership (<c>etcdserverpb.Cluster</c>). Errors are thrown as <see cref="Cairn.Protocol.Grpc.RpcException"/> with the server's code and message.</summary>
public sealed class ClusterClient
{
    private readonly GrpcCallInvoker _invoker;

    internal ClusterClient(GrpcCallInvoker invoker) => _invoker = invoker;

    /// <summary>Calls <c>MemberAdd</c>.</summary>
    public Task<MemberAddResponse> MemberAddAsync(MemberAddRequest request, CallOptions options = default) =>
        _invoker.UnaryAsync(EtcdMethods.Cluster.MemberAdd, request, MemberAddResponse.Parser, RetryPolicy.NonRepeatable, options);

    /// <summary>Calls <c>MemberRemove</c>.</summary>
    public Task<MemberRemoveResponse> MemberRemoveAsync(MemberRemoveRequest request, CallOptions options = default) =>
        _invoker.UnaryAsync(EtcdMethods.Cluster.MemberRemove, request, MemberRemoveResponse.Parser, RetryPolicy.NonRepeatable, options);

    /// <summary>Calls <c>MemberUpdate</c>.</summary>
    public Task<MemberUpdateResponse> MemberUpdateAsync(MemberUpdateRequest request, CallOptions options = default) =>
        _invoker.UnaryAsync(EtcdMethods.Cluster.MemberUpdate, request, MemberUpdateResponse.Parser, RetryPolicy.NonRepeatable, options);

    /// <summary>Calls <c>MemberList</c>.</summary>
    public Task<MemberListResponse> MemberListAsync(MemberListRequest request, CallOptions options = default) =>
        _invoker.UnaryAsync(EtcdMethods.Cluster.MemberList, request, MemberListResponse.Parser, RetryPolicy.Repeatable, options);

    /// <summary>Calls <c>MemberPromote</c>.</summary>
    public Task<MemberPromoteResponse> MemberPromoteAsync(MemberPromoteRequest request, CallOptions options = default) =>
        _invoker.UnaryAsync(EtcdMethods.Cluster.MemberPromote, request, MemberPromoteResponse.Parser, RetryPolicy.NonRepeatable, options);
}
