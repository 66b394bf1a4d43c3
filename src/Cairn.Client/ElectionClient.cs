using Cairn.Client.Grpc;
using Cairn.Protocol;
using Cairn.Protocol.Etcd;

namespace Cairn.Client;

/// <summary>Calls to the server-side election service (<c>v3electionpb.Election</c>). Errors are thrown as <see cref="Cairn.Protocol.Grpc.RpcException"/> with the server's code and message.</summary>
public sealed class ElectionClient
{
    private readonly GrpcCallInvoker _invoker;

    internal ElectionClient(GrpcCallInvoker invoker) => _invoker = invoker;

    /// <summary>Calls <c>Campaign</c>.</summary>
    public Task<CampaignResponse> CampaignAsync(CampaignRequest request, CallOptions options = default) =>
        _invoker.UnaryAsync(EtcdMethods.Election.Campaign, request, CampaignResponse.Parser, RetryPolicy.NonRepeatable, options);

    /// <summary>Calls <c>Proclaim</c>.</summary>
    public Task<ProclaimResponse> ProclaimAsync(ProclaimRequest request, CallOptions options = default) =>
        _invoker.UnaryAsync(EtcdMethods.Election.Proclaim, request, ProclaimResponse.Parser, RetryPolicy.NonRepeatable, options);

    /// <summary>Calls <c>Leader</c>.</summary>
    public Task<LeaderResponse> LeaderAsync(LeaderRequest request, CallOptions options = default) =>
        _invoker.UnaryAsync(EtcdMethods.Election.Leader, request, LeaderResponse.Parser, RetryPolicy.NonRepeatable, options);

    /// <summary>Starts <c>Observe</c> (a stream of <see cref="LeaderResponse"/>).</summary>
    public Task<ServerStreamingCall<LeaderResponse>> ObserveAsync(LeaderRequest request, CallOptions options = default) =>
        _invoker.ServerStreamingAsync<LeaderRequest, LeaderResponse>(EtcdMethods.Election.Observe, request, LeaderResponse.Parser, options);

    /// <summary>Calls <c>Resign</c>.</summary>
    public Task<ResignResponse> ResignAsync(ResignRequest request, CallOptions options = default) =>
        _invoker.UnaryAsync(EtcdMethods.Election.Resign, request, ResignResponse.Parser, RetryPolicy.NonRepeatable, options);
}
