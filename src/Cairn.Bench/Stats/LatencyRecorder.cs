using System.Diagnostics;

namespace Cairn.Bench.Stats;

/// <summary>
/// Latencies of one run, recorded without locks or allocation: slot <c>i</c> belongs to request <c>i</c>, so
/// concurrent clients never write the same slot. Failed requests leave their slot empty and are not counted.
/// </summary>
internal sealed class LatencyRecorder
{
    /// <summary>The most requests one run may record (8 bytes each).</summary>
    public const long MaxRecordedRequests = 200_000_000;

    private const long Empty = -1;
    private readonly long[] _ticks;

    /// <summary>Preallocates room for <paramref name="capacity"/> requests.</summary>
    public LatencyRecorder(long capacity)
    {
        if (capacity < 0 || capacity > MaxRecordedRequests)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, $"a run records at most {MaxRecordedRequests:N0} requests; use a smaller --total");
        }

        _ticks = new long[capacity];
        Array.Fill(_ticks, Empty);
    }

    /// <summary>How many slots there are.</summary>
    public long Capacity => _ticks.LongLength;

    /// <summary>Records the latency of request <paramref name="index"/> in <see cref="Stopwatch"/> ticks.</summary>
    public void Record(long index, long elapsedTicks) => _ticks[index] = Math.Max(0, elapsedTicks);

    /// <summary>The recorded latencies in seconds, sorted ascending (the empty slots left out).</summary>
    public double[] SortedSeconds()
    {
        int count = 0;
        foreach (long ticks in _ticks)
        {
            count += ticks == Empty ? 0 : 1;
        }

        var seconds = new double[count];
        int at = 0;
        double perTick = 1.0 / Stopwatch.Frequency;
        foreach (long ticks in _ticks)
        {
            if (ticks != Empty)
            {
                seconds[at++] = ticks * perTick;
            }
        }

        Array.Sort(seconds);
        return seconds;
    }
}
