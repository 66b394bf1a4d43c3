namespace Cairn.Protocol;

/// <summary>
/// The gRPC paths (<c>:path</c>) of every etcd v3 method (reference §1), shared by the server's registrations and the client.
/// </summary>
public static class EtcdMethods
{
    /// <summary>Methods of <c>etcdserverpb.KV</c>.</summary>
    public static class KV
    {
        /// <summary>The service name, <c>etcdserverpb.KV</c>.</summary>
        public const string Service = "etcdserverpb.KV";

        /// <summary><c>/etcdserverpb.KV/Range</c>.</summary>
        public const string Range = "/etcdserverpb.KV/Range";

        /// <summary><c>/etcdserverpb.KV/Put</c>.</summary>
        public const string Put = "/etcdserverpb.KV/Put";

        /// <summary><c>/etcdserverpb.KV/DeleteRange</c>.</summary>
        public const string DeleteRange = "/etcdserverpb.KV/DeleteRange";

        /// <summary><c>/etcdserverpb.KV/Txn</c>.</summary>
        public const string Txn = "/etcdserverpb.KV/Txn";

        /// <summary><c>/etcdserverpb.KV/Compact</c>.</summary>
        public const string Compact = "/etcdserverpb.KV/Compact";
    }

    /// <summary>Methods of <c>etcdserverpb.Watch</c>.</summary>
    public static class Watch
    {
        /// <summary>The service name, <c>etcdserverpb.Watch</c>.</summary>
        public const string Service = "etcdserverpb.Watch";

        /// <summary><c>/etcdserverpb.Watch/Watch</c>.</summary>
        public const string WatchMethod = "/etcdserverpb.Watch/Watch";
    }

    /// <summary>Methods of <c>etcdserverpb.Lease</c>.</summary>
    public static class Lease
    {
        /// <summary>The service name, <c>etcdserverpb.Lease</c>.</summary>
        public const string Service = "etcdserverpb.Lease";

        /// <summary><c>/etcdserverpb.Lease/LeaseGrant</c>.</summary>
        public const string LeaseGrant = "/etcdserverpb.Lease/LeaseGrant";

        /// <summary><c>/etcdserverpb.Lease/LeaseRevoke</c>.</summary>
        public const string LeaseRevoke = "/etcdserverpb.Lease/LeaseRevoke";

        /// <summary><c>/etcdserverpb.Lease/LeaseKeepAlive</c>.</summary>
        public const string LeaseKeepAlive = "/etcdserverpb.Lease/LeaseKeepAlive";

        /// <summary><c>/etcdserverpb.Lease/LeaseTimeToLive</c>.</summary>
        public const string LeaseTimeToLive = "/etcdserverpb.Lease/LeaseTimeToLive";

        /// <summary><c>/etcdserverpb.Lease/LeaseLeases</c>.</summary>
        public const string LeaseLeases = "/etcdserverpb.Lease/LeaseLeases";
    }

    /// <summary>Methods of <c>etcdserverpb.Cluster</c>.</summary>
    public static class Cluster
    {
        /// <summary>The service name, <c>etcdserverpb.Cluster</c>.</summary>
        public const string Service = "etcdserverpb.Cluster";

        /// <summary><c>/etcdserverpb.Cluster/MemberAdd</c>.</summary>
        public const string MemberAdd = "/etcdserverpb.Cluster/MemberAdd";

        /// <summary><c>/etcdserverpb.Cluster/MemberRemove</c>.</summary>
        public const string MemberRemove = "/etcdserverpb.Cluster/MemberRemove";

        /// <summary><c>/etcdserverpb.Cluster/MemberUpdate</c>.</summary>
        public const string MemberUpdate = "/etcdserverpb.Cluster/MemberUpdate";

        /// <summary><c>/etcdserverpb.Cluster/MemberList</c>.</summary>
        public const string MemberList = "/etcdserverpb.Cluster/MemberList";

        /// <summary><c>/etcdserverpb.Cluster/MemberPromote</c>.</summary>
        public const string MemberPromote = "/etcdserverpb.Cluster/MemberPromote";
    }

    /// <summary>Methods of <c>etcdserverpb.Maintenance</c>.</summary>
    public static class Maintenance
    {
        /// <summary>The service name, <c>etcdserverpb.Maintenance</c>.</summary>
        public const string Service = "etcdserverpb.Maintenance";

        /// <summary><c>/etcdserverpb.Maintenance/Alarm</c>.</summary>
        public const string Alarm = "/etcdserverpb.Maintenance/Alarm";

        /// <summary><c>/etcdserverpb.Maintenance/Status</c>.</summary>
        public const string Status = "/etcdserverpb.Maintenance/Status";

        /// <summary><c>/etcdserverpb.Maintenance/Defragment</c>.</summary>
        public const string Defragment = "/etcdserverpb.Maintenance/Defragment";

        /// <summary><c>/etcdserverpb.Maintenance/Hash</c>.</summary>
        public const string Hash = "/etcdserverpb.Maintenance/Hash";

        /// <summary><c>/etcdserverpb.Maintenance/HashKV</c>.</summary>
        public const string HashKV = "/etcdserverpb.Maintenance/HashKV";

        /// <summary><c>/etcdserverpb.Maintenance/Snapshot</c>.</summary>
        public const string Snapshot = "/etcdserverpb.Maintenance/Snapshot";

        /// <summary><c>/etcdserverpb.Maintenance/MoveLeader</c>.</summary>
        public const string MoveLeader = "/etcdserverpb.Maintenance/MoveLeader";

