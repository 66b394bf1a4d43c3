using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cairn.Bench.Stats;

/// <summary>The JSON form of a report (<c>-w json</c>): times in milliseconds, snake_case names.</summary>
internal sealed record ReportJson(
    string Workload,
    Dictionary<string, string> Parameters,
    long Attempted,
    long Succeeded,
    long Failed,
    double TotalSeconds,
    double RequestsPerSecond,
    LatencyJson Latency,
    Dictionary<string, long> Errors,
    double ClientCpuMicrosPerRequest,
    Dictionary<string, LatencyJson> ExtraLatencies,
    Dictionary<string, double> Figures)
{
    /// <summary>Serializes <paramref name="report"/>.</summary>
    public static string Serialize(BenchReport report) =>
        JsonSerializer.Serialize(From(report), ReportJsonContext.Default.ReportJson);

    /// <summary>Parses JSON written by <see cref="Serialize"/>.</summary>
    public static ReportJson? Deserialize(string json) => JsonSerializer.Deserialize(json, ReportJsonContext.Default.ReportJson);

    private static ReportJson From(BenchReport report)
    {
        var parameters = new Dictionary<string, string>();
        foreach (var (name, value) in report.Parameters)
        {
            parameters[name] = value;
        }

        var errors = new Dictionary<string, long>();
        foreach (var (error, count) in report.Errors)
        {
            errors[error] = count;
        }

        var extra = new Dictionary<string, LatencyJson>();
        foreach (var (title, summary) in report.ExtraLatencies)
        {
            extra[title] = LatencyJson.From(summary);
        }

        var figures = new Dictionary<string, double>();
        foreach (var (name, value) in report.Figures)
        {
            figures[name] = value;
        }

        return new ReportJson(report.Workload, parameters, report.Attempted, report.Latency.Count, report.Failed,
            report.Latency.TotalSeconds, report.Latency.RequestsPerSecond, LatencyJson.From(report.Latency), errors,
            report.ClientCpuMicrosPerRequest, extra, figures);
    }
}

/// <summary>A latency summary in JSON, in milliseconds.</summary>
internal sealed record LatencyJson(
    long Count,
    double AverageMs,
    double StddevMs,
    double FastestMs,
    double SlowestMs,
    Dictionary<string, double> PercentilesMs,
    HistogramJson[] Histogram)
{
    /// <summary>Converts a summary.</summary>
    public static LatencyJson From(LatencySummary summary)
    {
        var percentiles = new Dictionary<string, double>();
        foreach (Percentile p in summary.Percentiles)
        {
            percentiles["p" + p.Percent.ToString("0.##", CultureInfo.InvariantCulture)] = p.Seconds * 1000;
        }

        var histogram = new HistogramJson[summary.Histogram.Count];
        for (int i = 0; i < histogram.Length; i++)
        {
            histogram[i] = new HistogramJson(summary.Histogram[i].UpperSeconds * 1000, summary.Histogram[i].Count);
        }

        return new LatencyJson(summary.Count, summary.AverageSeconds * 1000, summary.StddevSeconds * 1000,
            summary.FastestSeconds * 1000, summary.SlowestSeconds * 1000, percentiles, histogram);
    }
}

/// <summary>One histogram bar in JSON.</summary>
internal sealed record HistogramJson(double UpperMs, long Count);

/// <summary>Source-generated serialization (no reflection: native AOT).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(ReportJson))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;
