using Cairn.Server.Grpc;
using Microsoft.AspNetCore.Http;

namespace Cairn.Server.Gateway;

/// <summary>A gRPC method reachable through the JSON gateway, bound to the same handler gRPC calls use.</summary>
internal abstract class GatewayRoute(GrpcMethodInfo method)
{
    public GrpcMethodInfo Method { get; } = method;

    /// <summary>Answers one HTTP request; never throws for a failed call (it becomes an error body).</summary>
    public abstract Task InvokeAsync(HttpContext http, GatewayCallRunner runner);

    /// <summary>etcd's gateway forwards the gRPC response header metadata; the only one etcd sends is the content type.</summary>
    protected static void AddForwardedMetadata(HttpResponse response) =>
        response.Headers["Grpc-Metadata-Content-Type"] = "application/grpc";
}
