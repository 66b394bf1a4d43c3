using Cairn.Protocol.Etcd;
using Cairn.Storage.Mvcc;

namespace Cairn.Storage.Watch;

/// <summary>The consumer side: taking buffered events, and catching up from history.</summary>
public sealed partial class WatchHub
{
    internal WatchTakeResult Take(Watcher watcher, List<Event> into, int maxEvents)
    {
        while (true)
        {
            long from;
            lock (SyncRoot)
            {
                switch (watcher.State)
                {
                    case WatcherState.Closed:
                        return new WatchTakeResult(WatchTakeStatus.Canceled, _publishedRevision, 0);
                    case WatcherState.Compacted:
                        watcher.State = WatcherState.Closed;
                        return new WatchTakeResult(WatchTakeStatus.Compacted, 0, watcher.CompactRevision);
                }

                if (watcher.Buffer.Count > 0)
                {
                    return new WatchTakeResult(WatchTakeStatus.Events, MoveBuffered(watcher, into, maxEvents), 0);
                }

                if (watcher.State == WatcherState.Synced)
                {
                    return new WatchTakeResult(WatchTakeStatus.Nothing, _publishedRevision, 0);
                }

                from = watcher.NextRevision;
            }

            HistoryRead read = _store.ReadHistory(watcher.KeyBytes, watcher.RangeEndBytes, from,
                Math.Min(maxEvents, _options.CatchUpBatchEvents), watcher.Filter);
            WatchTakeResult? result = CompleteCatchUp(watcher, from, read, into);
            if (result is not null)
            {
                return result.Value;
            }
        }
    }

    /// <summary>Moves buffered events (whole revisions, at least one) and returns the newest revision moved.</summary>
    private static long MoveBuffered(Watcher watcher, List<Event> into, int maxEvents)
    {
        int moved = 0;
        long revision = 0;
        while (watcher.Buffer.TryPeek(out Event? next))
        {
            long nextRevision = next.Kv.ModRevision;
            if (moved >= maxEvents && nextRevision != revision)
            {
                break;
            }

            into.Add(watcher.Buffer.Dequeue());
            revision = nextRevision;
            moved++;
        }

        return revision;
    }

    /// <summary>Applies a history read to the watcher; null means "read again" (the window held no wanted events
    /// and the watcher is still behind).</summary>
    private WatchTakeResult? CompleteCatchUp(Watcher watcher, long from, HistoryRead read, List<Event> into)
    {
        lock (SyncRoot)
        {
            if (watcher.State == WatcherState.Closed)
            {
                return new WatchTakeResult(WatchTakeStatus.Canceled, _publishedRevision, 0);
            }

            if (watcher.State != WatcherState.Unsynced || watcher.NextRevision != from)
            {
                return null;
            }

            if (read.Compacted)
            {
                watcher.State = WatcherState.Closed;
                RemoveFromIndex(watcher);
                return new WatchTakeResult(WatchTakeStatus.Compacted, 0, read.CompactRevision);
            }

            watcher.NextRevision = Math.Max(from, read.ThroughRevision + 1);
            if (watcher.NextRevision > _publishedRevision)
            {
                watcher.State = WatcherState.Synced;
            }

            if (read.Events.Count > 0)
            {
                into.AddRange(read.Events);
                return new WatchTakeResult(WatchTakeStatus.Events, read.HeaderRevision, 0);
            }

            return watcher.State == WatcherState.Synced
                ? new WatchTakeResult(WatchTakeStatus.Nothing, _publishedRevision, 0)
                : null;
        }
    }
}
