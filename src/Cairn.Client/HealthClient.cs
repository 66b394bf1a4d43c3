using Cairn.Client.Grpc;
using Cairn.Protocol;
using Cairn.Protocol.Health;

namespace Cairn.Client;

/// <summary>The standard gRPC health check (<c>grpc.health.v1.Health</c>).</summary>
public sealed class HealthClient
{
    private readonly GrpcCallInvoker _invoker;

    internal HealthClient(GrpcCallInvoker invoker) => _invoker = invoker;

    /// <summary>Calls <c>Check</c>; etcd answers SERVING for the empty service name.</summary>
    public Task<HealthCheckResponse> CheckAsync(HealthCheckRequest request, CallOptions options = default) =>
        _invoker.UnaryAsync(EtcdMethods.Health.Check, request, HealthCheckResponse.Parser, RetryPolicy.Repeatable, options);
}
