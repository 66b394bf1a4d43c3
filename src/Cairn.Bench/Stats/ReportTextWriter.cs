using System.Globalization;
using System.Text;

namespace Cairn.Bench.Stats;

/// <summary>Writes a report in the layout of etcd's benchmark tool (<c>Summary</c>, histogram, distribution, errors).</summary>
internal static class ReportTextWriter
{
    private const int MaxBarLength = 40;
    private const char BarChar = '∎';

    /// <summary>The whole report as text.</summary>
    public static string Format(BenchReport report)
    {
        var text = new StringBuilder();
        text.Append(report.Workload).Append(':');
        foreach (var (name, value) in report.Parameters)
        {
            text.Append(' ').Append(name).Append('=').Append(value);
        }

        text.AppendLine();
        AppendSummary(text, "Summary", report.Latency, "Requests/sec");
        foreach (var (name, value) in report.Figures)
        {
            text.AppendLine(Invariant($"  {name}:\t{value:0.####}"));
        }

        text.AppendLine(Invariant($"  Client CPU:\t{report.ClientCpuMicrosPerRequest:0.0} µs/request (the load generator itself)"));
        AppendHistogram(text, report.Latency);
        AppendDistribution(text, report.Latency);
        foreach (var (title, summary) in report.ExtraLatencies)
        {
            AppendSummary(text, title, summary, "Per second");
            AppendDistribution(text, summary);
        }

        AppendErrors(text, report.Errors);
        return text.ToString();
    }

    private static void AppendSummary(StringBuilder text, string title, LatencySummary summary, string rateLabel)
    {
        text.AppendLine().AppendLine(title + ":");
        text.AppendLine(Invariant($"  Total:\t{summary.TotalSeconds:0.0000##} secs."));
        text.AppendLine(Invariant($"  Slowest:\t{summary.SlowestSeconds:0.0000##} secs."));
        text.AppendLine(Invariant($"  Fastest:\t{summary.FastestSeconds:0.0000##} secs."));
        text.AppendLine(Invariant($"  Average:\t{summary.AverageSeconds:0.0000##} secs."));
        text.AppendLine(Invariant($"  Stddev:\t{summary.StddevSeconds:0.0000##} secs."));
        text.AppendLine(Invariant($"  {rateLabel}:\t{summary.RequestsPerSecond:0.0000}"));
    }

    private static void AppendHistogram(StringBuilder text, LatencySummary summary)
    {
        text.AppendLine().AppendLine("Response time histogram:");
        long max = 0;
        foreach (HistogramBucket bucket in summary.Histogram)
        {
            max = Math.Max(max, bucket.Count);
        }

        foreach (HistogramBucket bucket in summary.Histogram)
        {
            int bar = max > 0 ? (int)(bucket.Count * MaxBarLength / max) : 0;
            text.AppendLine(Invariant($"  {bucket.UpperSeconds:0.0000##} [{bucket.Count}]\t|{new string(BarChar, bar)}"));
        }
    }

    private static void AppendDistribution(StringBuilder text, LatencySummary summary)
    {
        text.AppendLine().AppendLine("Latency distribution:");
        foreach (Percentile p in summary.Percentiles)
        {
            text.AppendLine(Invariant($"  {p.Percent:0.##}% in {p.Seconds:0.0000##} secs."));
        }
    }

    private static void AppendErrors(StringBuilder text, IReadOnlyList<(string Error, long Count)> errors)
    {
        if (errors.Count == 0)
        {
            return;
        }

        text.AppendLine().AppendLine("Error distribution:");
        foreach (var (error, count) in errors)
        {
            text.AppendLine(Invariant($"  [{count}]\t{error}"));
        }
    }

    private static string Invariant(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
}
