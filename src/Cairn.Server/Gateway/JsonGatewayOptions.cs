using Cairn.Server.Grpc;
using Microsoft.Extensions.Logging;

namespace Cairn.Server.Gateway;

/// <summary>Limits and hooks of the JSON gateway.</summary>
public sealed class JsonGatewayOptions
{
    /// <summary>The largest decoded request message, as for gRPC (etcd: <c>--max-request-bytes</c> + 512 KiB);
    /// larger ones fail with ResourceExhausted <c>grpc: received message larger than max (N vs. M)</c>.</summary>
    public int MaxReceiveMessageBytes { get; init; } = GrpcServerOptions.DefaultMaxRequestBytes + GrpcServerOptions.ReceiveAllowanceBytes;

    /// <summary>The largest JSON text of one request. Base64 makes JSON about 4/3 of the message, so the default is
    /// twice the message limit.</summary>
    public int MaxJsonRequestBytes { get; init; } = 2 * (GrpcServerOptions.DefaultMaxRequestBytes + GrpcServerOptions.ReceiveAllowanceBytes);

    /// <summary>The gRPC metrics hooks; gateway calls are reported like gRPC calls, as in etcd.</summary>
    public IGrpcServerMetrics? Metrics { get; init; }

    /// <summary>Where handler failures that were not a status are logged; null uses the host's logger factory.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>Options whose message limit follows etcd's <c>--max-request-bytes</c>.</summary>
    public static JsonGatewayOptions ForMaxRequestBytes(int maxRequestBytes, IGrpcServerMetrics? metrics = null)
    {
        int receiveLimit = GrpcServerOptions.ReceiveLimitFor(maxRequestBytes);
        return new JsonGatewayOptions { MaxReceiveMessageBytes = receiveLimit, MaxJsonRequestBytes = 2 * receiveLimit, Metrics = metrics };
    }

    internal void Validate()
    {
        if (MaxReceiveMessageBytes < 1 || MaxJsonRequestBytes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxReceiveMessageBytes),
                $"the JSON gateway's limits must be positive (message {MaxReceiveMessageBytes}, JSON {MaxJsonRequestBytes}); fix the configured request size limit");
        }
    }
}
