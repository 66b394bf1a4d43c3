namespace Cairn.Bench.Stats;

/// <summary>One percentile: <see cref="Percent"/> % of the requests took at most <see cref="Seconds"/>.</summary>
internal readonly record struct Percentile(double Percent, double Seconds);

/// <summary>One bar of the text histogram: requests with latency up to <see cref="UpperSeconds"/> (and above the previous bar's bound).</summary>
internal readonly record struct HistogramBucket(double UpperSeconds, long Count);

/// <summary>
/// The latency figures of a run, computed from the sorted latencies of its successful requests: etcd's benchmark
/// summary (total, slowest, fastest, average, stddev, requests/sec), its 11-bar histogram and its percentiles.
/// </summary>
internal sealed record LatencySummary(
    long Count,
    double TotalSeconds,
    double AverageSeconds,
    double StddevSeconds,
    double FastestSeconds,
    double SlowestSeconds,
    double RequestsPerSecond,
    IReadOnlyList<Percentile> Percentiles,
    IReadOnlyList<HistogramBucket> Histogram)
{
    /// <summary>The percentiles reported: etcd's (10 to 99.9) plus 99.99.</summary>
    public static readonly double[] ReportedPercents = [10, 25, 50, 75, 90, 95, 99, 99.9, 99.99];

    private const double RankTolerance = 1e-9;

    // etcd's histogram: 10 equal-width buckets from fastest to slowest plus one at the slowest.
    private const int HistogramBuckets = 10;

    /// <summary>Summarizes <paramref name="sortedSeconds"/> (ascending) of a run that took <paramref name="totalSeconds"/>.</summary>
    public static LatencySummary Compute(IReadOnlyList<double> sortedSeconds, double totalSeconds)
    {
        int n = sortedSeconds.Count;
        if (n == 0)
        {
            return new LatencySummary(0, totalSeconds, 0, 0, 0, 0, 0, [], []);
        }

        double sum = 0;
        foreach (double s in sortedSeconds)
        {
            sum += s;
        }

        double mean = sum / n;
        double squares = 0;
        foreach (double s in sortedSeconds)
        {
            squares += (s - mean) * (s - mean);
        }

        var percentiles = new Percentile[ReportedPercents.Length];
        for (int i = 0; i < percentiles.Length; i++)
        {
            percentiles[i] = new Percentile(ReportedPercents[i], NearestRank(sortedSeconds, ReportedPercents[i]));
        }

        double rate = totalSeconds > 0 ? n / totalSeconds : 0;
        return new LatencySummary(n, totalSeconds, mean, Math.Sqrt(squares / n), sortedSeconds[0], sortedSeconds[n - 1], rate,
            percentiles, BuildHistogram(sortedSeconds));
    }

    /// <summary>The value of percentile <paramref name="percent"/>, or 0 when there are no requests.</summary>
    public double At(double percent)
    {
        foreach (Percentile p in Percentiles)
        {
            if (p.Percent == percent)
            {
                return p.Seconds;
            }
        }

        return 0;
    }

    /// <summary>
    /// The nearest-rank percentile: the smallest latency such that at least <paramref name="percent"/> % of the
    /// requests took no longer (rank ceil(p/100 * n), 1-based).
    /// </summary>
    public static double NearestRank(IReadOnlyList<double> sortedSeconds, double percent)
    {
        int n = sortedSeconds.Count;
        // The tolerance keeps binary rounding from bumping an exact rank up by one (99.9 % of 1000 is rank 999, but
        // 99.9 / 100 * 1000 evaluates to 999.0000000000001).
        long rank = (long)Math.Ceiling((percent * n / 100.0) - RankTolerance);
        return sortedSeconds[(int)Math.Clamp(rank, 1, n) - 1];
    }

    private static HistogramBucket[] BuildHistogram(IReadOnlyList<double> sorted)
    {
        double fastest = sorted[0], slowest = sorted[^1];
        double width = (slowest - fastest) / HistogramBuckets;
        var bounds = new double[HistogramBuckets + 1];
        for (int i = 0; i < HistogramBuckets; i++)
        {
            bounds[i] = fastest + (width * i);
        }

        bounds[HistogramBuckets] = slowest;
        var counts = new long[bounds.Length];
        int bucket = 0;
        foreach (double s in sorted)
        {
            while (s > bounds[bucket] && bucket < bounds.Length - 1)
            {
                bucket++;
            }

            counts[bucket]++;
        }

        var result = new HistogramBucket[bounds.Length];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = new HistogramBucket(bounds[i], counts[i]);
        }

        return result;
    }
}
