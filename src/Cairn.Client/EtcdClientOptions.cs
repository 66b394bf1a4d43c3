using Cairn.Protocol.Grpc;

namespace Cairn.Client;

/// <summary>How an <see cref="EtcdClient"/> connects. Defaults follow etcdctl 3.4 and clientv3.</summary>
public sealed class EtcdClientOptions
{
    /// <summary>
    /// Server endpoints (<c>--endpoints</c>): <c>host:port</c>, <c>http://host:port</c> or <c>https://host:port</c>. A bare
    /// <c>host:port</c> uses TLS when any TLS option is set, as etcdctl does. Calls go to one endpoint and fail over to the next.
    /// </summary>
    public IList<string> Endpoints { get; } = new List<string>();

    /// <summary>Separate HTTP/2 connections per endpoint; calls are spread over them round-robin (the benchmark's <c>--conns</c>).</summary>
    public int ConnectionsPerEndpoint { get; set; } = 1;

    /// <summary>How long to wait for a TCP (and TLS) connection (<c>--dial-timeout</c>).</summary>
    public TimeSpan DialTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Timeout applied to unary calls that do not set their own (etcdctl's <c>--command-timeout</c>); null for none.</summary>
    public TimeSpan? DefaultCallTimeout { get; set; }

    /// <summary>CA bundle (PEM) that server certificates must chain to (<c>--cacert</c>); null uses the system store.</summary>
    public string? CaFile { get; set; }

    /// <summary>Client certificate (PEM) for mutual TLS (<c>--cert</c>).</summary>
    public string? CertFile { get; set; }

    /// <summary>Private key (PEM) of <see cref="CertFile"/> (<c>--key</c>).</summary>
    public string? KeyFile { get; set; }

    /// <summary>Accept any server certificate (<c>--insecure-skip-tls-verify</c>). For testing only.</summary>
    public bool InsecureSkipVerify { get; set; }

    /// <summary>User name for etcd authentication (<c>--user</c>); the client calls Authenticate and sends the token with every call.</summary>
    public string? Username { get; set; }

    /// <summary>Password of <see cref="Username"/>.</summary>
    public string? Password { get; set; }

    /// <summary>Largest response message accepted (clientv3 default: 2^31-1).</summary>
    public int MaxReceiveMessageBytes { get; set; } = int.MaxValue;

    /// <summary>Largest request message sent (clientv3 default: 2 MiB).</summary>
    public int MaxSendMessageBytes { get; set; } = 2 * 1024 * 1024;

    /// <summary>Compress request messages with gzip (servers answer in kind).</summary>
    public GrpcCompression RequestCompression { get; set; } = GrpcCompression.Identity;

    /// <summary>Idle time with calls in flight before the client pings the server to check the connection.</summary>
    public TimeSpan KeepAlivePingDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a ping may go unanswered before the connection is considered dead.</summary>
    public TimeSpan KeepAlivePingTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>HTTP/2 receive window per stream; large values speed up big ranges and snapshots.</summary>
    public int InitialStreamWindowBytes { get; set; } = 1024 * 1024;

    /// <summary>The <c>client-api-version</c> metadata sent with every call, as clientv3 does.</summary>
    public string ClientApiVersion { get; set; } = "3.4";

    internal bool UsesTls => CaFile is not null || CertFile is not null || KeyFile is not null || InsecureSkipVerify;

    internal void Validate()
    {
        if (Endpoints.Count == 0)
        {
            throw new ArgumentException("no etcd endpoints given; pass at least one, e.g. --endpoints 127.0.0.1:2379");
        }

        if (ConnectionsPerEndpoint < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ConnectionsPerEndpoint), ConnectionsPerEndpoint, "need at least one connection per endpoint");
        }

        if ((CertFile is null) != (KeyFile is null))
        {
            throw new ArgumentException("a client certificate needs both --cert and --key");
        }

        if (MaxReceiveMessageBytes <= 0 || MaxSendMessageBytes <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxReceiveMessageBytes), "message size limits must be positive");
        }
    }
}
