using Cairn.Protocol.Grpc;
using System.Runtime.InteropServices;
using Cairn.Protocol.Etcd;
using Cairn.Storage.Mvcc;

namespace Cairn.Storage.Watch;

/// <summary>
/// Fans the store's applied changes out to watchers (etcd reference §4.7). Live events go to each matching
/// watcher's bounded buffer on the apply thread; a watcher that starts in the past, or whose buffer overflows, is
/// "unsynced" and catches up from the store's history on its consumer's thread, then switches back to live events.
/// </summary>
/// <remarks>
/// <para>Exact-key watchers are found by hash lookup; range watchers are grouped by identical (key, range_end), kept
/// sorted by start key, and only groups starting at or before the changed key are checked.</para>
/// <para>One lock guards the registry and the buffers; apply holds it once per revision, consumers hold it only to
/// move buffered events. Catch-up reads run outside it.</para>
/// </remarks>
public sealed partial class WatchHub : IMvccChangeSink
{
    private MvccStore _store;
    private readonly WatchOptions _options;
    private readonly Dictionary<byte[], List<Watcher>> _exact = new(ByteArrayComparer.Instance);
    private readonly List<RangeGroup> _ranges = [];
    private readonly List<Watcher> _touched = [];
    private readonly List<Watcher> _toSignal = [];
    private long _nextId = 1;
    private long _publishedRevision;
    private int _watcherCount;

    /// <summary>Creates a hub fed by <paramref name="store"/> (it registers itself as the store's change sink).</summary>
    public WatchHub(MvccStore store, WatchOptions options)
    {
        options.Validate();
        _store = store;
        _options = options;
        _publishedRevision = store.CurrentRevision;
        store.SetChangeSink(this);
    }

    /// <summary>etcd's cancel reason for a watch whose range holds no key.</summary>
    public static readonly EtcdError EmptyRange = new(GrpcStatusCode.InvalidArgument, "mvcc: watcher range is empty");

    internal object SyncRoot { get; } = new();

    /// <summary>The latest revision delivered to synced watchers (for progress notifications).</summary>
    public long CurrentRevision
    {
        get
        {
            lock (SyncRoot)
            {
                return _publishedRevision;
            }
        }
    }

    /// <summary>Number of registered watchers.</summary>
    public int WatcherCount => Volatile.Read(ref _watcherCount);

    /// <summary>
    /// Registers a watcher for an etcd create request. <paramref name="onReady"/> is called (possibly on the apply
    /// thread, so it must not block) whenever the watcher has something to take.
    /// </summary>
    /// <exception cref="EtcdException"><see cref="EmptyRange"/> when range_end is set and not after the key (etcd
    /// answers such a create with created+canceled and this cancel_reason).</exception>
    public Watcher Register(WatchCreateRequest request, Action<Watcher>? onReady)
    {
        byte[] key = request.Key.IsEmpty ? [0] : request.Key.ToByteArray();
        ReadOnlySpan<byte> rangeEnd = request.RangeEnd.Span;
        if (!KeyRange.IsSingleKey(rangeEnd) && !KeyRange.IsUnbounded(rangeEnd) && key.AsSpan().SequenceCompareTo(rangeEnd) >= 0)
        {
            throw EmptyRange.ToException();
        }

        var filter = new EventFilter(
            NoPut: request.Filters.Contains(WatchCreateRequest.Types.FilterType.Noput),
            NoDelete: request.Filters.Contains(WatchCreateRequest.Types.FilterType.Nodelete),
            PrevKv: request.PrevKv);
        Watcher watcher;
        lock (SyncRoot)
        {
            watcher = new Watcher(this, _nextId++, key, request.RangeEnd.ToByteArray(), filter, onReady);
            long start = request.StartRevision;
            bool live = start == 0 || start > _publishedRevision;
            watcher.State = live ? WatcherState.Synced : WatcherState.Unsynced;
            watcher.NextRevision = start == 0 ? _publishedRevision + 1 : start;
            AddToIndex(watcher);
        }

        if (watcher.State == WatcherState.Unsynced)
        {
            onReady?.Invoke(watcher);
        }

        return watcher;
    }

    internal void Cancel(Watcher watcher)
    {
        lock (SyncRoot)
        {
            if (watcher.State == WatcherState.Closed)
            {
                return;
            }

            watcher.State = WatcherState.Closed;
            watcher.Buffer.Clear();
            RemoveFromIndex(watcher);
        }
    }

