using System.Buffers;
using Cairn.Protocol.Grpc;
using Microsoft.AspNetCore.Http;

namespace Cairn.Server.Grpc;

/// <summary>
/// The middleware that answers gRPC calls: it routes HTTP/2 POSTs with a gRPC content type by <c>:path</c> to the
/// registered handler and passes every other request to the rest of the pipeline (JSON gateway, /health, ...).
/// </summary>
internal sealed class GrpcDispatcher
{
    /// <summary>Most request bytes read and discarded before answering a call that is refused without looking at its
    /// messages (unknown method, wrong content type); a larger body is left to the stream reset.</summary>
    internal const int MaxDiscardedRequestBytes = 64 * 1024;

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
                ? RejectContentTypeAsync(http, contentType)
                : _next(http);
        }

        if (!isHttp2)
        {
            return RejectHttp1(http.Response);
        }

        string path = request.Path.Value ?? string.Empty;
        if (!_registry.TryGetHandler(path, out GrpcMethodHandler? handler))
        {
            return RejectUnknownPathAsync(http, path);
        }

        return handler.HandleAsync(http, _runner);
    }

    private async Task RejectUnknownPathAsync(HttpContext http, string path)
    {
        GrpcResponseStatus.Write(http.Response, GrpcStatusCode.Unimplemented, _registry.DescribeUnknownPath(path), messagesWritten: false);
        await AnswerThenDiscardRequestAsync(http).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends the (already set) refusal and reads and discards what the client sends, up to
    /// <see cref="MaxDiscardedRequestBytes"/>. Returning with the request unread makes the server reset the stream
    /// under the client's late DATA frames, and some clients then report a framing error instead of the status.
    /// A body of declared length is read before answering: curl (7.88) never finishes when the answer ends the stream
    /// before its upload has left. A body without a length (every gRPC client) is answered first, so a streaming
    /// client does not wait for a body that never ends.
    /// </summary>
    private static async Task AnswerThenDiscardRequestAsync(HttpContext http)
    {
        long? declaredLength = http.Request.ContentLength;
        bool readFirst = declaredLength is <= MaxDiscardedRequestBytes;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            if (!readFirst)
            {
                await http.Response.CompleteAsync().ConfigureAwait(false);
            }

            long discardedBytes = 0;
            int read;
            while (discardedBytes <= MaxDiscardedRequestBytes
                && (read = await http.Request.Body.ReadAsync(buffer, http.RequestAborted).ConfigureAwait(false)) > 0)
            {
                discardedBytes += read;
            }

            if (readFirst)
            {
                await http.Response.CompleteAsync().ConfigureAwait(false);
            }
        }
        catch (Exception error) when (error is IOException or OperationCanceledException)
        {
            // The client went away or reset the stream once it had the status: nothing more to do.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // What current grpc-go does for an HTTP/2 request to a gRPC method without a gRPC content type.
    // (etcd 3.4's older grpc-go resets the stream instead; an HTTP status is more useful to whoever sent it.)
    private static async Task RejectContentTypeAsync(HttpContext http, string? contentType)
    {
        HttpResponse response = http.Response;
        response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
        response.Headers.ContentType = GrpcResponseStatus.ContentType;
        response.Headers.GrpcStatus = "13";
        response.Headers.GrpcMessage = GrpcStatusMessage.Encode($"transport: received unexpected content-type \"{contentType}\"");
        await AnswerThenDiscardRequestAsync(http).ConfigureAwait(false);
    }

    // gRPC needs HTTP/2 trailers; grpc-go's HTTP handler answers HTTP/1.x the same way.
    private static Task RejectHttp1(HttpResponse response)
    {
        response.StatusCode = StatusCodes.Status400BadRequest;
        response.ContentType = "text/plain; charset=utf-8";
        return response.WriteAsync("gRPC requires HTTP/2\n");
    }
}
