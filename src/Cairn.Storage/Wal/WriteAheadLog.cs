using Cairn.Storage.Durability;

namespace Cairn.Storage.Wal;

/// <summary>
/// The write-ahead log that holds the Raft log: entries, hard state and snapshot markers, in preallocated,
/// memory-mapped segment files, made durable in batches with one sync per batch (group commit).
/// <para>
/// Writers: <see cref="Append"/> (synchronous, for a Raft loop that batches by itself) and
/// <see cref="AppendAsync(ulong, byte, ReadOnlyMemory{byte})"/> / <see cref="AppendAsync(ReadOnlyMemory{WalEntry}, WalHardState?)"/>
/// (many concurrent callers; one writer thread batches whatever is queued). Either way a call returns, or
/// its task completes, only after the sync that covers its records returned.
/// </para>
/// <para>
/// Readers (any thread): <see cref="FirstIndex"/>, <see cref="LastIndex"/>, <see cref="TryGetTerm"/>,
/// <see cref="ReadEntries{TVisitor}(ulong, ulong, ulong, ref TVisitor)"/>. They see only durable records.
/// </para>
/// <para>
/// Failure: a failed sync or segment creation makes the WAL permanently failed (<see cref="WalFatalException"/>
/// from every later call); the process must stop serving. See docs/STORAGE.md.
/// </para>
/// </summary>
public sealed partial class WriteAheadLog : IDisposable
{
    private readonly string _directory;
    private readonly WalOptions _options;
    private readonly FileStream _lockFile;
    private readonly ulong _walId;

    // Lock order: _writeLock, then _queueLock or _stateLock (never both of the latter at once).
    private readonly object _writeLock = new();
    private readonly object _queueLock = new();
    private readonly object _stateLock = new();

    private readonly WalLogState _state;              // guarded by _stateLock
    private readonly List<WalSegment> _segments;      // guarded by _stateLock; changed under _writeLock too
    private readonly WalAdmission _admission;         // guarded by _queueLock
    private readonly WalSegmentPreparer _preparer;    // used under _writeLock
    private WalSegment _current;                      // written under _writeLock + _stateLock
    private ulong _nextBatchSequence;                 // used under _writeLock

    private volatile WalFatalException? _failure;
    private volatile bool _disposed;

    private WriteAheadLog(string directory, WalOptions options, FileStream lockFile, WalRecovery recovery)
    {
        _directory = directory;
        _options = options;
        _lockFile = lockFile;
        _state = recovery.State;
        _segments = recovery.Segments;
        _current = _segments[^1];
        _walId = _current.Header.WalId;
        _nextBatchSequence = recovery.NextBatchSequence;
        Recovery = recovery.Report;
        _admission = new WalAdmission(_state, options.MaxEntryDataBytes);
        _preparer = new WalSegmentPreparer(directory, options);
        _queueSlots = new SemaphoreSlim(options.MaxQueuedAppends, options.MaxQueuedAppends);
        _writerThread = new Thread(WriterLoop) { IsBackground = true, Name = "cairn-wal-writer" };
        _writerThread.Start();
        _preparer.Start(_current.Sequence + 1);
    }

    /// <summary>The WAL directory.</summary>
    public string DirectoryPath => _directory;

    /// <summary>What recovery found when the WAL was opened.</summary>
    public WalRecoveryReport Recovery { get; }

    /// <summary>True once a durability failure made the WAL unusable.</summary>
    public bool IsFailed => _failure != null;

    /// <summary>The failure that made the WAL unusable, or null.</summary>
    public WalFatalException? Failure => _failure;

    /// <summary>The options the WAL was opened with.</summary>
    public WalOptions Options => _options;

    /// <summary>Test hook: called at named points ("sync", "rollover"); a returned exception is thrown there.</summary>
    internal Func<string, Exception?>? FaultInjector { get; set; }

    /// <summary>
    /// Opens (recovering) or creates the WAL in <paramref name="directory"/>. Recovery replays every segment,
    /// repairs a torn tail, and refuses to open a corrupt log (<see cref="WalCorruptionException"/>).
    /// After it returns, <see cref="HardState"/>, <see cref="SnapshotMarker"/> and the entries from
    /// <see cref="FirstIndex"/> to <see cref="LastIndex"/> are what was durable before.
    /// </summary>
    /// <param name="directory">The WAL directory (created if missing). Only one process may open it at a time.</param>
    /// <param name="options">Settings; null for the defaults.</param>
    /// <returns>The open WAL.</returns>
    public static WriteAheadLog Open(string directory, WalOptions? options = null)
    {
        options ??= new WalOptions();
        options.Validate();
        directory = Path.GetFullPath(directory);
        if (!Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory);
            DurableFile.SyncDirectory(DurableFile.DirectoryOf(directory));
        }

