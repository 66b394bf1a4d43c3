using Cairn.Protocol.Grpc;

namespace Cairn.Server.Grpc;

/// <summary>
/// Per-call hooks for exporting <c>grpc_server_*</c> metrics (go-grpc-prometheus names: started, handled by code,
/// messages received and sent). Called on the request path: implementations must be cheap and thread-safe.
/// Calls to unknown methods are not reported, as with grpc-go's interceptors.
/// </summary>
public interface IGrpcServerMetrics
{
    /// <summary>A call to a registered method started (<c>grpc_server_started_total</c>).</summary>
    void CallStarted(ServerCallContext call);

    /// <summary>A request message was received (<c>grpc_server_msg_received_total</c>).</summary>
    void MessageReceived(GrpcMethodInfo method);

    /// <summary>A response message was sent (<c>grpc_server_msg_sent_total</c>).</summary>
    void MessageSent(GrpcMethodInfo method);

    /// <summary>The call ended with <paramref name="code"/> after <paramref name="elapsed"/> (<c>grpc_server_handled_total</c>, <c>grpc_server_handling_seconds</c>).</summary>
    void CallHandled(ServerCallContext call, GrpcStatusCode code, TimeSpan elapsed);
}
