namespace Cairn.Server.Metrics;

/// <summary>
/// A Prometheus histogram of durations with fixed upper bounds, lock-free: one Interlocked increment per
/// observation (the bucket it falls into; cumulative counts are summed at scrape time) plus one add for the sum.
/// </summary>
public sealed class DurationHistogram
{
    private readonly double[] upperBoundsSeconds;
    private readonly long[] bucketCounts;
    private long sumNanoseconds;

    /// <summary>Creates a histogram with the given strictly increasing upper bounds (seconds); +Inf is implicit.</summary>
    public DurationHistogram(double[] upperBoundsSeconds)
    {
        ArgumentNullException.ThrowIfNull(upperBoundsSeconds);
        for (int i = 1; i < upperBoundsSeconds.Length; i++)
        {
            if (!(upperBoundsSeconds[i] > upperBoundsSeconds[i - 1]))
            {
                throw new ArgumentException("histogram bounds must be strictly increasing", nameof(upperBoundsSeconds));
            }
        }
        this.upperBoundsSeconds = (double[])upperBoundsSeconds.Clone();
        // The last slot counts observations above every bound (the +Inf bucket's own share).
        bucketCounts = new long[upperBoundsSeconds.Length + 1];
    }

    /// <summary>
    /// etcd's buckets for etcd_disk_wal_fsync_duration_seconds and etcd_disk_backend_commit_duration_seconds:
    /// prometheus.ExponentialBuckets(0.001, 2, 14), i.e. 1 ms to 8.192 s.
    /// </summary>
    public static double[] EtcdDiskBucketsSeconds()
    {
        var bounds = new double[14];
        double bound = 0.001;
        for (int i = 0; i < bounds.Length; i++, bound *= 2)
        {
            bounds[i] = bound;
        }
        return bounds;
    }

    /// <summary>The upper bounds in seconds, +Inf excluded.</summary>
    public ReadOnlySpan<double> UpperBoundsSeconds => upperBoundsSeconds;

    /// <summary>Records one duration. Thread-safe, allocation-free.</summary>
    public void Observe(TimeSpan duration)
    {
        double seconds = duration.TotalSeconds;
        int bucket = 0;
        while (bucket < upperBoundsSeconds.Length && seconds > upperBoundsSeconds[bucket])
        {
            bucket++;
        }
        Interlocked.Increment(ref bucketCounts[bucket]);
        Interlocked.Add(ref sumNanoseconds, duration.Ticks * 100);
    }

    /// <summary>A consistent-enough copy for one scrape: cumulative counts per bound, then the total (+Inf).</summary>
    public HistogramSnapshot Snapshot()
    {
        var cumulative = new long[bucketCounts.Length];
        long running = 0;
        for (int i = 0; i < bucketCounts.Length; i++)
        {
            running += Interlocked.Read(ref bucketCounts[i]);
            cumulative[i] = running;
        }
        return new HistogramSnapshot(upperBoundsSeconds, cumulative, Interlocked.Read(ref sumNanoseconds) / 1e9);
    }
}

/// <summary>One read of a <see cref="DurationHistogram"/>.</summary>
/// <param name="UpperBoundsSeconds">The finite bounds.</param>
/// <param name="CumulativeCounts">Observations at or below each bound; the last element is the total count (+Inf).</param>
/// <param name="SumSeconds">The sum of all observations.</param>
public readonly record struct HistogramSnapshot(double[] UpperBoundsSeconds, long[] CumulativeCounts, double SumSeconds)
{
    /// <summary>The number of observations.</summary>
    public long Count => CumulativeCounts[^1];
}