        FileStream lockFile = LockDirectory(directory);
        try
        {
            WalRecovery recovery = WalRecovery.Run(directory, options);
            if (recovery.Segments.Count == 0)
            {
                recovery.Segments.Add(CreateFirstSegment(directory, options));
            }

            options.Log?.Invoke(recovery.Report.ToString());
            return new WriteAheadLog(directory, options, lockFile, recovery);
        }
        catch
        {
            lockFile.Dispose();
            throw;
        }
    }

    /// <summary>The first index still in the log (the snapshot marker's index + 1).</summary>
    public ulong FirstIndex
    {
        get
        {
            lock (_stateLock)
            {
                return _state.Index.BaseIndex + 1;
            }
        }
    }

    /// <summary>The last durable index (the snapshot marker's index when the log has no entries after it).</summary>
    public ulong LastIndex
    {
        get
        {
            lock (_stateLock)
            {
                return _state.LastIndex;
            }
        }
    }

    /// <summary>The last durable hard state.</summary>
    public WalHardState HardState
    {
        get
        {
            lock (_stateLock)
            {
                return _state.HardState;
            }
        }
    }

    /// <summary>The latest durable snapshot marker ((0, 0) when none).</summary>
    public WalSnapshotMarker SnapshotMarker
    {
        get
        {
            lock (_stateLock)
            {
                return _state.Snapshot;
            }
        }
    }

    /// <summary>The number of segment files currently in use.</summary>
    public int SegmentCount
    {
        get
        {
            lock (_stateLock)
            {
                return _segments.Count;
            }
        }
    }

    /// <summary>Where the next batch will be written: segment sequence number and byte offset (for tests and diagnostics).</summary>
    public (ulong SegmentSequence, long Offset) Tail
    {
        get
        {
            lock (_writeLock)
            {
                return (_current.Sequence, _current.WriteOffset);
            }
        }
    }

    /// <summary>Waits for queued appends to complete, stops the writer thread, unmaps and closes the segments.</summary>
    public void Dispose()
    {
        lock (_queueLock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _stopping = true;
            Monitor.PulseAll(_queueLock);
        }

        _writerThread.Join();
        lock (_writeLock)
        {
            _preparer.Dispose();
            lock (_stateLock)
            {
                foreach (WalSegment segment in _segments)
                {
                    segment.Dispose();
                }

                _segments.Clear();
            }
        }

        // _queueSlots is deliberately not disposed: a caller still waiting for room must be able to wake up
        // (and then get ObjectDisposedException) instead of waiting forever on a disposed semaphore.
        _lockFile.Dispose();
    }

    private static FileStream LockDirectory(string directory)
    {
        string path = Path.Combine(directory, WalSegmentFiles.LockFileName);
        try
        {
            // FileShare.None takes an exclusive advisory lock (flock) that the kernel drops when the process dies.
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException error)
        {
            throw new IOException($"{directory}: the WAL directory is in use by another process (cannot lock {path}); stop the other Cairn process or use another data directory", error);
        }
    }

    private static WalSegment CreateFirstSegment(string directory, WalOptions options)
    {
        string prepared = WalSegmentFiles.PreparingPathOf(directory, 1);
        WalSegmentFiles.CreatePreallocated(prepared, options.SegmentBytes, options.Preallocation);
        var header = new WalSegmentHeader(
            WalId: NewRandomId(), Sequence: 1, SegmentBytes: options.SegmentBytes, Salt: (uint)NewRandomId(),
            FirstBatchSequence: 1, PreviousIndex: 0, PreviousTerm: 0, Snapshot: default, HardState: default);
        return WalSegmentFiles.Activate(directory, prepared, header);
    }

    /// <summary>An identifier, not a secret: <see cref="Random.Shared"/> (seeded by the OS) avoids the cryptographic
    /// generator, which loads OpenSSL (about 4 MiB resident) into a server that serves no TLS.</summary>
    private static ulong NewRandomId()
    {
        Span<byte> bytes = stackalloc byte[8];
        Random.Shared.NextBytes(bytes);
        return BitConverter.ToUInt64(bytes);
    }

    private void ThrowIfUnusable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_failure is WalFatalException failure)
        {
            throw new WalFatalException("the WAL failed earlier and accepts no more writes; restart the process: " + failure.Message, failure);
        }
    }

    /// <summary>Marks the WAL permanently failed (first failure wins) and returns the exception to throw.</summary>
    private WalFatalException MarkFailed(Exception cause)
    {
        var failure = cause as WalFatalException
            ?? new WalFatalException($"WAL in {_directory} failed and stopped accepting writes ({cause.Message}); the process must restart", cause);
        lock (_queueLock)
        {
            _failure ??= failure;
        }

        _options.Log?.Invoke("WAL: FATAL: " + failure.Message);
        return _failure;
    }
}
