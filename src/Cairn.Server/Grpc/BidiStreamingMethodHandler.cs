using System.Diagnostics;
using Cairn.Protocol.Grpc;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;

namespace Cairn.Server.Grpc;

/// <summary>Requests and responses flow independently until the handler returns.</summary>
internal sealed class BidiStreamingMethodHandler<TRequest, TResponse>(GrpcMethodInfo method, MessageParser<TRequest> parser, BidiStreamingHandler<TRequest, TResponse> handler)
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
            var requests = new HttpGrpcStreamReader<TRequest>(call, parser, runner.Metrics);
            var responses = new HttpGrpcStreamWriter<TResponse>(call, runner.Metrics);
            await handler(requests, responses, call).ConfigureAwait(false);
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
