using System.Buffers;
using System.IO.Pipelines;
using Cairn.Protocol.Grpc;
using Cairn.Server.Grpc;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;

namespace Cairn.Server.Gateway;

/// <summary>
/// A streaming call's responses as grpc-gateway writes them: a chunked 200 response, each message as
/// <c>{"result":...}</c> and a newline, flushed as it is produced; an error after (or instead of) messages as
/// <c>{"error":{...}}</c>. Single writer, like the gRPC stream writer.
/// </summary>
internal sealed class JsonStreamWriter<T>(ServerCallContext call, IGrpcServerMetrics? metrics) : IGrpcStreamWriter<T>
    where T : class, IMessage<T>
{
    private static readonly byte[] ResultPrefix = "{\"result\":"u8.ToArray();
    private static readonly byte[] ResultSuffix = "}\n"u8.ToArray();

    // 0 = idle, 1 = a write or flush is in progress.
    private int _busy;
    private bool _started;

    public async ValueTask WriteAsync(T message, CancellationToken cancellationToken = default)
    {
        Enter();
        try
        {
            WriteResult(message);
            await FlushCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    public void WriteBuffered(T message)
    {
        Enter();
        try
        {
            WriteResult(message);
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    public async ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        Enter();
        try
        {
            await FlushCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    /// <summary>Ends the stream with an error: its HTTP status when nothing was sent yet, else a last chunk.</summary>
    public async ValueTask WriteErrorAsync(GrpcStatusCode code, string message)
    {
        HttpResponse response = call.HttpContext.Response;
        if (!_started && !response.HasStarted)
        {
            response.StatusCode = GatewayStatus.HttpStatusFor(code);
            response.ContentType = GatewayResponses.JsonContentType;
            _started = true;
        }

        await response.BodyWriter.WriteAsync(GatewayResponses.StreamErrorChunk(code, message), call.HttpContext.RequestAborted).ConfigureAwait(false);
    }

    private void Enter()
    {
        if (Interlocked.Exchange(ref _busy, 1) != 0)
        {
            throw new InvalidOperationException(
                $"{call.Method.Path}: a write on this JSON response stream is already in progress; writes on one stream must not overlap");
        }
    }

    private void WriteResult(T message)
    {
        HttpResponse response = call.HttpContext.Response;
        if (!_started)
        {
            _started = true;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = GatewayResponses.JsonContentType;
            response.Headers["Grpc-Metadata-Content-Type"] = "application/grpc";
        }

        PipeWriter body = response.BodyWriter;
        body.Write(ResultPrefix);
        EtcdJson.WriteUtf8(body, message);
        body.Write(ResultSuffix);
        metrics?.MessageSent(call.Method);
    }

    private async ValueTask FlushCoreAsync(CancellationToken cancellationToken)
    {
        CancellationToken token = cancellationToken.CanBeCanceled ? cancellationToken : call.CancellationToken;
        FlushResult result = await call.HttpContext.Response.BodyWriter.FlushAsync(token).ConfigureAwait(false);
        if (result.IsCanceled || result.IsCompleted)
        {
            throw new OperationCanceledException("the client is gone: the response stream was closed", token);
        }
    }
}
