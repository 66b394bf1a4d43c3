using Cairn.Protocol.Grpc;
using Microsoft.AspNetCore.Http;

namespace Cairn.Server.Gateway;

/// <summary>grpc-gateway's mapping from gRPC status codes to HTTP statuses (v1.9.5/v1.16, the ones upstream etcd uses).</summary>
/// <remarks>
/// FailedPrecondition is 400 here, as upstream etcd 3.4.23 and 3.5 answer. Debian's etcd 3.4.23 is built with
/// grpc-gateway 1.6.4, which answers 412 instead; Cairn follows upstream.
/// </remarks>
public static class GatewayStatus
{
    /// <summary>The HTTP status grpc-gateway answers for <paramref name="code"/>.</summary>
    public static int HttpStatusFor(GrpcStatusCode code) => code switch
    {
        GrpcStatusCode.OK => StatusCodes.Status200OK,
        GrpcStatusCode.Canceled => StatusCodes.Status408RequestTimeout,
        GrpcStatusCode.Unknown => StatusCodes.Status500InternalServerError,
        GrpcStatusCode.InvalidArgument => StatusCodes.Status400BadRequest,
        GrpcStatusCode.DeadlineExceeded => StatusCodes.Status504GatewayTimeout,
        GrpcStatusCode.NotFound => StatusCodes.Status404NotFound,
        GrpcStatusCode.AlreadyExists => StatusCodes.Status409Conflict,
        GrpcStatusCode.PermissionDenied => StatusCodes.Status403Forbidden,
        GrpcStatusCode.Unauthenticated => StatusCodes.Status401Unauthorized,
        GrpcStatusCode.ResourceExhausted => StatusCodes.Status429TooManyRequests,
        GrpcStatusCode.FailedPrecondition => StatusCodes.Status400BadRequest,
        GrpcStatusCode.Aborted => StatusCodes.Status409Conflict,
        GrpcStatusCode.OutOfRange => StatusCodes.Status400BadRequest,
        GrpcStatusCode.Unimplemented => StatusCodes.Status501NotImplemented,
        GrpcStatusCode.Internal => StatusCodes.Status500InternalServerError,
        GrpcStatusCode.Unavailable => StatusCodes.Status503ServiceUnavailable,
        GrpcStatusCode.DataLoss => StatusCodes.Status500InternalServerError,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>Go's <c>http.StatusText</c> for the statuses above (the <c>http_status</c> of a stream error).</summary>
    public static string HttpStatusText(int status) => status switch
    {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        408 => "Request Timeout",
        409 => "Conflict",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    };
}
