namespace Cairn.Bench.Stats;

/// <summary>The outcome of one benchmark run, ready to print as text or JSON, or to compare.</summary>
internal sealed class BenchReport
{
    /// <summary>The workload name (<c>put</c>, <c>range</c>, ...).</summary>
    public required string Workload { get; init; }

    /// <summary>The settings the run used (endpoints, conns, clients, total, workload flags), in print order.</summary>
    public required IReadOnlyList<(string Name, string Value)> Parameters { get; init; }

    /// <summary>Requests (or events, for watch) the run attempted.</summary>
    public required long Attempted { get; init; }

    /// <summary>The latencies of the successful requests (for watch: put-to-event latency).</summary>
    public required LatencySummary Latency { get; init; }

    /// <summary>Failures by error text.</summary>
    public required IReadOnlyList<(string Error, long Count)> Errors { get; init; }

    /// <summary>CPU (user + system) the benchmark process used during the run, per successful request, in microseconds.</summary>
    public double ClientCpuMicrosPerRequest { get; init; }

    /// <summary>Further latency summaries (e.g. the watch workload's put latency).</summary>
    public IReadOnlyList<(string Title, LatencySummary Summary)> ExtraLatencies { get; init; } = [];

    /// <summary>Further figures (e.g. events per second).</summary>
    public IReadOnlyList<(string Name, double Value)> Figures { get; init; } = [];

    /// <summary>Failed requests.</summary>
    public long Failed
    {
        get
        {
            long failed = 0;
            foreach (var (_, count) in Errors)
            {
                failed += count;
            }

            return failed;
        }
    }
}
