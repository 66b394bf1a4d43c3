using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Cairn.Server.Transport;

/// <summary>
/// The client port: where it listens, whether it speaks TLS, and the HTTP/2 limits for gRPC. Defaults follow etcd.
/// </summary>
public sealed class ClientPortOptions
{
    /// <summary>Addresses to listen on (etcd's <c>--listen-client-urls</c>). Each serves gRPC and HTTP/1.1 on the same port.</summary>
    public IList<IPEndPoint> ListenEndPoints { get; } = new List<IPEndPoint>();

    /// <summary>
    /// The server certificate (with private key). When set, every listen address speaks TLS and ALPN picks
    /// <c>h2</c> (gRPC) or <c>http/1.1</c> per connection; when null, connections are cleartext and sniffed.
    /// </summary>
    public X509Certificate2? ServerCertificate { get; set; }

    /// <summary>Further TLS settings (client certificates, protocols), applied after <see cref="ServerCertificate"/>.</summary>
    public Action<HttpsConnectionAdapterOptions>? ConfigureHttps { get; set; }

    /// <summary>How long a new cleartext connection may stay silent before the server closes it unclassified.</summary>
    public TimeSpan FirstBytesTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Cleartext connections accepted but not yet classified; beyond this new connections are closed at once.</summary>
    public int MaxUnclassifiedConnections { get; set; } = 1024;

    /// <summary>Pending connection queue of the listening socket.</summary>
    public int ListenBacklog { get; set; } = 512;

    /// <summary>Concurrent HTTP/2 streams (calls) per connection. etcd's default is unlimited; so is this (2^31-1).</summary>
    public int MaxConcurrentStreamsPerConnection { get; set; } = int.MaxValue;

    /// <summary>HTTP/2 receive window of a connection: how much request data all its streams may have in flight.</summary>
    public int InitialConnectionWindowBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>HTTP/2 receive window of one stream; 2 MiB lets a maximum-size etcd request arrive without waiting for window updates.</summary>
    public int InitialStreamWindowBytes { get; set; } = 2 * 1024 * 1024;

    /// <summary>Idle time after which the server pings a connection to check it is alive (etcd: 2 h).</summary>
    public TimeSpan KeepAlivePingDelay { get; set; } = TimeSpan.FromHours(2);

    /// <summary>How long the server waits for a ping answer before closing the connection (etcd: 20 s).</summary>
    public TimeSpan KeepAlivePingTimeout { get; set; } = TimeSpan.FromSeconds(20);

    internal bool UsesTls => ServerCertificate is not null || ConfigureHttps is not null;

    internal void Validate()
    {
        if (ListenEndPoints.Count == 0)
        {
            throw new ArgumentException("the client port needs at least one listen address (listen-client-urls)");
        }

        if (FirstBytesTimeout <= TimeSpan.Zero || MaxUnclassifiedConnections <= 0 || ListenBacklog <= 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(FirstBytesTimeout),
                "client port limits must be positive (first-bytes timeout, unclassified connections, listen backlog)");
        }
    }
}
