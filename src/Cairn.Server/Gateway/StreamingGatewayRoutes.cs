using System.Diagnostics;
using Cairn.Protocol.Grpc;
using Cairn.Server.Grpc;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;

namespace Cairn.Server.Gateway;

/// <summary>One JSON request, a chunked stream of <c>{"result":...}</c> lines (snapshot, election observe).</summary>
internal sealed class ServerStreamingGatewayRoute<TRequest, TResponse>(GrpcMethodInfo method, ServerStreamingHandler<TRequest, TResponse> handler)
    : GatewayRoute(method)
    where TRequest : class, IMessage<TRequest>, new()
    where TResponse : class, IMessage<TResponse>
{
    public override async Task InvokeAsync(HttpContext http, GatewayCallRunner runner)
    {
        TRequest? request = await runner.ReadRequestOrRefuseAsync<TRequest>(http).ConfigureAwait(false);
        if (request is null)
        {
            return;
        }

        long startTimestamp = Stopwatch.GetTimestamp();
        ServerCallContext call = runner.Start(http, Method);
        var responses = new JsonStreamWriter<TResponse>(call, runner.Metrics);
        GrpcStatusCode code = GrpcStatusCode.OK;
        try
        {
            runner.Metrics?.MessageReceived(Method);
            await handler(request, responses, call).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            code = await StreamingGatewayCall.FailAsync(runner, call, responses, exception).ConfigureAwait(false);
        }
        finally
        {
            runner.Finish(call, code, startTimestamp);
        }
    }
}

/// <summary>
/// Concatenated JSON requests in, a chunked stream of <c>{"result":...}</c> lines out (watch, lease keepalive). The
/// response stays open until the handler ends: for watch, until the client disconnects.
/// </summary>
internal sealed class BidiStreamingGatewayRoute<TRequest, TResponse>(GrpcMethodInfo method, BidiStreamingHandler<TRequest, TResponse> handler)
    : GatewayRoute(method)
    where TRequest : class, IMessage<TRequest>, new()
    where TResponse : class, IMessage<TResponse>
{
    public override async Task InvokeAsync(HttpContext http, GatewayCallRunner runner)
    {
        GatewayCallRunner.AllowLongLivedRequestBody(http);
        var values = new JsonValueReader(http.Request.BodyReader, runner.MaxJsonRequestBytes);
        TRequest? first;
        try
        {
            // grpc-gateway decodes the first request before it opens the stream; failing that is an Unknown (500) error.
            string? json = await values.ReadNextAsync(http.RequestAborted).ConfigureAwait(false);
            first = json is null ? null : runner.Decode<TRequest>(json);
        }
        catch (Exception invalid) when (invalid is GatewayRequestException or RpcException)
        {
            GrpcStatusCode failure = invalid is RpcException rpc ? rpc.StatusCode : GrpcStatusCode.Unknown;
            await GatewayResponses.WriteErrorAsync(http.Response, failure, invalid.Message).ConfigureAwait(false);
            return;
        }

        long startTimestamp = Stopwatch.GetTimestamp();
        ServerCallContext call = runner.Start(http, Method);
        var requests = new JsonStreamReader<TRequest>(values, first, runner, call);
        var responses = new JsonStreamWriter<TResponse>(call, runner.Metrics);
        GrpcStatusCode code = GrpcStatusCode.OK;
        try
        {
            await handler(requests, responses, call).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            code = await StreamingGatewayCall.FailAsync(runner, call, responses, exception).ConfigureAwait(false);
        }
        finally
        {
            runner.Finish(call, code, startTimestamp);
        }
    }
}

/// <summary>The failure path both streaming routes share.</summary>
internal static class StreamingGatewayCall
{
    public static async ValueTask<GrpcStatusCode> FailAsync<TResponse>(GatewayCallRunner runner, ServerCallContext call, JsonStreamWriter<TResponse> responses, Exception exception)
        where TResponse : class, IMessage<TResponse>
    {
        (GrpcStatusCode code, string message) = runner.ToStatus(call, exception);
        if (!call.HttpContext.RequestAborted.IsCancellationRequested)
        {
            try
            {
                await responses.WriteErrorAsync(code, message).ConfigureAwait(false);
            }
            catch (Exception) when (call.HttpContext.RequestAborted.IsCancellationRequested)
            {
                // The client left while the error was being written; nobody is there to read it.
            }
        }

        return code;
    }
}
