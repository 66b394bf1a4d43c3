using Cairn.Protocol.Grpc;
using Microsoft.AspNetCore.Http;

namespace Cairn.Server.Grpc;

/// <summary>
/// The middleware that answers gRPC calls: it routes HTTP/2 POSTs with a gRPC content type by <c>:path</c> to the
/// registered handler and passes every other request to the rest of the pipeline (JSON gateway, /health, ...).
/// </summary>
internal sealed class GrpcDispatcher
{
    private readonly GrpcServiceRegistry _registry;
    private readonly GrpcCallRunner _runner;
    private readonly RequestDelegate _next;

    public GrpcDispatcher(GrpcServiceRegistry registry, GrpcCallRunner runner, RequestDelegate next)
    {
        registry.Freeze();
        _registry = registry;
        _runner = runner;
        _next = next;
    }

    public Task InvokeAsync(HttpContext http)
    {
        HttpRequest request = http.Request;
        if (!HttpMethods.IsPost(request.Method))
        {
            return _next(http);
        }

        string? contentType = request.ContentType;
        bool isHttp2 = HttpProtocol.IsHttp2(request.Protocol);
        if (!GrpcHeaders.IsGrpcContentType(contentType))
        {
            return isHttp2 && _registry.TryGetHandler(request.Path.Value ?? string.Empty, out _)
                ? RejectContentType(http.Response, contentType)
                : _next(http);
        }

        if (!isHttp2)
        {
            return RejectHttp1(http.Response);
        }

        string path = request.Path.Value ?? string.Empty;
        if (!_registry.TryGetHandler(path, out GrpcMethodHandler? handler))
        {
            GrpcResponseStatus.Write(http.Response, GrpcStatusCode.Unimplemented, _registry.DescribeUnknownPath(path), messagesWritten: false);
            return Task.CompletedTask;
        }

        return handler.HandleAsync(http, _runner);
    }

    // What current grpc-go does for an HTTP/2 request to a gRPC method without a gRPC content type.
    // (etcd 3.4's older grpc-go resets the stream instead; an HTTP status is more useful to whoever sent it.)
    private static Task RejectContentType(HttpResponse response, string? contentType)
    {
        response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
        response.Headers.ContentType = GrpcResponseStatus.ContentType;
        response.Headers.GrpcStatus = "13";
        response.Headers.GrpcMessage = GrpcStatusMessage.Encode($"transport: received unexpected content-type \"{contentType}\"");
        return Task.CompletedTask;
    }

    // gRPC needs HTTP/2 trailers; grpc-go's HTTP handler answers HTTP/1.x the same way.
    private static Task RejectHttp1(HttpResponse response)
    {
        response.StatusCode = StatusCodes.Status400BadRequest;
        response.ContentType = "text/plain; charset=utf-8";
        return response.WriteAsync("gRPC requires HTTP/2\n");
    }
}
