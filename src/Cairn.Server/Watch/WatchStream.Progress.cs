using Cairn.Protocol.Etcd;
using Cairn.Storage.Watch;

namespace Cairn.Server.Watch;

/// <summary>
/// Progress: answers to <c>progress_request</c> (watch ID -1) and the periodic per-watcher notifications of watchers
/// created with <c>progress_notify</c>. A progress response with revision R promises that every event up to R was
/// already sent, so it is only sent once the watchers concerned have caught up and their buffers are drained
/// (etcd 3.4.26+/3.5.8+; kube-apiserver relies on it for consistent reads from its watch cache).
/// </summary>
internal sealed partial class WatchStream
{
    private Timer? _progressTimer;
    private int _progressTickDue;

    /// <summary>Starts the stream's progress ticker the first time a watcher asks for notifications.</summary>
    private void EnsureProgressTicker()
    {
        if (_progressTimer is not null)
        {
            return;
        }

        // etcd adds up to 10 % jitter per stream so that many streams do not tick together.
        TimeSpan interval = _options.ProgressNotifyInterval;
        TimeSpan jittered = interval + TimeSpan.FromTicks((long)(Random.Shared.NextDouble() * interval.Ticks / 10));
        _progressTimer = new Timer(static state => ((WatchStream)state!).OnProgressTick(), this, jittered, jittered);
    }

    private void OnProgressTick()
    {
        Volatile.Write(ref _progressTickDue, 1);
        _wake.Set();
    }

    private void StopProgressTicker() => _progressTimer?.Dispose();

    private async ValueTask SendProgressAsync(CancellationToken cancellationToken)
    {
        if (_progressRequested && TryDrainAll(out long revision))
        {
            _progressRequested = false;
            Buffer(new WatchResponse { Header = Header(revision), WatchId = -1 }, 64);
        }

        if (Interlocked.Exchange(ref _progressTickDue, 0) == 1)
        {
            NotifyProgress();
        }

        await FlushIfLargeAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>etcd's tick: each progress watcher that got no events since the last tick hears the revision, if it
    /// is synced; then every watcher's flag is set for the next tick.</summary>
    private void NotifyProgress()
    {
        foreach (StreamWatcher watcher in _watchers.Values)
        {
            if (!watcher.ProgressNotify || watcher.HubWatcher is null)
            {
                continue;
            }

            long revision = _hub.CurrentRevision;
            if (watcher.ProgressDue && Drain(watcher) == DrainOutcome.CaughtUp)
            {
                Buffer(new WatchResponse { Header = Header(revision), WatchId = watcher.WatchId }, 64);
            }

            watcher.ProgressDue = true;
        }
    }

    /// <summary>Sends what every watcher holds; true (with the revision all of them reached) when none is behind.</summary>
    private bool TryDrainAll(out long revision)
    {
        // Read before draining: every event up to this revision is in a buffer or in history, so once each watcher
        // reports "caught up" all of them have been sent.
        revision = _hub.CurrentRevision;
        bool allCaughtUp = true;
        foreach (StreamWatcher watcher in _watchers.Values)
        {
            if (watcher.HubWatcher is not null && Drain(watcher) == DrainOutcome.Behind)
            {
                allCaughtUp = false;
            }
        }

        return allCaughtUp;
    }

    /// <summary>Sends the watcher's pending events, a few batches at most; a watcher still behind after that stays in
    /// the ready queue, so the writer keeps passing and the caller retries.</summary>
    private DrainOutcome Drain(StreamWatcher watcher)
    {
        for (int batch = 0; batch < MaxDrainBatches; batch++)
        {
            switch (TakeAndBuffer(watcher))
            {
                case WatchTakeStatus.Nothing:
                    return DrainOutcome.CaughtUp;
                case WatchTakeStatus.Events:
                    continue;
                default:
                    return DrainOutcome.Gone; // compacted or cancelled: nothing more will come
            }
        }

        watcher.Requeue();
        return DrainOutcome.Behind;
    }

    // A watcher far behind is not drained in one go: the progress answer waits for later passes instead.
    private const int MaxDrainBatches = 4;

    private enum DrainOutcome
    {
        CaughtUp,
        Behind,
        Gone,
    }
}
