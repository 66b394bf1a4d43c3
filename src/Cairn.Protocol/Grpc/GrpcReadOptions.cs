namespace Cairn.Protocol.Grpc;

/// <summary>How one side of a call reads the other side's messages.</summary>
/// <param name="MaxMessageBytes">The largest message accepted, before and after decompression.</param>
/// <param name="Compression">The peer's <c>grpc-encoding</c>: how messages flagged as compressed are decoded.</param>
/// <param name="Role">Which side is reading; it picks grpc-go's wording for undecodable messages.</param>
public readonly record struct GrpcReadOptions(int MaxMessageBytes, GrpcCompression Compression, GrpcPeerRole Role);

/// <summary>Which end of a call is acting.</summary>
public enum GrpcPeerRole
{
    /// <summary>The server, reading requests.</summary>
    Server = 0,

    /// <summary>The client, reading responses.</summary>
    Client = 1,
}

/// <summary>How one side of a call writes its messages.</summary>
/// <param name="MaxMessageBytes">The largest message this side may send.</param>
/// <param name="Compression">Whether messages are gzip-compressed (and flagged so).</param>
public readonly record struct GrpcWriteOptions(int MaxMessageBytes, GrpcCompression Compression);
