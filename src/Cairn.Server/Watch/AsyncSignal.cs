namespace Cairn.Server.Watch;

/// <summary>
/// An auto-reset wake-up for one waiter: any number of <see cref="Set"/> calls between two waits wake the waiter once.
/// <see cref="Set"/> never blocks, so the apply thread can call it through a watcher's ready callback.
/// </summary>
/// <remarks>Not disposable on purpose: a ready callback may still fire after its stream ended, and must not throw on
/// the apply thread. The semaphore holds no OS handle unless one is asked for.</remarks>
internal sealed class AsyncSignal
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);
    private int _set;

    /// <summary>Wakes the waiter (now, or at its next wait).</summary>
    public void Set()
    {
        if (Interlocked.Exchange(ref _set, 1) == 0)
        {
            _semaphore.Release();
        }
    }

    /// <summary>Waits until <see cref="Set"/> was called since the previous wait returned.</summary>
    public async ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        await _semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
        // Reset before the waiter looks at its queues: a Set that races with the look wakes it again.
        Volatile.Write(ref _set, 0);
    }
}