        /// <summary><c>/etcdserverpb.Maintenance/Downgrade</c> (etcd 3.5+).</summary>
        public const string Downgrade = "/etcdserverpb.Maintenance/Downgrade";
    }

    /// <summary>Methods of <c>etcdserverpb.Auth</c>.</summary>
    public static class Auth
    {
        /// <summary>The service name, <c>etcdserverpb.Auth</c>.</summary>
        public const string Service = "etcdserverpb.Auth";

        /// <summary><c>/etcdserverpb.Auth/AuthEnable</c>.</summary>
        public const string AuthEnable = "/etcdserverpb.Auth/AuthEnable";

        /// <summary><c>/etcdserverpb.Auth/AuthDisable</c>.</summary>
        public const string AuthDisable = "/etcdserverpb.Auth/AuthDisable";

        /// <summary><c>/etcdserverpb.Auth/AuthStatus</c> (etcd 3.5+).</summary>
        public const string AuthStatus = "/etcdserverpb.Auth/AuthStatus";

        /// <summary><c>/etcdserverpb.Auth/Authenticate</c>.</summary>
        public const string Authenticate = "/etcdserverpb.Auth/Authenticate";

        /// <summary><c>/etcdserverpb.Auth/UserAdd</c>.</summary>
        public const string UserAdd = "/etcdserverpb.Auth/UserAdd";

        /// <summary><c>/etcdserverpb.Auth/UserGet</c>.</summary>
        public const string UserGet = "/etcdserverpb.Auth/UserGet";

        /// <summary><c>/etcdserverpb.Auth/UserList</c>.</summary>
        public const string UserList = "/etcdserverpb.Auth/UserList";

        /// <summary><c>/etcdserverpb.Auth/UserDelete</c>.</summary>
        public const string UserDelete = "/etcdserverpb.Auth/UserDelete";

        /// <summary><c>/etcdserverpb.Auth/UserChangePassword</c>.</summary>
        public const string UserChangePassword = "/etcdserverpb.Auth/UserChangePassword";

        /// <summary><c>/etcdserverpb.Auth/UserGrantRole</c>.</summary>
        public const string UserGrantRole = "/etcdserverpb.Auth/UserGrantRole";

        /// <summary><c>/etcdserverpb.Auth/UserRevokeRole</c>.</summary>
        public const string UserRevokeRole = "/etcdserverpb.Auth/UserRevokeRole";

        /// <summary><c>/etcdserverpb.Auth/RoleAdd</c>.</summary>
        public const string RoleAdd = "/etcdserverpb.Auth/RoleAdd";

        /// <summary><c>/etcdserverpb.Auth/RoleGet</c>.</summary>
        public const string RoleGet = "/etcdserverpb.Auth/RoleGet";

        /// <summary><c>/etcdserverpb.Auth/RoleList</c>.</summary>
        public const string RoleList = "/etcdserverpb.Auth/RoleList";

        /// <summary><c>/etcdserverpb.Auth/RoleDelete</c>.</summary>
        public const string RoleDelete = "/etcdserverpb.Auth/RoleDelete";

        /// <summary><c>/etcdserverpb.Auth/RoleGrantPermission</c>.</summary>
        public const string RoleGrantPermission = "/etcdserverpb.Auth/RoleGrantPermission";

        /// <summary><c>/etcdserverpb.Auth/RoleRevokePermission</c>.</summary>
        public const string RoleRevokePermission = "/etcdserverpb.Auth/RoleRevokePermission";
    }

    /// <summary>Methods of <c>v3lockpb.Lock</c>.</summary>
    public static class Lock
    {
        /// <summary>The service name, <c>v3lockpb.Lock</c>.</summary>
        public const string Service = "v3lockpb.Lock";

        /// <summary><c>/v3lockpb.Lock/Lock</c>.</summary>
        public const string LockMethod = "/v3lockpb.Lock/Lock";

        /// <summary><c>/v3lockpb.Lock/Unlock</c>.</summary>
        public const string Unlock = "/v3lockpb.Lock/Unlock";
    }

    /// <summary>Methods of <c>v3electionpb.Election</c>.</summary>
    public static class Election
    {
        /// <summary>The service name, <c>v3electionpb.Election</c>.</summary>
        public const string Service = "v3electionpb.Election";

        /// <summary><c>/v3electionpb.Election/Campaign</c>.</summary>
        public const string Campaign = "/v3electionpb.Election/Campaign";

        /// <summary><c>/v3electionpb.Election/Proclaim</c>.</summary>
        public const string Proclaim = "/v3electionpb.Election/Proclaim";

        /// <summary><c>/v3electionpb.Election/Leader</c>.</summary>
        public const string Leader = "/v3electionpb.Election/Leader";

        /// <summary><c>/v3electionpb.Election/Observe</c>.</summary>
        public const string Observe = "/v3electionpb.Election/Observe";

        /// <summary><c>/v3electionpb.Election/Resign</c>.</summary>
        public const string Resign = "/v3electionpb.Election/Resign";
    }

    /// <summary>Methods of the standard <c>grpc.health.v1.Health</c> service, which etcd also serves.</summary>
    public static class Health
    {
        /// <summary>The service name, <c>grpc.health.v1.Health</c>.</summary>
        public const string Service = "grpc.health.v1.Health";

        /// <summary><c>/grpc.health.v1.Health/Check</c>.</summary>
        public const string Check = "/grpc.health.v1.Health/Check";

        /// <summary><c>/grpc.health.v1.Health/Watch</c>.</summary>
        public const string WatchMethod = "/grpc.health.v1.Health/Watch";
    }
}
