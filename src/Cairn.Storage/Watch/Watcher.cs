using Cairn.Protocol.Etcd;
using Cairn.Storage.Mvcc;

namespace Cairn.Storage.Watch;

/// <summary>
/// One registered watcher (etcd's "watching"): a key or range, a start revision, filters and prev_kv. The server
/// pulls its events with <see cref="TryTake"/> whenever the ready callback fired, until it returns
/// <see cref="WatchTakeStatus.Nothing"/>.
/// </summary>
public sealed class Watcher
{
    private readonly WatchHub _hub;

    internal Watcher(WatchHub hub, long id, byte[] key, byte[] rangeEnd, EventFilter filter, Action<Watcher>? onReady)
    {
        _hub = hub;
        Id = id;
        KeyBytes = key;
        RangeEndBytes = rangeEnd;
        Filter = filter;
        OnReady = onReady;
    }

    /// <summary>Hub-wide unique ID (not the per-stream etcd watch ID).</summary>
    public long Id { get; }

    /// <summary>The watched key (an empty request key is stored as <c>\0</c>).</summary>
    public ReadOnlyMemory<byte> Key => KeyBytes;

    /// <summary>The range end (etcd rules; empty = the single key).</summary>
    public ReadOnlyMemory<byte> RangeEnd => RangeEndBytes;

    /// <summary>True once the watcher receives live events (not catching up from history).</summary>
    public bool IsSynced
    {
        get
        {
            lock (_hub.SyncRoot)
            {
                return State == WatcherState.Synced;
            }
        }
    }

    /// <summary>
    /// Takes the next events (at most about <paramref name="maxEvents"/>; a revision is never split) into
    /// <paramref name="into"/>, reading history first if the watcher is behind. Call from the consumer's thread;
    /// may read the store, never blocks apply.
    /// </summary>
    public WatchTakeResult TryTake(List<Event> into, int maxEvents) => _hub.Take(this, into, maxEvents);

    /// <summary>Stops the watcher; later <see cref="TryTake"/> calls return <see cref="WatchTakeStatus.Canceled"/>.</summary>
    public void Cancel() => _hub.Cancel(this);

    internal byte[] KeyBytes { get; }

    internal byte[] RangeEndBytes { get; }

    internal EventFilter Filter { get; }

    internal Action<Watcher>? OnReady { get; }

    // ---- guarded by the hub's lock ----

    internal WatcherState State;

    /// <summary>The first revision this watcher has not been given (live events below it are skipped).</summary>
    internal long NextRevision;

    internal long CompactRevision;

    internal readonly Queue<Event> Buffer = new();

    internal readonly List<Event> PublishScratch = [];
}

/// <summary>Where a watcher is in its life.</summary>
internal enum WatcherState
{
    /// <summary>Receives live events into its buffer.</summary>
    Synced,

    /// <summary>Behind: its consumer reads history until it has caught up.</summary>
    Unsynced,

    /// <summary>Its history was compacted; the next take reports it and closes the watcher.</summary>
    Compacted,

    /// <summary>Cancelled or closed.</summary>
    Closed,
}
