using System.Threading.Tasks.Sources;

namespace Cairn.Storage.Wal;

/// <summary>
/// One queued asynchronous append and the awaitable its caller waits on. Pooled: the WAL rents one per
/// append and takes it back when the caller has read the result, so a steady stream of appends allocates
/// nothing. Continuations run on the thread pool, never on the writer thread, so a slow caller cannot
/// delay the next batch.
/// </summary>
internal sealed class WalAppendRequest : IValueTaskSource<ulong>, IValueTaskSource
{
    private readonly WriteAheadLog _owner;
    private ManualResetValueTaskSourceCore<ulong> _completion;

    internal WalAppendRequest(WriteAheadLog owner)
    {
        _owner = owner;
        _completion.RunContinuationsAsynchronously = true;
    }

    /// <summary>True: one entry whose index the WAL assigned (<see cref="Index"/>); false: <see cref="Entries"/> and/or <see cref="HardState"/>.</summary>
    internal bool IsSingleEntry { get; private set; }

    internal ulong Index { get; private set; }

    internal ulong Term { get; private set; }

    internal byte EntryType { get; private set; }

    internal ReadOnlyMemory<byte> Data { get; private set; }

    internal ReadOnlyMemory<WalEntry> Entries { get; private set; }

    internal WalHardState? HardState { get; private set; }

    /// <summary>Bytes this request adds to a batch (its records, padded).</summary>
    internal int EncodedBytes { get; private set; }

    /// <summary>Records this request adds to a batch.</summary>
    internal int RecordCount { get; private set; }

    internal short Version => _completion.Version;

    internal void SetSingleEntry(ulong index, ulong term, byte entryType, ReadOnlyMemory<byte> data)
    {
        IsSingleEntry = true;
        Index = index;
        Term = term;
        EntryType = entryType;
        Data = data;
        EncodedBytes = WalFormat.EntryRecordBytes(data.Length);
        RecordCount = 1;
    }

    internal void SetEntries(ReadOnlyMemory<WalEntry> entries, WalHardState? hardState, int encodedBytes)
    {
        IsSingleEntry = false;
        Entries = entries;
        HardState = hardState;
        EncodedBytes = encodedBytes;
        RecordCount = entries.Length + (hardState.HasValue ? 1 : 0);
    }

    internal void Complete() => _completion.SetResult(Index);

    internal void Fail(Exception error) => _completion.SetException(error);

    ulong IValueTaskSource<ulong>.GetResult(short token)
    {
        try
        {
            return _completion.GetResult(token);
        }
        finally
        {
            Recycle();
        }
    }

    void IValueTaskSource.GetResult(short token)
    {
        try
        {
            _completion.GetResult(token);
        }
        finally
        {
            Recycle();
        }
    }

    public ValueTaskSourceStatus GetStatus(short token) => _completion.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _completion.OnCompleted(continuation, state, token, flags);

    private void Recycle()
    {
        Data = default;
        Entries = default;
        HardState = null;
        _completion.Reset();
        _owner.ReturnRequest(this);
    }
}
