using Microsoft.AspNetCore.Http;

namespace Cairn.Server.Grpc;

/// <summary>A registered method bound to its message types and handler; the dispatcher calls it for every matching request.</summary>
internal abstract class GrpcMethodHandler(GrpcMethodInfo method)
{
    public GrpcMethodInfo Method { get; } = method;

    /// <summary>Runs one call to completion; never throws (failures become statuses).</summary>
    public abstract Task HandleAsync(HttpContext http, GrpcCallRunner runner);
}
