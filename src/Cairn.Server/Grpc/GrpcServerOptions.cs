using Microsoft.Extensions.Logging;

namespace Cairn.Server.Grpc;

/// <summary>Limits and hooks of the gRPC dispatcher.</summary>
public sealed class GrpcServerOptions
{
    /// <summary>etcd's default <c>--max-request-bytes</c>: 1.5 MiB.</summary>
    public const int DefaultMaxRequestBytes = 1_572_864;

    /// <summary>What etcd adds to <c>--max-request-bytes</c> for gRPC's receive limit (room for the request's envelope): 512 KiB.</summary>
    public const int ReceiveAllowanceBytes = 512 * 1024;

    /// <summary>The largest request message accepted; larger ones fail with ResourceExhausted. Default: etcd's 2 MiB.</summary>
    public int MaxReceiveMessageBytes { get; set; } = DefaultMaxRequestBytes + ReceiveAllowanceBytes;

    /// <summary>The largest response message sent; larger ones fail the call with ResourceExhausted. Default: etcd's 2^31-1.</summary>
    public int MaxSendMessageBytes { get; set; } = int.MaxValue;

    /// <summary>Metric hooks, or null for none.</summary>
    public IGrpcServerMetrics? Metrics { get; set; }

    /// <summary>Checked once a unary call's request is read, before its handler runs: an exception returned here answers
    /// the call instead (etcd's unary interceptor: the require-leader check). Null admits every call.</summary>
    public Func<ServerCallContext, Cairn.Protocol.Grpc.RpcException?>? UnaryAdmission { get; set; }

    /// <summary>Where handler failures that were not a status (bugs) are logged; null uses the host's logger factory.</summary>
    public ILogger? Logger { get; set; }

    /// <summary>The receive limit etcd derives from <c>--max-request-bytes</c>.</summary>
    public static int ReceiveLimitFor(int maxRequestBytes) => checked(maxRequestBytes + ReceiveAllowanceBytes);

    internal void Validate()
    {
        if (MaxReceiveMessageBytes <= 0 || MaxSendMessageBytes <= 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(MaxReceiveMessageBytes),
                $"gRPC message limits must be positive (receive {MaxReceiveMessageBytes}, send {MaxSendMessageBytes}); fix the configured request size limit");
        }
    }
}
