using Cairn.Protocol.Etcd;
using Cairn.Storage.Watch;

namespace Cairn.Server.Watch;

/// <summary>
/// One watcher as its stream sees it: the etcd watch ID the client knows, the hub watcher that holds its events, and
/// the per-watcher send state. Only the stream's writer loop reads or changes it, except <see cref="OnReady"/>.
/// </summary>
internal sealed class StreamWatcher
{
    private readonly WatchStream _stream;

    // 1 while this watcher sits in the stream's ready queue, so a burst of ready callbacks queues it once.
    private int _queued;

    public StreamWatcher(WatchStream stream, long watchId, WatchCreateRequest create)
    {
        _stream = stream;
        WatchId = watchId;
        ProgressNotify = create.ProgressNotify;
        Fragment = create.Fragment;
    }

    /// <summary>The ID the client uses for this watcher on this stream.</summary>
    public long WatchId { get; }

    /// <summary>The hub watcher; null once the watcher was compacted or cancelled (a compacted watcher keeps its ID
    /// until the client cancels it, as in etcd).</summary>
    public Watcher? HubWatcher { get; set; }

    /// <summary>The client asked for periodic progress notifications.</summary>
    public bool ProgressNotify { get; }

    /// <summary>The client accepts large responses split into fragments.</summary>
    public bool Fragment { get; }

    /// <summary>etcd's per-watcher progress flag: true when the next progress tick should notify (no events were sent
    /// since the previous tick).</summary>
    public bool ProgressDue { get; set; } = true;

    /// <summary>The hub's ready callback; may run on the apply thread, so it only queues and wakes the writer.</summary>
    public void OnReady(Watcher watcher) => Requeue();

    /// <summary>Puts this watcher in the ready queue unless it is already there.</summary>
    public void Requeue()
    {
        if (Interlocked.Exchange(ref _queued, 1) == 0)
        {
            _stream.EnqueueReady(this);
        }
    }

    /// <summary>Called by the writer when it takes this watcher out of the ready queue, before it takes events: a
    /// callback that fires after this queues the watcher again.</summary>
    public void MarkDequeued() => Volatile.Write(ref _queued, 0);
}
