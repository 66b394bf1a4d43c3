using System.Net.Http;
using System.Net.Sockets;
using Cairn.Protocol.Grpc;

namespace Cairn.Client.Grpc;

/// <summary>Turns transport exceptions into gRPC statuses the way grpc-go reports them to callers.</summary>
internal static class GrpcTransportErrors
{
    private const long Http2Cancel = 0x8;
    private const long Http2RefusedStream = 0x7;
    private const long Http2EnhanceYourCalm = 0xB;
    private const long Http2InadequateSecurity = 0xC;

    /// <summary>
    /// Maps <paramref name="exception"/>. <paramref name="neverSent"/> is true when the request certainly did not reach
    /// a server (the connection could not be opened), which makes any call safe to send elsewhere.
    /// </summary>
    public static RpcException ToRpcException(Exception exception, in CallDeadline deadline, GrpcEndpoint endpoint, out bool neverSent)
    {
        neverSent = false;
        if (exception is RpcException rpc)
        {
            return rpc;
        }

        if (deadline.Expired)
        {
            return new RpcException(GrpcStatusCode.DeadlineExceeded, "context deadline exceeded", exception);
        }

        if (deadline.CancelledByCaller)
        {
            return new RpcException(GrpcStatusCode.Canceled, "context canceled", exception);
        }

        if (FindProtocolError(exception) is { } protocolError)
        {
            return FromStreamReset(protocolError);
        }

        if (exception is HttpRequestException request && IsConnectFailure(request))
        {
            neverSent = true;
            return new RpcException(
                GrpcStatusCode.Unavailable,
                $"connection error: desc = \"transport: Error while dialing {endpoint}: {DescribeInnermost(exception)}\"",
                exception);
        }

        if (exception is OperationCanceledException)
        {
            return new RpcException(GrpcStatusCode.Canceled, "context canceled", exception);
        }

        return new RpcException(GrpcStatusCode.Unavailable, $"error reading from server {endpoint}: {DescribeInnermost(exception)}", exception);
    }

    private static bool IsConnectFailure(HttpRequestException exception) =>
        exception.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError
        || (exception.HttpRequestError == HttpRequestError.Unknown && exception.InnerException is SocketException);

    private static HttpProtocolException? FindProtocolError(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is HttpProtocolException protocolError)
            {
                return protocolError;
            }
        }

        return null;
    }

    // grpc-go's mapping of RST_STREAM error codes to statuses.
    private static RpcException FromStreamReset(HttpProtocolException reset)
    {
        (GrpcStatusCode code, string name) = reset.ErrorCode switch
        {
            Http2Cancel => (GrpcStatusCode.Canceled, "CANCEL"),
            Http2RefusedStream => (GrpcStatusCode.Unavailable, "REFUSED_STREAM"),
            Http2EnhanceYourCalm => (GrpcStatusCode.ResourceExhausted, "ENHANCE_YOUR_CALM"),
            Http2InadequateSecurity => (GrpcStatusCode.PermissionDenied, "INADEQUATE_SECURITY"),
            _ => (GrpcStatusCode.Internal, "0x" + reset.ErrorCode.ToString("X", System.Globalization.CultureInfo.InvariantCulture)),
        };
        return new RpcException(code, "stream terminated by RST_STREAM with error code: " + name, reset);
    }

    private static string DescribeInnermost(Exception exception)
    {
        Exception innermost = exception;
        while (innermost.InnerException is not null)
        {
            innermost = innermost.InnerException;
        }

        return innermost.Message;
    }
}
