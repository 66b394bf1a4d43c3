using System.Diagnostics;
using Cairn.Protocol.Grpc;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.Logging;

namespace Cairn.Server.Grpc;

/// <summary>The parts of a call every method kind shares: starting it, turning failures into statuses, and reporting it.</summary>
internal sealed partial class GrpcCallRunner(GrpcServerOptions options, ILogger logger, CancellationToken serverStopping)
{
    private const string CanceledMessage = "context canceled";
    private const string DeadlineExceededMessage = "context deadline exceeded";
    private const string ServerStoppedMessage = "etcdserver: server stopped";

    public IGrpcServerMetrics? Metrics { get; } = options.Metrics;

    /// <summary>Throws what <see cref="GrpcServerOptions.UnaryAdmission"/> refuses the call with, if anything.</summary>
    public void AdmitUnary(ServerCallContext call)
    {
        if (options.UnaryAdmission?.Invoke(call) is RpcException refused)
        {
            throw refused;
        }
    }

    /// <summary>Creates the call context, or answers the call with an error and returns null when its headers are unusable.</summary>
    public ServerCallContext? TryStart(HttpContext http, GrpcMethodInfo method)
    {
        RpcException? headerError = GrpcCallSetup.TryParseRequestHeaders(http.Request, out TimeSpan? timeout, out GrpcCompression compression);
        if (headerError is not null)
        {
            GrpcResponseStatus.Write(http.Response, headerError.StatusCode, headerError.Message, messagesWritten: false);
            return null;
        }

        if (method.Kind != GrpcMethodKind.Unary)
        {
            AllowLongLivedRequestBody(http);
        }

        var readOptions = new GrpcReadOptions(options.MaxReceiveMessageBytes, compression, GrpcPeerRole.Server);
        // grpc-go answers in the encoding the client used.
        var writeOptions = new GrpcWriteOptions(options.MaxSendMessageBytes, compression);
        var call = new ServerCallContext(http, method, timeout, readOptions, writeOptions, serverStopping);
        Metrics?.CallStarted(call);
        return call;
    }

    /// <summary>Ends a failed call with the status its exception maps to, and returns that status code.</summary>
    public GrpcStatusCode Fail(ServerCallContext call, Exception exception)
    {
        (GrpcStatusCode code, string message) = ToStatus(call, exception);
        if (!call.HttpContext.RequestAborted.IsCancellationRequested)
        {
            GrpcResponseStatus.Write(call.HttpContext.Response, code, message, call.ResponseMessagesWritten);
        }

        return code;
    }

    /// <summary>Ends a successful call with status OK.</summary>
    public static void Succeed(ServerCallContext call) =>
        GrpcResponseStatus.Write(call.HttpContext.Response, GrpcStatusCode.OK, null, call.ResponseMessagesWritten);

    /// <summary>Reports the call's end to the metrics hook and releases its resources.</summary>
    public void Finish(ServerCallContext call, GrpcStatusCode code, long startTimestamp)
    {
        Metrics?.CallHandled(call, code, Stopwatch.GetElapsedTime(startTimestamp));
        call.Dispose();
    }

    private (GrpcStatusCode Code, string Message) ToStatus(ServerCallContext call, Exception exception)
    {
        if (exception is RpcException rpc)
        {
            return (rpc.StatusCode, rpc.Message);
        }

        // Whatever the exception type (OperationCanceledException, IOException from an aborted body), a cancelled call
        // reports why it was cancelled, in grpc-go's words.
        if (call.HttpContext.RequestAborted.IsCancellationRequested)
        {
            return (GrpcStatusCode.Canceled, CanceledMessage);
        }

        if (call.ServerStopping)
        {
            // What etcd answers when it shuts down under a call; clients move to another endpoint.
            return (GrpcStatusCode.Unavailable, ServerStoppedMessage);
        }

        if (call.DeadlineExceeded)
        {
            return (GrpcStatusCode.DeadlineExceeded, DeadlineExceededMessage);
        }

        LogHandlerFailure(logger, call.Method.Path, exception);
        return (GrpcStatusCode.Unknown, exception.Message);
    }

    private static void AllowLongLivedRequestBody(HttpContext http)
    {
        // Streams (watch, keepalive) live for hours and send requests rarely: Kestrel's body size cap and minimum
        // data rate would cut them off. Message size is bounded per frame instead.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = null;
        }

        if (http.Features.Get<IHttpMinRequestBodyDataRateFeature>() is { } rateFeature)
        {
            rateFeature.MinDataRate = null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "gRPC handler for {Method} failed with an unexpected exception; the client got status Unknown")]
    private static partial void LogHandlerFailure(ILogger logger, string method, Exception exception);
}
