using System.Collections.Concurrent;
using Cairn.Protocol.Grpc;
using Cairn.Server.Grpc;

namespace Cairn.Server.Metrics;

/// <summary>
/// go-grpc-prometheus's server counters (grpc_server_started_total, grpc_server_handled_total,
/// grpc_server_msg_received_total, grpc_server_msg_sent_total) for gRPC and JSON gateway calls alike, as etcd counts
/// its gateway (it forwards to gRPC). The hot path is one dictionary lookup by method instance (lock-free read)
/// and one Interlocked increment.
/// </summary>
public sealed class GrpcServerMetrics : IGrpcServerMetrics
{
    /// <summary>gRPC status codes 0..16, the width of the handled-by-code table.</summary>
    private const int StatusCodeCount = 17;

    private readonly ConcurrentDictionary<GrpcMethodInfo, MethodCounters> counters = new(ReferenceEqualityComparer.Instance);

    /// <inheritdoc />
    public void CallStarted(ServerCallContext call)
    {
        ArgumentNullException.ThrowIfNull(call);
        Interlocked.Increment(ref For(call.Method).Started);
    }

    /// <inheritdoc />
    public void MessageReceived(GrpcMethodInfo method) => Interlocked.Increment(ref For(method).Received);

    /// <inheritdoc />
    public void MessageSent(GrpcMethodInfo method) => Interlocked.Increment(ref For(method).Sent);

    /// <inheritdoc />
    public void CallHandled(ServerCallContext call, GrpcStatusCode code, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(call);
        int slot = (int)code is >= 0 and < StatusCodeCount ? (int)code : (int)GrpcStatusCode.Unknown;
        Interlocked.Increment(ref For(call.Method).Handled[slot]);
    }

    /// <summary>Writes the four counter families, one sample per method (and code) seen so far.</summary>
    public void WriteTo(PrometheusTextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var methods = counters.ToArray();
        Array.Sort(methods, static (a, b) => string.CompareOrdinal(a.Key.Path, b.Key.Path));
        WriteCounter(writer, methods, "grpc_server_started_total", "Total number of RPCs started on the server.", static c => c.Started);
        writer.Family("grpc_server_handled_total", "counter", "Total number of RPCs completed on the server, regardless of success or failure.");
        foreach (var (method, counter) in methods)
        {
            for (int code = 0; code < StatusCodeCount; code++)
            {
                long handled = Interlocked.Read(ref counter.Handled[code]);
                if (handled != 0)
                {
                    writer.Sample("grpc_server_handled_total", Labels(method, ((GrpcStatusCode)code).ToString()), handled);
                }
            }
        }
        WriteCounter(writer, methods, "grpc_server_msg_received_total", "Total number of RPC stream messages received on the server.", static c => c.Received);
        WriteCounter(writer, methods, "grpc_server_msg_sent_total", "Total number of gRPC stream messages sent by the server.", static c => c.Sent);
    }

    private static void WriteCounter(PrometheusTextWriter writer, KeyValuePair<GrpcMethodInfo, MethodCounters>[] methods,
        string name, string help, Func<MethodCounters, long> read)
    {
        writer.Family(name, "counter", help);
        foreach (var (method, counter) in methods)
        {
            writer.Sample(name, Labels(method, code: null), read(counter));
        }
    }

    private static (string Name, string Value)[] Labels(GrpcMethodInfo method, string? code) => code is null
        ? [("grpc_method", method.MethodName), ("grpc_service", method.ServiceName), ("grpc_type", method.Kind.PrometheusName())]
        : [("grpc_code", code), ("grpc_method", method.MethodName), ("grpc_service", method.ServiceName), ("grpc_type", method.Kind.PrometheusName())];

    private MethodCounters For(GrpcMethodInfo method) =>
        counters.TryGetValue(method, out MethodCounters? existing) ? existing : counters.GetOrAdd(method, static _ => new MethodCounters());

    /// <summary>The counters of one method; fields so Interlocked can take them by reference.</summary>
    private sealed class MethodCounters
    {
        public long Started;
        public long Received;
        public long Sent;
        public readonly long[] Handled = new long[StatusCodeCount];
    }
}
