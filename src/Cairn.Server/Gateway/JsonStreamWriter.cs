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
/// <c>{"error":{...}}</c>.
/// </summary>
internal sealed class JsonStreamWriter<T>(ServerCallContext call, IGrpcServerMetrics? metrics) : ResponseBodyStreamWriter<T>(call)
    where T : class, IMessage<T>
{
    private static readonly byte[] ResultPrefix = "{\"result\":"u8.ToArray();
    private static readonly byte[] ResultSuffix = "}\n"u8.ToArray();

    private bool _started;

    /// <summary>Ends the stream with an error: its HTTP status when nothing was sent yet, else a last chunk.</summary>
    public async ValueTask WriteErrorAsync(GrpcStatusCode code, string message)
    {
        HttpResponse response = Call.HttpContext.Response;
        if (!_started && !response.HasStarted)
        {
            response.StatusCode = GatewayStatus.HttpStatusFor(code);
            response.ContentType = GatewayResponses.JsonContentType;
            _started = true;
        }

        await response.BodyWriter.WriteAsync(GatewayResponses.StreamErrorChunk(code, message), Call.HttpContext.RequestAborted).ConfigureAwait(false);
    }

    protected override void WriteMessage(T message)
    {
        HttpResponse response = Call.HttpContext.Response;
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
        metrics?.MessageSent(Call.Method);
    }
}
