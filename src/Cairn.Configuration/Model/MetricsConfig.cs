namespace Cairn.Configuration;

/// <summary>Additional listeners for /metrics and /health only (etcd <c>--listen-metrics-urls</c>).</summary>
public sealed record MetricsConfig
{
    /// <summary>URLs to listen on; empty means /metrics and /health are served on the client URLs only.</summary>
    public IReadOnlyList<Uri> ListenUrls { get; init; } = [];
}
