namespace Cairn.Protocol.Grpc;

/// <summary>Header and trailer names and fixed values of the gRPC-over-HTTP/2 protocol (all lower case, as HTTP/2 requires).</summary>
public static class GrpcHeaders
{
    /// <summary><c>content-type</c>.</summary>
    public const string ContentType = "content-type";

    /// <summary>The content type of every gRPC request and response with the protobuf codec.</summary>
    public const string GrpcContentType = "application/grpc";

    /// <summary><c>te</c>; gRPC clients send <c>trailers</c>.</summary>
    public const string TE = "te";

    /// <summary>The one <c>te</c> value gRPC uses.</summary>
    public const string TETrailers = "trailers";

    /// <summary>Trailer (or trailers-only header) carrying the decimal status code.</summary>
    public const string Status = "grpc-status";

    /// <summary>Trailer carrying the percent-encoded status message.</summary>
    public const string Message = "grpc-message";

    /// <summary>Request header carrying the call's timeout (see <see cref="GrpcTimeout"/>).</summary>
    public const string Timeout = "grpc-timeout";

    /// <summary>The message encoding (compression) of the sender's messages.</summary>
    public const string Encoding = "grpc-encoding";

    /// <summary>The encodings the sender can decompress.</summary>
    public const string AcceptEncoding = "grpc-accept-encoding";

    /// <summary><c>user-agent</c>.</summary>
    public const string UserAgent = "user-agent";

    /// <summary>The encoding value for uncompressed messages.</summary>
    public const string IdentityEncoding = "identity";

    /// <summary>The encoding value for gzip-compressed messages.</summary>
    public const string GzipEncoding = "gzip";

    /// <summary>What Cairn advertises in <c>grpc-accept-encoding</c>.</summary>
    public const string SupportedEncodings = "identity,gzip";

    /// <summary>True when <paramref name="contentType"/> is <c>application/grpc</c> or a subtype such as <c>application/grpc+proto</c>.</summary>
    public static bool IsGrpcContentType(string? contentType)
    {
        if (contentType is null || !contentType.StartsWith(GrpcContentType, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (contentType.Length == GrpcContentType.Length)
        {
            return true;
        }

        char next = contentType[GrpcContentType.Length];
        return next is '+' or ';';
    }
}
