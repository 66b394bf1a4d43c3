using Cairn.Protocol.Grpc;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Cairn.Server.Grpc;

/// <summary>Reads a call's protocol headers (<c>grpc-timeout</c>, <c>grpc-encoding</c>) and writes the response headers.</summary>
internal static class GrpcCallSetup
{
    private static readonly StringValues GzipValue = new(GrpcHeaders.GzipEncoding);

    /// <summary>
    /// Parses the request's timeout and message encoding. Returns the status to fail the call with when either is
    /// unusable, in grpc-go's wording.
    /// </summary>
    public static RpcException? TryParseRequestHeaders(HttpRequest request, out TimeSpan? timeout, out GrpcCompression compression)
    {
        timeout = null;
        IHeaderDictionary headers = request.Headers;
        StringValues encoding = headers.GrpcEncoding;
        if (!GrpcCompressionNames.TryParse(encoding.Count == 0 ? null : encoding[0], out compression))
        {
            return GrpcCompressionNames.UnsupportedEncoding(encoding[0] ?? string.Empty);
        }

        StringValues timeoutHeader = headers.GrpcTimeout;
        if (timeoutHeader.Count > 0)
        {
            string value = timeoutHeader[0] ?? string.Empty;
            if (!GrpcTimeout.TryParse(value, out TimeSpan parsed))
            {
                return new RpcException(GrpcStatusCode.Internal, $"transport: malformed grpc-timeout: \"{value}\"");
            }

            timeout = parsed;
        }

        return null;
    }

    /// <summary>Sets the headers of a response that carries messages. Must run before the first body byte is written.</summary>
    public static void SetResponseHeaders(HttpResponse response, GrpcCompression compression)
    {
        response.Headers.ContentType = GrpcResponseStatus.ContentType;
        if (compression == GrpcCompression.Gzip)
        {
            response.Headers.GrpcEncoding = GzipValue;
        }
    }
}
