using Cairn.Server.Metrics;

namespace Cairn.Clients.Tests;

/// <summary>The metrics building blocks on their own: histogram bucketing, text escaping, bad input.</summary>
public class MetricsUnitTests
{
    [Fact]
    public void Etcd_disk_buckets_are_1ms_doubling_to_8s()
    {
        double[] bounds = DurationHistogram.EtcdDiskBucketsSeconds();

        Assert.Equal(14, bounds.Length);
        Assert.Equal(0.001, bounds[0]);
        Assert.Equal(8.192, bounds[^1], 9);
    }

    [Fact]
    public void Histogram_counts_cumulatively_with_bounds_inclusive()
    {
        var histogram = new DurationHistogram([0.001, 0.01]);
        histogram.Observe(TimeSpan.FromMilliseconds(1));
        histogram.Observe(TimeSpan.FromMilliseconds(5));
        histogram.Observe(TimeSpan.FromSeconds(2));

        HistogramSnapshot snapshot = histogram.Snapshot();

        Assert.Equal([1L, 2L, 3L], snapshot.CumulativeCounts);
        Assert.Equal(3, snapshot.Count);
        Assert.Equal(2.006, snapshot.SumSeconds, 9);
    }

    [Fact]
    public void Histogram_rejects_bounds_that_do_not_increase()
    {
        Assert.Throws<ArgumentException>(() => new DurationHistogram([0.1, 0.1]));
        Assert.Throws<ArgumentException>(() => new DurationHistogram([0.2, 0.1]));
    }

    [Fact]
    public void Writer_output_parses_and_escapes_label_values()
    {
        var writer = new PrometheusTextWriter();
        writer.Family("demo_total", "counter", "A help text with a \\ backslash\nand a newline.");
        writer.Sample("demo_total", [("path", "a\"b\\c\nd")], 3);
        var histogram = new DurationHistogram([0.5]);
        histogram.Observe(TimeSpan.FromSeconds(1));
        writer.Histogram("demo_seconds", "Durations.", histogram.Snapshot());

        string text = writer.ToString();
        var samples = PrometheusText.Parse(text);

        Assert.Equal("a\"b\\c\nd", samples[0].Labels["path"]);
        Assert.Contains("demo_seconds_bucket{le=\"0.5\"} 0\n", text, StringComparison.Ordinal);
        Assert.Contains("demo_seconds_bucket{le=\"+Inf\"} 1\n", text, StringComparison.Ordinal);
        Assert.Equal(1, PrometheusText.Value(samples, "demo_seconds_count"));
    }

    [Theory]
    [InlineData("no_type 1\n")]
    [InlineData("# TYPE x counter\nx{a=\"1} 2\n")]
    [InlineData("# TYPE x counter\nx one\n")]
    [InlineData("# TYPE x counter\nx 1")]
    [InlineData("# TYPE 1x counter\n")]
    public void Parser_rejects_malformed_expositions(string text)
    {
        Assert.Throws<FormatException>(() => PrometheusText.Parse(text));
    }
}
