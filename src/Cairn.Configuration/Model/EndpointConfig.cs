namespace Cairn.Configuration;

/// <summary>Where a side (client or peer) listens, what it advertises, and its TLS.</summary>
public sealed record EndpointConfig
{
    /// <summary>URLs to listen on (<c>http://IP:port</c> or <c>https://IP:port</c>).</summary>
    public IReadOnlyList<Uri> ListenUrls { get; init; } = [];

    /// <summary>URLs other members and clients use to reach this member.</summary>
    public IReadOnlyList<Uri> AdvertiseUrls { get; init; } = [];

    /// <summary>TLS for this side; off unless a certificate and key are given.</summary>
    public TlsConfig Tls { get; init; } = new();
}
