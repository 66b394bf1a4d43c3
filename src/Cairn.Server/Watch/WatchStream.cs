using System.Collections.Concurrent;
using System.Threading.Channels;
using Cairn.Protocol.Etcd;
using Cairn.Protocol.Grpc;
using Cairn.Server.Grpc;
using Cairn.Server.Node;
using Cairn.Server.Services;
using Cairn.Storage.Watch;

namespace Cairn.Server.Watch;

/// <summary>
/// One <c>Watch</c> call: many watchers multiplexed on one bidirectional stream (etcd reference §4.7).
/// </summary>
/// <remarks>
/// <para>Two loops run per stream. The reader parses client requests into a bounded queue. The writer is the only
/// code that touches the watchers and the response stream: it handles queued requests in order (so a watcher's
/// <c>created</c> response always precedes its events), then pulls events from the watchers the hub marked ready,
/// round-robin, and flushes. The hub keeps each watcher's undelivered events in a bounded buffer; a watcher whose
/// client is slow overflows it and catches up from history later, so a slow stream never blocks apply, other
/// watchers or other streams.</para>
/// <para>A third loop watches for a lost leader when the client sent <c>hasleader: true</c>.</para>
/// </remarks>
internal sealed partial class WatchStream : IDisposable
{
    private readonly IEtcdNode _node;
    private readonly WatchHub _hub;
    private readonly WatchServiceOptions _options;
    private readonly WatchStatistics _statistics;
    private readonly IGrpcStreamWriter<WatchResponse> _responses;
    private readonly Channel<WatchRequest> _requests;
    private readonly ConcurrentQueue<StreamWatcher> _ready = new();
    private readonly ConcurrentDictionary<long, StreamWatcher> _watchers = new();
    private readonly AsyncSignal _wake = new();
    private readonly List<Event> _taken = [];
    private long _nextAutoWatchId;
    private long _bufferedBytes;
    private bool _buffered;

    public WatchStream(IEtcdNode node, WatchServiceOptions options, WatchStatistics statistics, IGrpcStreamWriter<WatchResponse> responses)
    {
        _node = node;
        _hub = node.State.Watches;
        _options = options;
        _statistics = statistics;
        _responses = responses;
        _requests = Channel.CreateBounded<WatchRequest>(new BoundedChannelOptions(options.MaxPendingRequestsPerStream)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>Watchers on this stream whose hub watcher is catching up from history (etcd's slow watchers).</summary>
    public int CountSlowWatchers()
    {
        int slow = 0;
        foreach (StreamWatcher watcher in _watchers.Values)
        {
            if (watcher.HubWatcher is { IsSynced: false })
            {
                slow++;
            }
        }

        return slow;
    }

    /// <summary>Serves the stream until the client goes away, the call is cancelled or a request is malformed.</summary>
    public async ValueTask RunAsync(IGrpcStreamReader<WatchRequest> requests, ServerCallContext call)
    {
        if (call.RequiresLeader)
        {
            LeaderMonitor.RequireLeader(_node);
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(call.CancellationToken);
        Task reading = ReadRequestsAsync(requests, stop.Token);
        Task writing = WriteResponsesAsync(stop.Token);
        Task leader = call.RequiresLeader
            ? LeaderMonitor.FailWhenLeaderlessAsync(_node, _options.LeaderCheckInterval, _options.LeaderlessChecksBeforeCancel, stop.Token)
            : Task.Delay(Timeout.Infinite, stop.Token);
        Task first = await Task.WhenAny(reading, writing, leader).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(reading, writing, leader).ConfigureAwait(false);
        }
        catch (Exception) when (first.IsFaulted || first.IsCanceled)
        {
            // The other loops end with cancellation once the first one stopped; the first one's outcome is the call's.
        }

        await first.ConfigureAwait(false);
    }

    /// <summary>Cancels every hub watcher of the stream.</summary>
    public void Dispose()
    {
        StopProgressTicker();
        foreach (StreamWatcher watcher in _watchers.Values)
        {
            CloseHubWatcher(watcher);
        }

        _watchers.Clear();
    }

    /// <summary>Queues a watcher the hub marked ready and wakes the writer. Called from any thread.</summary>
    internal void EnqueueReady(StreamWatcher watcher)
    {
        _ready.Enqueue(watcher);
        _wake.Set();
    }

    private async Task ReadRequestsAsync(IGrpcStreamReader<WatchRequest> requests, CancellationToken cancellationToken)
    {
        while (true)
        {
            WatchRequest? request = await requests.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (request is null)
            {
                // etcd keeps serving a stream whose client half-closed: its watchers stay alive until the call ends.
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
                return;
            }

            if (request.RequestUnionCase == WatchRequest.RequestUnionOneofCase.None)
            {
                continue; // etcd ignores requests it does not understand
            }

            await _requests.Writer.WriteAsync(request, cancellationToken).ConfigureAwait(false);
            _wake.Set();
        }
    }

    private async Task WriteResponsesAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await _wake.WaitAsync(cancellationToken).ConfigureAwait(false);
            do
            {
                await HandleRequestsAsync(cancellationToken).ConfigureAwait(false);
                await SendReadyWatchersAsync(cancellationToken).ConfigureAwait(false);
                await SendProgressAsync(cancellationToken).ConfigureAwait(false);
                await FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            while (!_ready.IsEmpty);
        }
    }

    /// <summary>A header with the member's identity and the given revision (0 leaves it out, as etcd's compacted cancel does).</summary>
    private ResponseHeader Header(long revision)
    {
        ResponseHeader header = _node.FillHeader(new ResponseHeader());
        header.Revision = revision;
        return header;
    }

    /// <summary>Buffers one response; <see cref="FlushAsync"/> sends it.</summary>
    private void Buffer(WatchResponse response, long approximateBytes)
    {
        _responses.WriteBuffered(response);
        _buffered = true;
        _bufferedBytes += approximateBytes;
    }

    private async ValueTask FlushIfLargeAsync(CancellationToken cancellationToken)
    {
        if (_bufferedBytes >= _options.FlushThresholdBytes)
        {
            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (_buffered)
        {
            _buffered = false;
            _bufferedBytes = 0;
            await _responses.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private void CloseHubWatcher(StreamWatcher watcher)
    {
        if (watcher.HubWatcher is { } hubWatcher)
        {
            watcher.HubWatcher = null;
            hubWatcher.Cancel();
            _statistics.WatcherClosed();
        }
    }
}
