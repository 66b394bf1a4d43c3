using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Cairn.Protocol.Grpc;

namespace Cairn.Client.Grpc;

/// <summary>Reads the gRPC protocol out of an HTTP response: status (headers or trailers), encoding, and HTTP-level failures.</summary>
internal static class GrpcResponseHeaders
{
    /// <summary>
    /// Checks the response headers. Returns the call's final status when the response already carries it (a
    /// trailers-only response, or an HTTP error), else null; <paramref name="compression"/> is the server's message encoding.
    /// </summary>
    public static RpcException? Check(HttpResponseMessage response, out GrpcCompression compression, out bool trailersOnlyOk)
    {
        compression = GrpcCompression.Identity;
        trailersOnlyOk = false;
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return FromHttpStatus(response);
        }

        if (TryReadStatus(response.Headers, out GrpcStatusCode code, out string message))
        {
            trailersOnlyOk = code == GrpcStatusCode.OK;
            return code == GrpcStatusCode.OK ? null : new RpcException(code, message);
        }

        string? contentType = FirstValue(response.Content.Headers, GrpcHeaders.ContentType);
        if (!GrpcHeaders.IsGrpcContentType(contentType))
        {
            return new RpcException(GrpcStatusCode.Unknown, $"transport: received unexpected content-type \"{contentType}\"");
        }

        string? encoding = FirstValue(response.Headers, GrpcHeaders.Encoding);
        return GrpcCompressionNames.TryParse(encoding, out compression) ? null : GrpcCompressionNames.UnsupportedEncoding(encoding!);
    }

    /// <summary>The status in the trailers; a response that ended without one is Internal, as in grpc-go.</summary>
    public static RpcException? ReadTrailers(HttpResponseMessage response)
    {
        if (TryReadStatus(response.TrailingHeaders, out GrpcStatusCode code, out string message))
        {
            return code == GrpcStatusCode.OK ? null : new RpcException(code, message);
        }

        return new RpcException(GrpcStatusCode.Internal, "server closed the stream without sending trailers");
    }

    private static bool TryReadStatus(HttpHeaders headers, out GrpcStatusCode code, out string message)
    {
        code = GrpcStatusCode.Unknown;
        message = string.Empty;
        string? status = FirstValue(headers, GrpcHeaders.Status);
        if (status is null)
        {
            return false;
        }

        if (!int.TryParse(status, NumberStyles.None, CultureInfo.InvariantCulture, out int number))
        {
            message = $"transport: malformed grpc-status: \"{status}\"";
            code = GrpcStatusCode.Internal;
            return true;
        }

        code = (GrpcStatusCode)number;
        string? encodedMessage = FirstValue(headers, GrpcHeaders.Message);
        message = encodedMessage is null ? string.Empty : GrpcStatusMessage.Decode(encodedMessage);
        return true;
    }

    // The mapping grpc-go applies when a response is not a gRPC response (gRPC spec: HTTP to gRPC status mapping).
    private static RpcException FromHttpStatus(HttpResponseMessage response)
    {
        int status = (int)response.StatusCode;
        GrpcStatusCode code = status switch
        {
            400 => GrpcStatusCode.Internal,
            401 => GrpcStatusCode.Unauthenticated,
            403 => GrpcStatusCode.PermissionDenied,
            404 => GrpcStatusCode.Unimplemented,
            429 or 502 or 503 or 504 => GrpcStatusCode.Unavailable,
            _ => GrpcStatusCode.Unknown,
        };
        string message = $"unexpected HTTP status code received from server: {status} ({response.ReasonPhrase})";
        if (FirstValue(response.Headers, GrpcHeaders.Message) is { } grpcMessage)
        {
            message += "; " + GrpcStatusMessage.Decode(grpcMessage);
        }

        return new RpcException(code, message);
    }

    private static string? FirstValue(HttpHeaders headers, string name)
    {
        if (headers.NonValidated.TryGetValues(name, out HeaderStringValues values))
        {
            foreach (string value in values)
            {
                return value;
            }
        }

        return null;
    }
}
