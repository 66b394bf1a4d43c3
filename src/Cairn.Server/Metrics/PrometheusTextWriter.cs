using System.Globalization;
using System.Text;

namespace Cairn.Server.Metrics;

/// <summary>
/// Builds the Prometheus text exposition format 0.0.4: a <c># HELP</c> and <c># TYPE</c> line per family, then
/// <c>name{label="value",...} number</c> lines. Not on a hot path (one scrape), so a StringBuilder is fine.
/// </summary>
public sealed class PrometheusTextWriter
{
    /// <summary>The Content-Type of the format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly StringBuilder text = new(16 * 1024);

    /// <summary>Starts a metric family.</summary>
    public void Family(string name, string type, string help)
    {
        text.Append("# HELP ").Append(name).Append(' ').Append(EscapeHelp(help)).Append('\n');
        text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
    }

    /// <summary>Writes one sample without labels.</summary>
    public void Sample(string name, double value) => Sample(name, [], value);

    /// <summary>Writes one sample with labels (written in the order given).</summary>
    public void Sample(string name, ReadOnlySpan<(string Name, string Value)> labels, double value)
    {
        text.Append(name);
        if (labels.Length > 0)
        {
            text.Append('{');
            for (int i = 0; i < labels.Length; i++)
            {
                if (i > 0)
                {
                    text.Append(',');
                }
                text.Append(labels[i].Name).Append("=\"");
                AppendEscapedLabelValue(labels[i].Value);
                text.Append('"');
            }
            text.Append('}');
        }
        text.Append(' ').Append(FormatValue(value)).Append('\n');
    }

    /// <summary>A whole family of one unlabelled sample.</summary>
    public void Single(string name, string type, string help, double value)
    {
        Family(name, type, help);
        Sample(name, value);
    }

    /// <summary>A histogram family: cumulative <c>_bucket{le=...}</c> samples, <c>_sum</c> and <c>_count</c>.</summary>
    public void Histogram(string name, string help, HistogramSnapshot histogram)
    {
        Family(name, "histogram", help);
        string bucketName = name + "_bucket";
        for (int i = 0; i < histogram.UpperBoundsSeconds.Length; i++)
        {
            Sample(bucketName, [("le", FormatValue(histogram.UpperBoundsSeconds[i]))], histogram.CumulativeCounts[i]);
        }
        Sample(bucketName, [("le", "+Inf")], histogram.Count);
        Sample(name + "_sum", histogram.SumSeconds);
        Sample(name + "_count", histogram.Count);
    }

    /// <inheritdoc />
    public override string ToString() => text.ToString();

    /// <summary>Go's strconv 'g' style as the Prometheus client prints: shortest round-trip, +Inf/-Inf/NaN.</summary>
    public static string FormatValue(double value)
    {
        if (double.IsPositiveInfinity(value))
        {
            return "+Inf";
        }
        if (double.IsNegativeInfinity(value))
        {
            return "-Inf";
        }
        return double.IsNaN(value) ? "NaN" : value.ToString("R", CultureInfo.InvariantCulture);
    }

    private void AppendEscapedLabelValue(string value)
    {
        foreach (char c in value)
        {
            _ = c switch
            {
                '\\' => text.Append("\\\\"),
                '"' => text.Append("\\\""),
                '\n' => text.Append("\\n"),
                _ => text.Append(c),
            };
        }
    }

    private static string EscapeHelp(string help) => help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
