using Cairn.Bench.Hpack;

namespace Cairn.Bench.Grpc;

/// <summary>The request headers of gRPC calls to one method on one server, as grpc-go's client sends them (no timeout, no metadata).</summary>
internal static class GrpcRequestHeaders
{
    /// <summary>Builds the header list of <paramref name="path"/> (e.g. <c>/etcdserverpb.KV/Range</c>) on <paramref name="authority"/>.</summary>
    public static HpackHeaderList Create(string authority, string path, string userAgent) => new(
    [
        (":method", "POST"),
        (":scheme", "http"),
        (":path", path),
        (":authority", authority),
        ("content-type", "application/grpc"),
        ("user-agent", userAgent),
        ("te", "trailers"),
    ]);
}
