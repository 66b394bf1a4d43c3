using Cairn.Protocol.Grpc;
using Cairn.Protocol.Health;
using Cairn.Server.Grpc;

namespace Cairn.Server.Services;

/// <summary>
/// The standard <c>grpc.health.v1.Health</c> service, as etcd registers it: the server-wide status (service name "")
/// is SERVING; any other service name is unknown (grpc-go's NotFound "unknown service").
/// </summary>
public sealed class HealthService
{
    private static readonly HealthCheckResponse Serving = new() { Status = HealthCheckResponse.Types.ServingStatus.Serving };

    /// <summary>Check.</summary>
    public ValueTask<HealthCheckResponse> CheckAsync(HealthCheckRequest request, ServerCallContext call)
    {
        if (request.Service.Length > 0)
        {
            throw new RpcException(GrpcStatusCode.NotFound, "unknown service");
        }

        return new ValueTask<HealthCheckResponse>(Serving);
    }

    /// <summary>Watch: the current status at once (SERVICE_UNKNOWN for other names), then nothing until the client
    /// leaves or the server stops (the status never changes while the server runs).</summary>
    public async ValueTask WatchAsync(HealthCheckRequest request, IGrpcStreamWriter<HealthCheckResponse> responses, ServerCallContext call)
    {
        HealthCheckResponse status = request.Service.Length > 0
            ? new HealthCheckResponse { Status = HealthCheckResponse.Types.ServingStatus.ServiceUnknown }
            : Serving;
        await responses.WriteAsync(status, call.CancellationToken).ConfigureAwait(false);

        // Ends when the client leaves or the server stops; the dispatcher reports the matching status.
        await Task.Delay(Timeout.Infinite, call.CancellationToken).ConfigureAwait(false);
    }
}
