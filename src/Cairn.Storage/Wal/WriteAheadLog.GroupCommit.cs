namespace Cairn.Storage.Wal;

/// <summary>
/// Group commit: concurrent callers queue appends; one writer (the writer thread, or a synchronous caller
/// holding the write lock) drains everything queued into as few batches as the limits allow, with one
/// sync per batch, then completes the callers. A caller's task completes only after that sync returned.
/// The queue holds at most <see cref="WalOptions.MaxQueuedAppends"/> appends; further callers wait.
/// </summary>
public sealed partial class WriteAheadLog
{
    private readonly SemaphoreSlim _queueSlots;
    private readonly Thread _writerThread;
    private readonly Stack<WalAppendRequest> _requestPool = new();
    private List<WalAppendRequest> _queue = [];          // guarded by _queueLock
    private List<WalAppendRequest> _drained = [];        // used under _writeLock
    private bool _writerWaiting;                         // guarded by _queueLock
    private bool _stopping;                              // guarded by _queueLock
    private int _completedInDrain;                       // used under _writeLock

    /// <summary>
    /// Appends one entry at the next index (the WAL assigns it, in queue order) and completes with that index
    /// once the entry is durable. For callers that do not manage indexes themselves.
    /// </summary>
    /// <param name="term">The entry's term (not lower than the last entry's term).</param>
    /// <param name="entryType">The entry type.</param>
    /// <param name="data">The entry's data; must not change until the task completes.</param>
    /// <returns>The entry's index, once durable.</returns>
    public ValueTask<ulong> AppendAsync(ulong term, byte entryType, ReadOnlyMemory<byte> data)
    {
        if (!_queueSlots.Wait(0))
        {
            return AppendWhenQueueHasRoomAsync(term, entryType, data);
        }

        return EnqueueSingleEntry(term, entryType, data);
    }

    /// <summary>
    /// Appends entries (with explicit indexes; an index at or below the last one replaces that entry and
    /// everything after it) and/or a hard state, and completes once they are durable. Checked against
    /// everything queued before it: invalid input throws <see cref="ArgumentException"/> and writes nothing.
    /// </summary>
    /// <param name="entries">Consecutive entries; may be empty. Must not change until the task completes.</param>
    /// <param name="hardState">A hard state to persist after the entries, or null.</param>
    /// <returns>A task that completes once durable.</returns>
    public ValueTask AppendAsync(ReadOnlyMemory<WalEntry> entries, WalHardState? hardState)
    {
        int encodedBytes = EncodedBytesOf(entries.Span, hardState);
        if (encodedBytes == 0)
        {
            return ValueTask.CompletedTask;
        }

        if (WalFormat.BatchHeaderBytes + encodedBytes > _options.MaxBatchBytes || entries.Length + 1 > _options.MaxBatchRecords)
        {
            throw new ArgumentException($"{entries.Length} entries of {encodedBytes} bytes exceed one batch (WalOptions.MaxBatchBytes {_options.MaxBatchBytes}, MaxBatchRecords {_options.MaxBatchRecords}); append them in parts or with the synchronous Append", nameof(entries));
        }

        if (!_queueSlots.Wait(0))
        {
            return AppendEntriesWhenQueueHasRoomAsync(entries, hardState, encodedBytes);
        }

        return EnqueueEntries(entries, hardState, encodedBytes);
    }

    /// <summary>Returns a request to the pool once its caller has read the result.</summary>
    internal void ReturnRequest(WalAppendRequest request)
    {
        lock (_queueLock)
        {
            _requestPool.Push(request);
        }
    }

    private async ValueTask<ulong> AppendWhenQueueHasRoomAsync(ulong term, byte entryType, ReadOnlyMemory<byte> data)
    {
        await _queueSlots.WaitAsync().ConfigureAwait(false);
        return await EnqueueSingleEntry(term, entryType, data).ConfigureAwait(false);
    }

    /// <summary>Queues one entry at the next index; the caller holds a queue slot.</summary>
    private ValueTask<ulong> EnqueueSingleEntry(ulong term, byte entryType, ReadOnlyMemory<byte> data)
    {
        WalAppendRequest request;
        short version;
        lock (_queueLock)
        {
            CheckCanEnqueue();
            ulong index;
            try
            {
                index = _admission.AcceptNext(term, data.Length);
            }
            catch (ArgumentException)
            {
                _queueSlots.Release();
                throw;
            }

            request = RentRequest();
            request.SetSingleEntry(index, term, entryType, data);
            version = request.Version;
            Enqueue(request);
        }

        return new ValueTask<ulong>(request, version);
    }

