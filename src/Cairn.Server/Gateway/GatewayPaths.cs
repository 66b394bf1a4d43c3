using System.Collections.Frozen;
using Cairn.Protocol;

namespace Cairn.Server.Gateway;

/// <summary>
/// The JSON gateway's HTTP paths for each gRPC method, as etcd 3.4's <c>google.api.http</c> annotations define them
/// (reference §1), including the legacy <c>/v3/kv/lease/*</c> aliases.
/// </summary>
/// <remarks>
/// etcd 3.4 annotates both Hash and HashKV with <c>/v3/maintenance/hash</c> and its gateway routes that path to Hash,
/// so HashKV has no HTTP path (3.5 moved it to <c>/v3/maintenance/hashkv</c>). Cairn follows 3.4: HashKV is gRPC only.
/// The 3.5-only methods (Downgrade, AuthStatus) get their 3.5 paths so a 3.5 client finds them when they exist.
/// </remarks>
public static class GatewayPaths
{
    private static readonly FrozenDictionary<string, string[]> HttpPathsByMethod = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        [EtcdMethods.KV.Range] = ["/v3/kv/range"],
        [EtcdMethods.KV.Put] = ["/v3/kv/put"],
        [EtcdMethods.KV.DeleteRange] = ["/v3/kv/deleterange"],
        [EtcdMethods.KV.Txn] = ["/v3/kv/txn"],
        [EtcdMethods.KV.Compact] = ["/v3/kv/compaction"],
        [EtcdMethods.Watch.WatchMethod] = ["/v3/watch"],
        [EtcdMethods.Lease.LeaseGrant] = ["/v3/lease/grant"],
        [EtcdMethods.Lease.LeaseRevoke] = ["/v3/lease/revoke", "/v3/kv/lease/revoke"],
        [EtcdMethods.Lease.LeaseKeepAlive] = ["/v3/lease/keepalive"],
        [EtcdMethods.Lease.LeaseTimeToLive] = ["/v3/lease/timetolive", "/v3/kv/lease/timetolive"],
        [EtcdMethods.Lease.LeaseLeases] = ["/v3/lease/leases", "/v3/kv/lease/leases"],
        [EtcdMethods.Cluster.MemberAdd] = ["/v3/cluster/member/add"],
        [EtcdMethods.Cluster.MemberRemove] = ["/v3/cluster/member/remove"],
        [EtcdMethods.Cluster.MemberUpdate] = ["/v3/cluster/member/update"],
        [EtcdMethods.Cluster.MemberList] = ["/v3/cluster/member/list"],
        [EtcdMethods.Cluster.MemberPromote] = ["/v3/cluster/member/promote"],
        [EtcdMethods.Maintenance.Alarm] = ["/v3/maintenance/alarm"],
        [EtcdMethods.Maintenance.Status] = ["/v3/maintenance/status"],
        [EtcdMethods.Maintenance.Defragment] = ["/v3/maintenance/defragment"],
        [EtcdMethods.Maintenance.Hash] = ["/v3/maintenance/hash"],
        [EtcdMethods.Maintenance.Snapshot] = ["/v3/maintenance/snapshot"],
        [EtcdMethods.Maintenance.MoveLeader] = ["/v3/maintenance/transfer-leadership"],
        [EtcdMethods.Maintenance.Downgrade] = ["/v3/maintenance/downgrade"],
        [EtcdMethods.Auth.AuthEnable] = ["/v3/auth/enable"],
        [EtcdMethods.Auth.AuthDisable] = ["/v3/auth/disable"],
        [EtcdMethods.Auth.AuthStatus] = ["/v3/auth/status"],
        [EtcdMethods.Auth.Authenticate] = ["/v3/auth/authenticate"],
        [EtcdMethods.Auth.UserAdd] = ["/v3/auth/user/add"],
        [EtcdMethods.Auth.UserGet] = ["/v3/auth/user/get"],
        [EtcdMethods.Auth.UserList] = ["/v3/auth/user/list"],
        [EtcdMethods.Auth.UserDelete] = ["/v3/auth/user/delete"],
        [EtcdMethods.Auth.UserChangePassword] = ["/v3/auth/user/changepw"],
        [EtcdMethods.Auth.UserGrantRole] = ["/v3/auth/user/grant"],
        [EtcdMethods.Auth.UserRevokeRole] = ["/v3/auth/user/revoke"],
        [EtcdMethods.Auth.RoleAdd] = ["/v3/auth/role/add"],
        [EtcdMethods.Auth.RoleGet] = ["/v3/auth/role/get"],
        [EtcdMethods.Auth.RoleList] = ["/v3/auth/role/list"],
        [EtcdMethods.Auth.RoleDelete] = ["/v3/auth/role/delete"],
        [EtcdMethods.Auth.RoleGrantPermission] = ["/v3/auth/role/grant"],
        [EtcdMethods.Auth.RoleRevokePermission] = ["/v3/auth/role/revoke"],
        [EtcdMethods.Lock.LockMethod] = ["/v3/lock/lock"],
        [EtcdMethods.Lock.Unlock] = ["/v3/lock/unlock"],
        [EtcdMethods.Election.Campaign] = ["/v3/election/campaign"],
        [EtcdMethods.Election.Proclaim] = ["/v3/election/proclaim"],
        [EtcdMethods.Election.Leader] = ["/v3/election/leader"],
        [EtcdMethods.Election.Observe] = ["/v3/election/observe"],
        [EtcdMethods.Election.Resign] = ["/v3/election/resign"],
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The HTTP paths of a gRPC method; empty when the gateway does not expose it (HashKV, health).</summary>
    public static IReadOnlyList<string> For(string grpcPath) =>
        HttpPathsByMethod.TryGetValue(grpcPath, out string[]? paths) ? paths : [];
}
