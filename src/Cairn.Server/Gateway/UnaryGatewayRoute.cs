using System.Diagnostics;
using Cairn.Protocol.Grpc;
using Cairn.Server.Grpc;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;

namespace Cairn.Server.Gateway;

/// <summary>POST a JSON request, get one JSON response (or grpc-gateway's error body).</summary>
internal sealed class UnaryGatewayRoute<TRequest, TResponse>(GrpcMethodInfo method, UnaryHandler<TRequest, TResponse> handler)
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
        GrpcStatusCode code = GrpcStatusCode.OK;
        try
        {
            runner.Metrics?.MessageReceived(Method);
            TResponse response = await handler(request, call).ConfigureAwait(false);
            runner.Metrics?.MessageSent(Method);
            AddForwardedMetadata(http.Response);
            await GatewayResponses.WriteMessageAsync(http.Response, response).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            (code, string message) = runner.ToStatus(call, exception);
            if (!http.RequestAborted.IsCancellationRequested && !http.Response.HasStarted)
            {
                await GatewayResponses.WriteErrorAsync(http.Response, code, message).ConfigureAwait(false);
            }
        }
        finally
        {
            runner.Finish(call, code, startTimestamp);
        }
    }
}
