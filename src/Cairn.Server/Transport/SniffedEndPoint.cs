using System.Net;
using System.Net.Sockets;

namespace Cairn.Server.Transport;

/// <summary>Which protocol a sniffed cleartext connection speaks.</summary>
public enum SniffedProtocol
{
    /// <summary>It opened with the HTTP/2 client preface (gRPC, h2c prior knowledge).</summary>
    Http2 = 0,

    /// <summary>Anything else: HTTP/1.x.</summary>
    Http1 = 1,
}

/// <summary>
/// One half of a sniffed client port as Kestrel sees it: the same TCP address, bound once, exposed to Kestrel as two
/// endpoints (HTTP/2-only and HTTP/1.1-only) so each connection reaches the protocol it speaks.
/// </summary>
public sealed class SniffedEndPoint(IPEndPoint address, SniffedProtocol protocol) : EndPoint
{
    /// <summary>The TCP address.</summary>
    public IPEndPoint Address { get; } = address;

    /// <summary>Which connections this endpoint receives.</summary>
    public SniffedProtocol Protocol { get; } = protocol;

    /// <inheritdoc/>
    public override AddressFamily AddressFamily => Address.AddressFamily;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is SniffedEndPoint other && other.Address.Equals(Address) && other.Protocol == Protocol;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Address, Protocol);

    /// <summary>The address alone, so Kestrel reports <c>http://127.0.0.1:2379</c> as the listening URL.</summary>
    public override string ToString() => Address.ToString();
}
