using Cairn.Protocol.Etcd;
using Cairn.Server.Grpc;
using Cairn.Server.Node;

namespace Cairn.Server.Services;

/// <summary>
/// <c>etcdserverpb.Cluster</c>: the member list, and membership changes as raft configuration changes with etcd
/// 3.4's strict reconfiguration checks. Cluster responses carry no revision in their header (reference §4.1).
/// </summary>
public sealed class ClusterService
{
    private readonly EtcdNode _node;

    /// <summary>Creates the service for <paramref name="node"/>.</summary>
    public ClusterService(EtcdNode node) => _node = node;

    /// <summary>MemberList: every member, sorted by ID.</summary>
    public ValueTask<MemberListResponse> MemberListAsync(MemberListRequest request, ServerCallContext call)
    {
        MemberListResponse response = _node.State.Cluster.List();
        response.Header = _node.ClusterHeader();
        return new ValueTask<MemberListResponse>(response);
    }

    /// <summary>MemberAdd (a voter or, with <c>isLearner</c>, a learner).</summary>
    public async ValueTask<MemberAddResponse> MemberAddAsync(MemberAddRequest request, ServerCallContext call)
    {
        AuthGate.Check(call);
        return await _node.AddMemberAsync(request.PeerURLs, request.IsLearner, call.CancellationToken).ConfigureAwait(false);
    }

    /// <summary>MemberRemove.</summary>
    public async ValueTask<MemberRemoveResponse> MemberRemoveAsync(MemberRemoveRequest request, ServerCallContext call)
    {
        AuthGate.Check(call);
        return await _node.RemoveMemberAsync(request.ID, call.CancellationToken).ConfigureAwait(false);
    }

    /// <summary>MemberUpdate (new peer URLs).</summary>
    public async ValueTask<MemberUpdateResponse> MemberUpdateAsync(MemberUpdateRequest request, ServerCallContext call)
    {
        AuthGate.Check(call);
        return await _node.UpdateMemberAsync(request.ID, request.PeerURLs, call.CancellationToken).ConfigureAwait(false);
    }

    /// <summary>MemberPromote (learner to voter).</summary>
    public async ValueTask<MemberPromoteResponse> MemberPromoteAsync(MemberPromoteRequest request, ServerCallContext call)
    {
        AuthGate.Check(call);
        return await _node.PromoteMemberAsync(request.ID, call.CancellationToken).ConfigureAwait(false);
    }
}
