using Cairn.Client.Grpc;

namespace Cairn.Client;

/// <summary>
/// An etcd v3 client over gRPC (HTTP/2): the typed services below share the connections, the endpoint failover and
/// the auth token. Works against Cairn and against real etcd. Thread-safe; create one and reuse it.
/// </summary>
/// <example>
/// <code>
/// var options = new EtcdClientOptions { DefaultCallTimeout = TimeSpan.FromSeconds(5) };
/// options.Endpoints.Add("127.0.0.1:2379");
/// using var client = new EtcdClient(options);
/// await client.KV.PutAsync(new PutRequest { Key = ByteString.CopyFromUtf8("foo"), Value = ByteString.CopyFromUtf8("bar") });
/// </code>
/// </example>
public sealed class EtcdClient : IDisposable
{
    /// <summary>Creates the client. No connection is made until the first call.</summary>
    /// <exception cref="ArgumentException">The options are unusable (no endpoints, a malformed endpoint, half a client certificate).</exception>
    public EtcdClient(EtcdClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Invoker = new GrpcCallInvoker(options);
        if (options.Username is { } username)
        {
            Invoker.Auth = new AuthSession(Invoker, username, options.Password ?? string.Empty);
        }

        KV = new KvClient(Invoker);
        Watch = new WatchClient(Invoker);
        Lease = new LeaseClient(Invoker);
        Cluster = new ClusterClient(Invoker);
        Maintenance = new MaintenanceClient(Invoker);
        Auth = new AuthClient(Invoker);
        Lock = new LockClient(Invoker);
        Election = new ElectionClient(Invoker);
        Health = new HealthClient(Invoker);
    }

    /// <summary>A client for the given endpoints with default options.</summary>
    public static EtcdClient Connect(params string[] endpoints)
    {
        var options = new EtcdClientOptions();
        foreach (string endpoint in endpoints)
        {
            options.Endpoints.Add(endpoint);
        }

        return new EtcdClient(options);
    }

    /// <summary>Raw call access (any method path, per-endpoint calls).</summary>
    public GrpcCallInvoker Invoker { get; }

    /// <summary>Range, Put, DeleteRange, Txn, Compact.</summary>
    public KvClient KV { get; }

    /// <summary>Watch streams.</summary>
    public WatchClient Watch { get; }

    /// <summary>Grant, Revoke, KeepAlive, TimeToLive, Leases.</summary>
    public LeaseClient Lease { get; }

    /// <summary>Member add, remove, update, list, promote.</summary>
    public ClusterClient Cluster { get; }

    /// <summary>Alarm, Status, Defragment, Hash, HashKV, Snapshot, MoveLeader.</summary>
    public MaintenanceClient Maintenance { get; }

    /// <summary>Authenticate, users, roles, auth enable/disable.</summary>
    public AuthClient Auth { get; }

    /// <summary>The server-side Lock service.</summary>
    public LockClient Lock { get; }

    /// <summary>The server-side Election service.</summary>
    public ElectionClient Election { get; }

    /// <summary>grpc.health.v1 Check.</summary>
    public HealthClient Health { get; }

    /// <summary>The auth token in use, or null.</summary>
    public string? AuthToken => Invoker.Auth?.Token;

    /// <summary>Closes all connections.</summary>
    public void Dispose() => Invoker.Dispose();
}
