using Cairn.Protocol.Etcd;
using Cairn.Storage;
using Cairn.Storage.Watch;

namespace Cairn.Server.Watch;

/// <summary>Client requests: create, cancel and progress, handled on the writer loop in the order they arrived.</summary>
internal sealed partial class WatchStream
{
    /// <summary>etcd's cancel reason for a create that names a watch ID already in use on the stream.</summary>
    internal const string DuplicateIdReason = "mvcc: duplicate watch ID provided on the WatchStream";

    /// <summary>etcd's cancel reason for a range that holds no key (range_end at or before key).</summary>
    internal const string EmptyRangeReason = "mvcc: watcher range is empty";

    private bool _progressRequested;

    private async ValueTask HandleRequestsAsync(CancellationToken cancellationToken)
    {
        while (_requests.Reader.TryRead(out WatchRequest? request))
        {
            switch (request.RequestUnionCase)
            {
                case WatchRequest.RequestUnionOneofCase.CreateRequest:
                    Create(request.CreateRequest);
                    break;
                case WatchRequest.RequestUnionOneofCase.CancelRequest:
                    Cancel(request.CancelRequest.WatchId);
                    break;
                case WatchRequest.RequestUnionOneofCase.ProgressRequest:
                    // Answered once every watcher has caught up (SendProgressAsync); several pending requests get one answer.
                    _progressRequested = true;
                    break;
            }

            await FlushIfLargeAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private void Create(WatchCreateRequest create)
    {
        // etcd's order of checks: the range first, then the ID.
        if (IsEmptyRange(create))
        {
            RejectCreate(EmptyRangeReason);
            return;
        }

        long watchId = create.WatchId;
        if (watchId == 0)
        {
            watchId = NextFreeAutoWatchId();
        }
        else if (_watchers.ContainsKey(watchId))
        {
            RejectCreate(DuplicateIdReason);
            return;
        }

        if (_watchers.Count >= _options.MaxWatchersPerStream)
        {
            RejectCreate($"cairn: this stream already has {_options.MaxWatchersPerStream} watchers (the per-stream limit); open another watch stream");
            return;
        }

        var watcher = new StreamWatcher(this, watchId, create);
        _watchers[watchId] = watcher;
        try
        {
            // Register may call the ready callback at once (a start revision in the past): the watcher is only queued,
            // and the writer reaches the ready queue after the created response below is buffered.
            watcher.HubWatcher = _hub.Register(create, watcher.OnReady);
        }
        catch (EtcdException failure)
        {
            _watchers.TryRemove(watchId, out _);
            RejectCreate(failure.Message);
            return;
        }

        if (create.WatchId == 0)
        {
            _nextAutoWatchId = watchId + 1;
        }

        _statistics.WatcherOpened();
        if (watcher.ProgressNotify)
        {
            EnsureProgressTicker();
        }

        Buffer(new WatchResponse { Header = Header(_hub.CurrentRevision), WatchId = watchId, Created = true }, 64);
    }

    /// <summary>The lowest unused ID from the stream's counter on, as etcd's watch stream assigns them.</summary>
    private long NextFreeAutoWatchId()
    {
        long candidate = _nextAutoWatchId;
        while (_watchers.ContainsKey(candidate))
        {
            candidate++;
        }

        return candidate;
    }

    private static bool IsEmptyRange(WatchCreateRequest create)
    {
        ReadOnlySpan<byte> rangeEnd = create.RangeEnd.Span;
        if (rangeEnd.IsEmpty || (rangeEnd.Length == 1 && rangeEnd[0] == 0))
        {
            return false;
        }

        ReadOnlySpan<byte> key = create.Key.IsEmpty ? [0] : create.Key.Span;
        return key.SequenceCompareTo(rangeEnd) >= 0;
    }

    /// <summary>etcd answers a create it cannot honour with created and canceled together, watch ID -1.</summary>
    private void RejectCreate(string reason) =>
        Buffer(new WatchResponse
        {
            Header = Header(_hub.CurrentRevision),
            WatchId = -1,
            Created = true,
            Canceled = true,
            CancelReason = reason,
        }, 128);

    private void Cancel(long watchId)
    {
        // An unknown ID gets no response at all (etcd).
        if (!_watchers.TryRemove(watchId, out StreamWatcher? watcher))
        {
            return;
        }

        CloseHubWatcher(watcher);
        Buffer(new WatchResponse { Header = Header(_hub.CurrentRevision), WatchId = watchId, Canceled = true }, 64);
    }
}
