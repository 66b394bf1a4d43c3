using Cairn.Protocol;
using Cairn.Protocol.Etcd;
using Cairn.Protocol.Health;
using Cairn.Server.Concurrency;
using Cairn.Server.Gateway;
using Cairn.Server.Watch;
using Cairn.Server.Node;

namespace Cairn.Server.Services;

/// <summary>
/// Registers every etcd service (KV, Watch, Lease, Maintenance, Cluster, Lock, Election) and grpc.health.v1.Health,
/// each once, for gRPC and (where etcd's gateway has the path) the JSON gateway.
/// </summary>
public static class EtcdServiceRegistration
{
    /// <summary>Adds every method of every etcd service for <paramref name="node"/>.</summary>
    public static GatewayServiceRegistry AddEtcdServices(this GatewayServiceRegistry registry, EtcdNode node, WatchServiceOptions watchOptions)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(watchOptions);
        var kv = new KvService(node);
        registry.AddUnary<RangeRequest, RangeResponse>(EtcdMethods.KV.Range, RangeRequest.Parser, kv.RangeAsync);
        registry.AddUnary<PutRequest, PutResponse>(EtcdMethods.KV.Put, PutRequest.Parser, kv.PutAsync);
        registry.AddUnary<DeleteRangeRequest, DeleteRangeResponse>(EtcdMethods.KV.DeleteRange, DeleteRangeRequest.Parser, kv.DeleteRangeAsync);
        registry.AddUnary<TxnRequest, TxnResponse>(EtcdMethods.KV.Txn, TxnRequest.Parser, kv.TxnAsync);
        registry.AddUnary<CompactionRequest, CompactionResponse>(EtcdMethods.KV.Compact, CompactionRequest.Parser, kv.CompactAsync);

        new WatchService(node, watchOptions).Register(registry);

        var lease = new LeaseService(node);
        registry.AddUnary<LeaseGrantRequest, LeaseGrantResponse>(EtcdMethods.Lease.LeaseGrant, LeaseGrantRequest.Parser, lease.LeaseGrantAsync);
        registry.AddUnary<LeaseRevokeRequest, LeaseRevokeResponse>(EtcdMethods.Lease.LeaseRevoke, LeaseRevokeRequest.Parser, lease.LeaseRevokeAsync);
        registry.AddBidiStreaming<LeaseKeepAliveRequest, LeaseKeepAliveResponse>(EtcdMethods.Lease.LeaseKeepAlive, LeaseKeepAliveRequest.Parser, lease.LeaseKeepAliveAsync);
        registry.AddUnary<LeaseTimeToLiveRequest, LeaseTimeToLiveResponse>(EtcdMethods.Lease.LeaseTimeToLive, LeaseTimeToLiveRequest.Parser, lease.LeaseTimeToLiveAsync);
        registry.AddUnary<LeaseLeasesRequest, LeaseLeasesResponse>(EtcdMethods.Lease.LeaseLeases, LeaseLeasesRequest.Parser, lease.LeaseLeasesAsync);

        var maintenance = new MaintenanceService(node);
        registry.AddUnary<StatusRequest, StatusResponse>(EtcdMethods.Maintenance.Status, StatusRequest.Parser, maintenance.StatusAsync);
        registry.AddUnary<AlarmRequest, AlarmResponse>(EtcdMethods.Maintenance.Alarm, AlarmRequest.Parser, maintenance.AlarmAsync);
        registry.AddUnary<HashRequest, HashResponse>(EtcdMethods.Maintenance.Hash, HashRequest.Parser, maintenance.HashAsync);
        registry.AddUnary<HashKVRequest, HashKVResponse>(EtcdMethods.Maintenance.HashKV, HashKVRequest.Parser, maintenance.HashKVAsync);
        registry.AddServerStreaming<SnapshotRequest, SnapshotResponse>(EtcdMethods.Maintenance.Snapshot, SnapshotRequest.Parser, maintenance.SnapshotAsync);
        registry.AddUnary<DefragmentRequest, DefragmentResponse>(EtcdMethods.Maintenance.Defragment, DefragmentRequest.Parser, maintenance.DefragmentAsync);
        registry.AddUnary<MoveLeaderRequest, MoveLeaderResponse>(EtcdMethods.Maintenance.MoveLeader, MoveLeaderRequest.Parser, maintenance.MoveLeaderAsync);

        var cluster = new ClusterService(node);
        registry.AddUnary<MemberListRequest, MemberListResponse>(EtcdMethods.Cluster.MemberList, MemberListRequest.Parser, cluster.MemberListAsync);
        registry.AddUnary<MemberAddRequest, MemberAddResponse>(EtcdMethods.Cluster.MemberAdd, MemberAddRequest.Parser, cluster.MemberAddAsync);
        registry.AddUnary<MemberRemoveRequest, MemberRemoveResponse>(EtcdMethods.Cluster.MemberRemove, MemberRemoveRequest.Parser, cluster.MemberRemoveAsync);
        registry.AddUnary<MemberUpdateRequest, MemberUpdateResponse>(EtcdMethods.Cluster.MemberUpdate, MemberUpdateRequest.Parser, cluster.MemberUpdateAsync);
        registry.AddUnary<MemberPromoteRequest, MemberPromoteResponse>(EtcdMethods.Cluster.MemberPromote, MemberPromoteRequest.Parser, cluster.MemberPromoteAsync);

        var health = new HealthService();
        registry.AddUnary<HealthCheckRequest, HealthCheckResponse>(EtcdMethods.Health.Check, HealthCheckRequest.Parser, health.CheckAsync);
        registry.AddServerStreaming<HealthCheckRequest, HealthCheckResponse>(EtcdMethods.Health.WatchMethod, HealthCheckRequest.Parser, health.WatchAsync);
        new LockService(node).Register(registry);
        new ElectionService(node).Register(registry);
        return registry;
    }
}
