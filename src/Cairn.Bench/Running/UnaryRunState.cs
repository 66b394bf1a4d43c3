using Cairn.Bench.Stats;

namespace Cairn.Bench.Running;

/// <summary>What the clients of one unary run share: the next request number, the pacing, and where results go.</summary>
internal sealed class UnaryRunState
{
    private long _next;
    private long _completed;

    public UnaryRunState(long total, RateLimiter? rate)
    {
        Total = total;
        Rate = rate;
        Latencies = new LatencyRecorder(total);
    }

    /// <summary>Requests in the run.</summary>
    public long Total { get; }

    /// <summary>The pacing, or null for as fast as possible.</summary>
    public RateLimiter? Rate { get; }

    /// <summary>Latencies of successful requests, by request number.</summary>
    public LatencyRecorder Latencies { get; }

    /// <summary>Failed requests by error.</summary>
    public ErrorCounter Errors { get; } = new();

    /// <summary>Requests finished so far (for the progress bar).</summary>
    public long Completed => Interlocked.Read(ref _completed);

    /// <summary>Claims the next request number; false when all are taken.</summary>
    public bool TryTakeNext(out long index)
    {
        index = Interlocked.Increment(ref _next) - 1;
        return index < Total;
    }

    /// <summary>Counts a finished request.</summary>
    public void MarkCompleted() => Interlocked.Increment(ref _completed);
}
