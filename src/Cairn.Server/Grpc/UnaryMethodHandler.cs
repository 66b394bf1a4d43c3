using System.Diagnostics;
using Cairn.Protocol.Grpc;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;

namespace Cairn.Server.Grpc;

/// <summary>
/// The unary hot path: read one request frame straight from Kestrel's buffers, call the handler, serialize the
/// response into the body pipe, set the trailers. Kestrel sends headers, data and trailers together when it returns.
/// </summary>
internal sealed class UnaryMethodHandler<TRequest, TResponse>(GrpcMethodInfo method, MessageParser<TRequest> parser, UnaryHandler<TRequest, TResponse> handler)
    : GrpcMethodHandler(method)
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    public override async Task HandleAsync(HttpContext http, GrpcCallRunner runner)
    {
        long startTimestamp = Stopwatch.GetTimestamp();
        ServerCallContext? call = runner.TryStart(http, Method);
        if (call is null)
        {
            return;
        }

        GrpcStatusCode code = GrpcStatusCode.OK;
        try
        {
            TRequest request = await ReadRequestAsync(http, call, runner).ConfigureAwait(false);
            runner.AdmitUnary(call);
            TResponse response = await handler(request, call).ConfigureAwait(false);
            WriteResponse(http.Response, response, call, runner);
        }
        catch (Exception exception)
        {
            code = runner.Fail(call, exception);
        }
        finally
        {
            runner.Finish(call, code, startTimestamp);
        }
    }

    private async ValueTask<TRequest> ReadRequestAsync(HttpContext http, ServerCallContext call, GrpcCallRunner runner)
    {
        // RequestAborted, not the call's token: asking for the latter would start the deadline timer on every call.
        // A client past its deadline resets the stream, which aborts this read too.
        TRequest? request = await GrpcPipeMessageReader.ReadAsync(http.Request.BodyReader, parser, call.ReadOptions, http.RequestAborted).ConfigureAwait(false);

        // grpc-go (etcd 3.4) answers a unary call whose body has no message with Unknown "EOF"; extra messages are ignored.
        if (request is null)
        {
            throw new RpcException(GrpcStatusCode.Unknown, "EOF");
        }

        runner.Metrics?.MessageReceived(Method);
        return request;
    }

    private void WriteResponse(HttpResponse response, TResponse message, ServerCallContext call, GrpcCallRunner runner)
    {
        // The size check inside Write runs before any byte is written, so an oversized response still gets a
        // trailers-only error instead of a half-written body.
        GrpcCallSetup.SetResponseHeaders(response, call.WriteOptions.Compression);
        GrpcMessageWriter.Write(response.BodyWriter, message, call.WriteOptions);
        call.ResponseMessagesWritten = true;
        runner.Metrics?.MessageSent(Method);
        GrpcCallRunner.Succeed(call);
    }
}
