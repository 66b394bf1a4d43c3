namespace Cairn.Storage.Watch;

/// <summary>What <see cref="Watcher.TryTake"/> produced.</summary>
public enum WatchTakeStatus
{
    /// <summary>Nothing to send now; the watcher's ready callback fires when there is.</summary>
    Nothing,

    /// <summary>Events were added to the caller's list.</summary>
    Events,

    /// <summary>The history the watcher needs was compacted: send etcd's cancel with the compact revision. The
    /// watcher is closed.</summary>
    Compacted,

    /// <summary>The watcher was cancelled.</summary>
    Canceled,
}

/// <summary>The outcome of one <see cref="Watcher.TryTake"/> call.</summary>
public readonly record struct WatchTakeResult(WatchTakeStatus Status, long HeaderRevision, long CompactRevision);
