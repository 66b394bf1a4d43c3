namespace Cairn.Storage.Watch;

/// <summary>Limits of the watch hub. Each is a bound on memory a slow watcher can hold.</summary>
public sealed class WatchOptions
{
    /// <summary>Events a watcher may hold undelivered. When a revision's events do not fit, the watcher stops
    /// receiving live events and later catches up from the store's history (etcd's "unsynced" watchers), so a slow
    /// consumer never blocks apply or other watchers.</summary>
    public int WatcherBufferEvents { get; init; } = 1024;

    /// <summary>Events read from history per catch-up step (whole revisions; a single larger revision is still
    /// delivered whole).</summary>
    public int CatchUpBatchEvents { get; init; } = 1024;

    /// <summary>Checks the options and throws <see cref="ArgumentException"/> naming the bad one.</summary>
    public void Validate()
    {
        if (WatcherBufferEvents < 1 || CatchUpBatchEvents < 1)
        {
            throw new ArgumentException("WatchOptions.WatcherBufferEvents and CatchUpBatchEvents must be at least 1.");
        }
    }
}
