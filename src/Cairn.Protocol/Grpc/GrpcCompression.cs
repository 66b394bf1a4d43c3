namespace Cairn.Protocol.Grpc;

/// <summary>The message encodings Cairn speaks (<c>grpc-encoding</c>).</summary>
public enum GrpcCompression
{
    /// <summary>Messages are not compressed (<c>identity</c>, or no header).</summary>
    Identity = 0,

    /// <summary>Messages flagged as compressed are gzip streams.</summary>
    Gzip = 1,
}

/// <summary>Maps <c>grpc-encoding</c> header values to <see cref="GrpcCompression"/>.</summary>
public static class GrpcCompressionNames
{
    /// <summary>Parses a <c>grpc-encoding</c> value; absent and empty mean identity. False for encodings Cairn cannot decode.</summary>
    public static bool TryParse(string? headerValue, out GrpcCompression compression)
    {
        compression = GrpcCompression.Identity;
        if (string.IsNullOrEmpty(headerValue) || headerValue == GrpcHeaders.IdentityEncoding)
        {
            return true;
        }

        if (headerValue == GrpcHeaders.GzipEncoding)
        {
            compression = GrpcCompression.Gzip;
            return true;
        }

        return false;
    }

    /// <summary>The error grpc-go gives when a peer uses an encoding it has no decompressor for.</summary>
    public static RpcException UnsupportedEncoding(string headerValue) =>
        new(GrpcStatusCode.Unimplemented, $"grpc: Decompressor is not installed for grpc-encoding \"{headerValue}\"");
}