    /// <summary>
    /// Moves the hub to a store that replaced the old one (snapshot install): every watcher becomes unsynced and
    /// catches up from the new store from the first revision it has not seen (or learns it was compacted). Apply
    /// thread.
    /// </summary>
    public void SwitchStore(MvccStore store)
    {
        var toSignal = new List<Watcher>();
        lock (SyncRoot)
        {
            _store = store;
            store.SetChangeSink(this);
            foreach (Watcher watcher in AllWatchers())
            {
                if (watcher.State == WatcherState.Synced)
                {
                    watcher.NextRevision = Math.Max(watcher.NextRevision, _publishedRevision + 1);
                    watcher.State = WatcherState.Unsynced;
                    toSignal.Add(watcher);
                }
            }

            _publishedRevision = store.CurrentRevision;
        }

        foreach (Watcher watcher in toSignal)
        {
            watcher.OnReady?.Invoke(watcher);
        }
    }

    /// <inheritdoc />
    void IMvccChangeSink.OnRevisionCommitted(long revision, ReadOnlySpan<MvccChange> changes)
    {
        lock (SyncRoot)
        {
            _publishedRevision = revision;
            if (_watcherCount > 0)
            {
                foreach (ref readonly MvccChange change in changes)
                {
                    CollectMatches(revision, change);
                }

                DeliverCollected(revision);
            }
        }

        SignalCollected();
    }

    /// <summary>Adds the change's event to the scratch list of every synced watcher that wants it.</summary>
    private void CollectMatches(long revision, in MvccChange change)
    {
        Event? plain = null;
        Event? withPrev = null;
        if (_exact.TryGetValue(change.Key, out List<Watcher>? exact))
        {
            foreach (Watcher watcher in exact)
            {
                Offer(watcher, revision, change, ref plain, ref withPrev);
            }
        }

        int groups = RangeGroupsStartingAtOrBefore(change.Key);
        for (int i = 0; i < groups; i++)
        {
            RangeGroup group = _ranges[i];
            if (KeyRange.Contains(group.Key, group.RangeEnd, change.Key))
            {
                foreach (Watcher watcher in group.Watchers)
                {
                    Offer(watcher, revision, change, ref plain, ref withPrev);
                }
            }
        }
    }

    private void Offer(Watcher watcher, long revision, in MvccChange change, ref Event? plain, ref Event? withPrev)
    {
        if (watcher.State != WatcherState.Synced || revision < watcher.NextRevision)
        {
            return;
        }

        bool isDelete = change.Record.IsTombstone;
        if (isDelete ? watcher.Filter.NoDelete : watcher.Filter.NoPut)
        {
            return;
        }

        Event evt;
        if (watcher.Filter.PrevKv && change.HasPrevious)
        {
            withPrev ??= _store.ToEvent(change.Key, change.Record, _store.ToKeyValue(change.Key, change.Previous, includeValue: true));
            evt = withPrev;
        }
        else
        {
            plain ??= _store.ToEvent(change.Key, change.Record, previous: null);
            evt = plain;
        }

        if (watcher.PublishScratch.Count == 0)
        {
            _touched.Add(watcher);
        }

        watcher.PublishScratch.Add(evt);
    }

    /// <summary>Moves each touched watcher's events for this revision into its buffer, or marks it unsynced if they
    /// do not fit (it will read this revision from history).</summary>
    private void DeliverCollected(long revision)
    {
        foreach (Watcher watcher in _touched)
        {
            List<Event> events = watcher.PublishScratch;
            if (watcher.Buffer.Count + events.Count > _options.WatcherBufferEvents)
            {
                watcher.State = WatcherState.Unsynced;
                watcher.NextRevision = revision;
                _toSignal.Add(watcher);
            }
            else
            {
                if (watcher.Buffer.Count == 0)
                {
                    _toSignal.Add(watcher);
                }

                foreach (Event evt in CollectionsMarshal.AsSpan(events))
                {
                    watcher.Buffer.Enqueue(evt);
                }

                watcher.NextRevision = revision + 1;
            }

            events.Clear();
        }

        _touched.Clear();
    }

    /// <summary>Invokes ready callbacks outside the lock (they may call back into the hub).</summary>
    private void SignalCollected()
    {
        Watcher[] toSignal;
        lock (SyncRoot)
        {
            if (_toSignal.Count == 0)
            {
                return;
            }

            toSignal = _toSignal.ToArray();
            _toSignal.Clear();
        }

        foreach (Watcher watcher in toSignal)
        {
            watcher.OnReady?.Invoke(watcher);
        }
    }
}
