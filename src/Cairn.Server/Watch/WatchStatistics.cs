using System.Collections.Concurrent;

namespace Cairn.Server.Watch;

/// <summary>
/// Live figures of the watch service for /metrics (<c>etcd_debugging_mvcc_watch_stream_total</c>,
/// <c>watcher_total</c>, <c>slow_watcher_total</c>). Counting is lock-free; the slow-watcher count is computed when
/// read, from the open streams.
/// </summary>
public sealed class WatchStatistics
{
    private readonly ConcurrentDictionary<WatchStream, byte> _streams = new();
    private long _watchers;

    /// <summary>Open watch streams.</summary>
    public long Streams => _streams.Count;

    /// <summary>Watchers registered on all streams.</summary>
    public long Watchers => Volatile.Read(ref _watchers);

    /// <summary>Watchers catching up from history because they fell behind or started in the past.</summary>
    public long CountSlowWatchers()
    {
        long slow = 0;
        foreach (WatchStream stream in _streams.Keys)
        {
            slow += stream.CountSlowWatchers();
        }

        return slow;
    }

    internal void StreamOpened(WatchStream stream) => _streams.TryAdd(stream, 0);

    internal void StreamClosed(WatchStream stream) => _streams.TryRemove(stream, out _);

    internal void WatcherOpened() => Interlocked.Increment(ref _watchers);

    internal void WatcherClosed() => Interlocked.Decrement(ref _watchers);
}