    private async ValueTask AppendEntriesWhenQueueHasRoomAsync(ReadOnlyMemory<WalEntry> entries, WalHardState? hardState, int encodedBytes)
    {
        await _queueSlots.WaitAsync().ConfigureAwait(false);
        await EnqueueEntries(entries, hardState, encodedBytes).ConfigureAwait(false);
    }

    private ValueTask EnqueueEntries(ReadOnlyMemory<WalEntry> entries, WalHardState? hardState, int encodedBytes)
    {
        WalAppendRequest request;
        short version;
        lock (_queueLock)
        {
            CheckCanEnqueue();
            try
            {
                _admission.Accept(entries.Span, hardState);
            }
            catch (ArgumentException)
            {
                _queueSlots.Release();
                throw;
            }

            request = RentRequest();
            request.SetEntries(entries, hardState, encodedBytes);
            version = request.Version;
            Enqueue(request);
        }

        return new ValueTask(request, version);
    }

    /// <summary>Under _queueLock, with a queue slot held: throws (and gives the slot back) if nothing may be queued.</summary>
    private void CheckCanEnqueue()
    {
        if (_disposed || _failure != null)
        {
            _queueSlots.Release();
            ThrowIfUnusable();
        }
    }

    private void Enqueue(WalAppendRequest request)
    {
        _queue.Add(request);
        if (_writerWaiting)
        {
            Monitor.Pulse(_queueLock);
        }
    }

    private WalAppendRequest RentRequest() => _requestPool.Count > 0 ? _requestPool.Pop() : new WalAppendRequest(this);

    private static int EncodedBytesOf(ReadOnlySpan<WalEntry> entries, WalHardState? hardState)
    {
        long total = hardState.HasValue ? WalFormat.HardStateBytes : 0;
        foreach (WalEntry entry in entries)
        {
            total += WalFormat.EntryRecordBytes(entry.Data.Length);
        }

        return (int)Math.Min(total, int.MaxValue);
    }

    /// <summary>Takes everything queued (under _writeLock). The returned list is reused: process it before the next drain.</summary>
    private List<WalAppendRequest> DrainQueueLocked()
    {
        List<WalAppendRequest> drained = _queue;
        _queue = _drained;
        _drained = drained;
        _completedInDrain = 0;
        return drained;
    }

    /// <summary>Writes drained requests into batches (the last batch is left open for the caller to add to or commit).</summary>
    private void WriteDrained(List<WalAppendRequest> drained)
    {
        foreach (WalAppendRequest request in drained)
        {
            AddRequest(request);
        }
    }

    /// <summary>Fails every request that was drained but not completed, and everything still queued.</summary>
    private void FailPending(List<WalAppendRequest> drained, Exception error)
    {
        _batchRequests.Clear();
        _batchOpen = false;
        int failed = 0;
        for (int i = _completedInDrain; i < drained.Count; i++)
        {
            drained[i].Fail(error);
            failed++;
        }

        drained.Clear();
        lock (_queueLock)
        {
            foreach (WalAppendRequest request in _queue)
            {
                request.Fail(error);
                failed++;
            }

            _queue.Clear();
        }

        if (failed > 0)
        {
            _queueSlots.Release(failed);
        }
    }

    private void WriterLoop()
    {
        while (true)
        {
            lock (_queueLock)
            {
                while (_queue.Count == 0 && !_stopping)
                {
                    _writerWaiting = true;
                    Monitor.Wait(_queueLock);
                    _writerWaiting = false;
                }

                if (_queue.Count == 0)
                {
                    return;
                }
            }

            lock (_writeLock)
            {
                WriteQueuedLocked();
            }
        }
    }

    /// <summary>Under _writeLock: drains the queue and writes it, all batches committed. Failures are fatal.</summary>
    private void WriteQueuedLocked()
    {
        List<WalAppendRequest> drained;
        lock (_queueLock)
        {
            drained = DrainQueueLocked();
        }

        if (_failure is WalFatalException failure)
        {
            FailPending(drained, failure);
            return;
        }

        try
        {
            WriteDrained(drained);
            CommitBatch();
            drained.Clear();
        }
        catch (Exception error)
        {
            FailPending(drained, MarkFailed(error));
        }
    }
}
