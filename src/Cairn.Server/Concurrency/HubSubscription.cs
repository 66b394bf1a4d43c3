using Cairn.Protocol.Etcd;
using Cairn.Server.Watch;
using Cairn.Storage.Watch;

namespace Cairn.Server.Concurrency;

/// <summary>
/// A server-side watcher on the member's watch hub, awaited instead of streamed: the recipes use it to wait for a
/// predecessor's deletion or for a leader key to change, as etcd's embedded client does with a watch.
/// </summary>
internal sealed class HubSubscription : IDisposable
{
    private readonly AsyncSignal _ready = new();
    private readonly Watcher _watcher;
    private readonly int _maxEventsPerTake;

    public HubSubscription(WatchHub hub, WatchCreateRequest create, int maxEventsPerTake)
    {
        _maxEventsPerTake = maxEventsPerTake;
        _watcher = hub.Register(create, _ => _ready.Set());
    }

    /// <summary>Waits for the next events (added to <paramref name="into"/>) or the end of the watcher (compacted).</summary>
    public async ValueTask<WatchTakeResult> NextAsync(List<Event> into, CancellationToken cancellationToken)
    {
        while (true)
        {
            WatchTakeResult result = _watcher.TryTake(into, _maxEventsPerTake);
            if (result.Status != WatchTakeStatus.Nothing)
            {
                return result;
            }

            await _ready.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose() => _watcher.Cancel();
}
