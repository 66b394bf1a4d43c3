using System.Diagnostics;
using Cairn.Protocol.Grpc;
using Cairn.Server.Grpc;
using Cairn.Storage;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.Logging;
using GrpcStatusCode = Cairn.Protocol.Grpc.GrpcStatusCode;

namespace Cairn.Server.Gateway;

/// <summary>
/// What every gateway call shares: reading and decoding JSON requests, the in-process call context, turning
/// failures into gRPC statuses, and reporting the call to the gRPC metrics (etcd's gateway is a gRPC client of its
/// own server, so its calls show up in <c>grpc_server_*</c> too).
/// </summary>
internal sealed partial class GatewayCallRunner(JsonGatewayOptions options, ILogger logger, CancellationToken serverStopping)
{
    private const string CanceledMessage = "context canceled";
    private const string ServerStoppedMessage = "etcdserver: server stopped";

    public IGrpcServerMetrics? Metrics { get; } = options.Metrics;

    public int MaxJsonRequestBytes { get; } = options.MaxJsonRequestBytes;

    /// <summary>
    /// Reads a unary (or server-streaming) request: the body's first JSON value, or the empty message. A body that is
    /// not valid JSON for <typeparamref name="T"/> or too large is answered with grpc-gateway's error body, and the
    /// result is null: the call is over.
    /// </summary>
    public async ValueTask<T?> ReadRequestOrRefuseAsync<T>(HttpContext http)
        where T : class, IMessage<T>, new()
    {
        try
        {
            return await ReadSingleRequestAsync<T>(http).ConfigureAwait(false);
        }
        catch (GatewayRequestException invalid)
        {
            await GatewayResponses.WriteErrorAsync(http.Response, GrpcStatusCode.InvalidArgument, invalid.Message).ConfigureAwait(false);
        }
        catch (RpcException tooLarge)
        {
            await GatewayResponses.WriteErrorAsync(http.Response, tooLarge.StatusCode, tooLarge.Message).ConfigureAwait(false);
        }

        return null;
    }

    private async ValueTask<T> ReadSingleRequestAsync<T>(HttpContext http)
        where T : class, IMessage<T>, new()
    {
        var values = new JsonValueReader(http.Request.BodyReader, MaxJsonRequestBytes);
        string? json = await values.ReadNextAsync(http.RequestAborted).ConfigureAwait(false);
        return json is null ? new T() : Decode<T>(json);
    }

    /// <summary>Decodes one JSON request and applies the gRPC receive limit to the resulting message.</summary>
    public T Decode<T>(string json)
        where T : class, IMessage<T>, new()
    {
        T message;
        try
        {
            // Go's decoder accepts a JSON null as "no fields set".
            message = json == "null" ? new T() : EtcdJson.Parse<T>(json);
        }
        catch (Exception exception) when (exception is InvalidProtocolBufferException or InvalidJsonException or FormatException)
        {
            // A syntax error is reported in Go's words, as etcd's gateway does; a well-formed body that does not fit
            // the message keeps the protobuf parser's explanation.
            throw new GatewayRequestException(GoJsonSyntax.FindError(json) ?? exception.Message);
        }

        int size = message.CalculateSize();
        if (size > options.MaxReceiveMessageBytes)
        {
            throw new RpcException(GrpcStatusCode.ResourceExhausted,
                $"grpc: received message larger than max ({size} vs. {options.MaxReceiveMessageBytes})");
        }

        return message;
    }

    /// <summary>Creates the call context and reports the start.</summary>
    public ServerCallContext Start(HttpContext http, GrpcMethodInfo method)
    {
        ServerCallContext call = ServerCallContext.ForInProcessCall(http, method, timeout: null, serverStopping);
        Metrics?.CallStarted(call);
        return call;
    }

    /// <summary>Reports the end and releases the context.</summary>
    public void Finish(ServerCallContext call, GrpcStatusCode code, long startTimestamp)
    {
        Metrics?.CallHandled(call, code, Stopwatch.GetElapsedTime(startTimestamp));
        call.Dispose();
    }

    /// <summary>The status a handler's exception stands for (grpc-go's words for cancellation and shutdown).</summary>
    public (GrpcStatusCode Code, string Message) ToStatus(ServerCallContext call, Exception exception)
    {
        switch (exception)
        {
            case RpcException rpc:
                return (rpc.StatusCode, rpc.Message);
            case EtcdException etcd:
                return (etcd.Code, etcd.Message);
            case GatewayRequestException request:
                return (GrpcStatusCode.InvalidArgument, request.Message);
        }

        if (call.HttpContext.RequestAborted.IsCancellationRequested)
        {
            return (GrpcStatusCode.Canceled, CanceledMessage);
        }

        if (call.ServerStopping)
        {
            return (GrpcStatusCode.Unavailable, ServerStoppedMessage);
        }

        LogHandlerFailure(logger, call.Method.Path, exception);
        return (GrpcStatusCode.Unknown, exception.Message);
    }

    /// <summary>Lifts Kestrel's body size cap and minimum data rate for a stream, whose body may stay open for hours.</summary>
    public static void AllowLongLivedRequestBody(HttpContext http)
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = null;
        }

        if (http.Features.Get<IHttpMinRequestBodyDataRateFeature>() is { } rateFeature)
        {
            rateFeature.MinDataRate = null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "JSON gateway call to {Method} failed with an unexpected exception; the client got status Unknown")]
    private static partial void LogHandlerFailure(ILogger logger, string method, Exception exception);
}
