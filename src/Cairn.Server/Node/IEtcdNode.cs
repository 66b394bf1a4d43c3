namespace Cairn.Server.Node;
/// <summary>What the gRPC services need from the local member: its state, identity and the ways to change it.</summary>
public interface IEtcdNode
{
    /// <summary>The applied state: MVCC store, watch hub, leases, alarms, membership.</summary>
    Cairn.Storage.StateMachine.KvStateMachine State { get; }
    /// <summary>This member's id.</summary>
    ulong MemberId { get; }
    /// <summary>The cluster id.</summary>
    ulong ClusterId { get; }
    /// <summary>True while the member knows a leader (streams with require-leader end when it turns false).</summary>
    bool HasLeader { get; }
    /// <summary>Fills cluster_id, member_id, raft_term and the current revision into <paramref name="header"/>.</summary>
    Cairn.Protocol.Etcd.ResponseHeader FillHeader(Cairn.Protocol.Etcd.ResponseHeader header);
    /// <summary>Replicates <paramref name="request"/> through raft, applies it, and returns the apply result (throws RpcException with etcd's code/message on failure, e.g. "etcdserver: request timed out").</summary>
    Task<Cairn.Storage.StateMachine.ApplyResult> ProposeAsync(Cairn.Protocol.Internal.InternalRequest request, CancellationToken cancellationToken);
    /// <summary>Completes once this member has applied everything committed before the call (ReadIndex), so a linearizable read can use the local state.</summary>
    Task ReadBarrierAsync(CancellationToken cancellationToken);
}
