using Cairn.Protocol.Etcd;
using Cairn.Storage.Watch;

namespace Cairn.Server.Watch;

/// <summary>Events: pulling them from ready watchers round-robin and turning them into responses.</summary>
internal sealed partial class WatchStream
{
    /// <summary>
    /// Takes one batch from each watcher that was ready when the pass began, re-queueing those that may have more, so
    /// one busy watcher cannot starve the others. Requests queued meanwhile are handled before the next pass.
    /// </summary>
    private async ValueTask SendReadyWatchersAsync(CancellationToken cancellationToken)
    {
        int watchersThisPass = _ready.Count;
        for (int i = 0; i < watchersThisPass && _ready.TryDequeue(out StreamWatcher? watcher); i++)
        {
            watcher.MarkDequeued();
            if (TakeAndBuffer(watcher) == WatchTakeStatus.Events)
            {
                watcher.Requeue();
            }

            await FlushIfLargeAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Takes the watcher's next batch and buffers what the client must see: events, or the compacted cancel.</summary>
    private WatchTakeStatus TakeAndBuffer(StreamWatcher watcher)
    {
        if (watcher.HubWatcher is not { } hubWatcher)
        {
            return WatchTakeStatus.Canceled;
        }

        _taken.Clear();
        WatchTakeResult result = hubWatcher.TryTake(_taken, _options.MaxEventsPerResponse);
        switch (result.Status)
        {
            case WatchTakeStatus.Events:
                BufferEvents(watcher, result.HeaderRevision);
                break;
            case WatchTakeStatus.Compacted:
                // The ID stays reserved until the client cancels it, as in etcd; the hub already closed the watcher.
                watcher.HubWatcher = null;
                _statistics.WatcherClosed();
                Buffer(new WatchResponse
                {
                    Header = Header(0),
                    WatchId = watcher.WatchId,
                    Canceled = true,
                    CompactRevision = result.CompactRevision,
                }, 64);
                break;
        }

        return result.Status;
    }

    private void BufferEvents(StreamWatcher watcher, long headerRevision)
    {
        var response = new WatchResponse { Header = Header(headerRevision), WatchId = watcher.WatchId };
        response.Events.AddRange(_taken);
        long approximateBytes = ApproximateBytes(_taken);
        _taken.Clear();
        watcher.ProgressDue = false;
        if (watcher.Fragment && approximateBytes >= _options.FragmentThresholdBytes / 2)
        {
            foreach (WatchResponse part in WatchFragmenter.Split(response, _options.FragmentThresholdBytes))
            {
                Buffer(part, approximateBytes / 2);
            }

            return;
        }

        Buffer(response, approximateBytes);
    }

    /// <summary>Key and value bytes of the events: enough to decide when to flush, cheaper than an exact size.</summary>
    private static long ApproximateBytes(List<Event> events)
    {
        long bytes = 32;
        foreach (Event evt in events)
        {
            bytes += 48 + evt.Kv.Key.Length + evt.Kv.Value.Length;
            if (evt.PrevKv is { } previous)
            {
                bytes += 48 + previous.Key.Length + previous.Value.Length;
            }
        }

        return bytes;
    }
}
