using System.Text;
using Cairn.Server.Node;
using Microsoft.AspNetCore.Http;

namespace Cairn.Server.Metrics;

/// <summary><c>GET /metrics</c>: the Prometheus text exposition, as etcd serves it on the client port.</summary>
public static class MetricsEndpoint
{
    /// <summary>The path.</summary>
    public const string Path = "/metrics";

    /// <summary>Answers with the current metrics of <paramref name="node"/>.</summary>
    public static Task HandleAsync(HttpContext context, CairnMetrics metrics, EtcdNode node)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(metrics);
        byte[] body = Encoding.UTF8.GetBytes(metrics.Render(node));
        context.Response.ContentType = PrometheusTextWriter.ContentType;
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }
}
