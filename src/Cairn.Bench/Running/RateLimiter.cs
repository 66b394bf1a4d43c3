using System.Diagnostics;

namespace Cairn.Bench.Running;

/// <summary>
/// <c>--rate</c>: request <c>i</c> may start no earlier than <c>i / rate</c> seconds after the run started. Clients that
/// fall behind catch up without waiting (no burst limit beyond that), like etcd's token bucket with a burst of one.
/// </summary>
internal sealed class RateLimiter
{
    private readonly double _ticksPerRequest;
    private readonly long _startTicks;

    public RateLimiter(double requestsPerSecond, long startTimestamp)
    {
        Cairn.Protocol.Invariant.Check(requestsPerSecond > 0, "a rate limiter needs a positive rate");
        _ticksPerRequest = Stopwatch.Frequency / requestsPerSecond;
        _startTicks = startTimestamp;
    }

    /// <summary>Waits until request <paramref name="index"/> may start.</summary>
    public ValueTask WaitTurnAsync(long index, CancellationToken cancellationToken = default)
    {
        long due = _startTicks + (long)(index * _ticksPerRequest);
        long wait = due - Stopwatch.GetTimestamp();
        // Timers are coarse; waits below a millisecond are not worth a timer.
        return wait * 1000 < Stopwatch.Frequency
            ? ValueTask.CompletedTask
            : new ValueTask(Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency), cancellationToken));
    }
}
