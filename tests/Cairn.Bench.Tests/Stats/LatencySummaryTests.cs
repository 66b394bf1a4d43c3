using Cairn.Bench.Stats;

namespace Cairn.Bench.Tests.Stats;

/// <summary>The percentile, mean, stddev and histogram math against distributions whose answers are known.</summary>
public sealed class LatencySummaryTests
{
    // 1, 2, ..., 1000 milliseconds.
    private static double[] OneToThousandMs() => Enumerable.Range(1, 1000).Select(i => i / 1000.0).ToArray();

    [Theory]
    [InlineData(10, 100)]
    [InlineData(50, 500)]
    [InlineData(90, 900)]
    [InlineData(99, 990)]
    [InlineData(99.9, 999)]
    [InlineData(99.99, 1000)]
    public void Nearest_rank_percentiles_of_one_to_a_thousand(double percent, int expectedMs)
    {
        LatencySummary summary = LatencySummary.Compute(OneToThousandMs(), totalSeconds: 2);
        Assert.Equal(expectedMs / 1000.0, summary.At(percent), 12);
    }

    [Fact]
    public void Mean_stddev_extremes_and_rate_of_one_to_a_thousand()
    {
        LatencySummary summary = LatencySummary.Compute(OneToThousandMs(), totalSeconds: 2);
        Assert.Equal(1000, summary.Count);
        Assert.Equal(0.5005, summary.AverageSeconds, 12);
        // Population stddev of 1..n is sqrt((n^2 - 1) / 12).
        Assert.Equal(Math.Sqrt(((1000.0 * 1000.0) - 1) / 12) / 1000, summary.StddevSeconds, 9);
        Assert.Equal(0.001, summary.FastestSeconds);
        Assert.Equal(1.0, summary.SlowestSeconds);
        Assert.Equal(500, summary.RequestsPerSecond, 9);
    }

    [Fact]
    public void Histogram_has_eleven_bars_that_hold_every_request_in_its_bucket()
    {
        LatencySummary summary = LatencySummary.Compute(OneToThousandMs(), totalSeconds: 1);
        Assert.Equal(11, summary.Histogram.Count);
        Assert.Equal(1000, summary.Histogram.Sum(b => b.Count));
        // Bounds: 0.001 + 0.0999 k; a request falls into the first bar whose bound is >= its latency.
        Assert.Equal(1, summary.Histogram[0].Count);               // only 1 ms <= 0.001
        Assert.Equal(99, summary.Histogram[1].Count);              // 2..100 ms <= 0.1009
        Assert.Equal(1.0, summary.Histogram[^1].UpperSeconds);
        for (int i = 1; i < summary.Histogram.Count; i++)
        {
            Assert.True(summary.Histogram[i].UpperSeconds >= summary.Histogram[i - 1].UpperSeconds);
        }
    }

    [Fact]
    public void A_single_request_is_every_percentile_and_the_whole_histogram()
    {
        LatencySummary summary = LatencySummary.Compute([0.25], totalSeconds: 0.5);
        Assert.All(summary.Percentiles, p => Assert.Equal(0.25, p.Seconds));
        Assert.Equal(0, summary.StddevSeconds);
        Assert.Equal(1, summary.Histogram.Sum(b => b.Count));
    }

    [Fact]
    public void No_requests_give_zeros_not_an_exception()
    {
        LatencySummary summary = LatencySummary.Compute([], totalSeconds: 1);
        Assert.Equal(0, summary.Count);
        Assert.Equal(0, summary.RequestsPerSecond);
        Assert.Equal(0, summary.At(99));
        Assert.Empty(summary.Histogram);
    }

    [Fact]
    public void Recorder_skips_failed_slots_and_sorts()
    {
        var recorder = new LatencyRecorder(5);
        long frequency = System.Diagnostics.Stopwatch.Frequency;
        recorder.Record(0, 3 * frequency);
        recorder.Record(2, 1 * frequency);
        recorder.Record(4, 2 * frequency);
        Assert.Equal([1.0, 2.0, 3.0], recorder.SortedSeconds());
    }

    [Fact]
    public void Recorder_refuses_more_than_it_can_hold()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LatencyRecorder(LatencyRecorder.MaxRecordedRequests + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LatencyRecorder(-1));
    }

    [Fact]
    public void Json_report_round_trips_with_milliseconds()
    {
        var report = new BenchReport
        {
            Workload = "put",
            Parameters = [("clients", "3")],
            Attempted = 1002,
            Latency = LatencySummary.Compute(OneToThousandMs(), 2),
            Errors = [("Unavailable: no leader", 2)],
        };
        ReportJson parsed = ReportJson.Deserialize(ReportJson.Serialize(report))!;
        Assert.Equal(1000, parsed.Succeeded);
        Assert.Equal(2, parsed.Failed);
        Assert.Equal(parsed.Attempted, parsed.Succeeded + parsed.Failed);
        Assert.Equal(990, parsed.Latency.PercentilesMs["p99"], 9);
        Assert.Equal(999, parsed.Latency.PercentilesMs["p99.9"], 9);
        Assert.Equal("3", parsed.Parameters["clients"]);
        Assert.Equal(2, parsed.Errors["Unavailable: no leader"]);
    }
}
