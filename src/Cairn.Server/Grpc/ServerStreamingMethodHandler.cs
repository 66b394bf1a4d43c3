using System.Diagnostics;
using Cairn.Protocol.Grpc;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;

namespace Cairn.Server.Grpc;

/// <summary>One request, then the handler writes any number of responses.</summary>
internal sealed class ServerStreamingMethodHandler<TRequest, TResponse>(GrpcMethodInfo method, MessageParser<TRequest> parser, ServerStreamingHandler<TRequest, TResponse> handler)
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
            TRequest request = await GrpcPipeMessageReader.ReadAsync(http.Request.BodyReader, parser, call.ReadOptions, call.CancellationToken).ConfigureAwait(false)
                ?? throw new RpcException(GrpcStatusCode.Unknown, "EOF");
            runner.Metrics?.MessageReceived(Method);
            await handler(request, new HttpGrpcStreamWriter<TResponse>(call, runner.Metrics), call).ConfigureAwait(false);
            GrpcCallRunner.Succeed(call);
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
}
