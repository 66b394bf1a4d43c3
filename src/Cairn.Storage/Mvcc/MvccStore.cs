using Cairn.Protocol.Etcd;
using Google.Protobuf;

namespace Cairn.Storage.Mvcc;

/// <summary>
/// The multi-version key-value store with etcd's data model: every change gets the next main revision, keys keep
/// create/mod revision, version and lease, and history is kept until compaction.
/// </summary>
/// <remarks>
/// <para>Threading: one writer (the apply thread) calls the write methods (<see cref="Put"/>,
/// <see cref="DeleteRange"/>, <see cref="Txn"/>, <see cref="Compact"/>, maintenance); any number of threads call
/// the read methods concurrently (<see cref="Range"/>, <see cref="ReadOnlyTxn"/>, <see cref="HashKV"/>). Readers take
/// no lock: they pin the published index root and read at the published revision; records at or below it never
/// change (see docs/STORAGE.md (section 4, the state half), "Concurrency").</para>
/// <para>Keys and revision records live in the managed index; value bytes live in memory-mapped files
/// (<see cref="ValueStore"/>).</para>
/// </remarks>
public sealed partial class MvccStore : IDisposable
{
    private readonly MvccOptions _options;
    private readonly KeyIndex _index = new();
    private readonly ReadGate _gate = new();
    private readonly ValueStore _values;
    private readonly List<MvccChange> _changes = [];
    private IKeyLeaseRegistry _leases = NoLeaseRegistry.Instance;
    private IMvccChangeSink? _changeSink;
    private long _currentRevision = 1;
    private long _compactRevision = -1;
    private bool _writing;
    private volatile bool _disposed;

    /// <summary>Creates an empty store (revision 1, nothing compacted).</summary>
    public MvccStore(MvccOptions options)
    {
        options.Validate();
        _options = options;
        _values = new ValueStore(options.ValueDirectory, options.ValueSegmentBytes, options.ValueWriteBufferBytes, _gate);
    }

    /// <summary>The store's options.</summary>
    public MvccOptions Options => _options;

    /// <summary>The newest published revision (1 for an empty store).</summary>
    public long CurrentRevision => Volatile.Read(ref _currentRevision);

    /// <summary>The revision of the latest compaction; -1 if the store was never compacted.</summary>
    public long CompactRevision => Volatile.Read(ref _compactRevision);

    /// <summary>Number of keys in the index (including keys whose latest record is a tombstone not yet compacted).</summary>
    public long IndexedKeyCount => _index.KeyCount;

    /// <summary>Connects the lease table (apply thread, before the first write).</summary>
    public void SetLeaseRegistry(IKeyLeaseRegistry leases) => _leases = leases;

    internal void SetChangeSink(IMvccChangeSink? sink) => _changeSink = sink;

    internal ReadGate Gate => _gate;

    internal ValueStore Values => _values;

    internal KeyIndex Index => _index;

    /// <summary>Builds the etcd KeyValue for a record. Caller must hold a read ticket (or be the writer).</summary>
    internal KeyValue ToKeyValue(byte[] key, in RevisionRecord record, bool includeValue)
    {
        var kv = new KeyValue
        {
            Key = UnsafeByteOperations.UnsafeWrap(key),
            CreateRevision = record.CreateRevision,
            ModRevision = record.ModRevision,
            Version = record.Version,
            Lease = record.Lease,
        };
        if (includeValue && record.ValueLength > 0)
        {
            kv.Value = ByteString.CopyFrom(_values.Read(record.ValueRef, record.ValueLength));
        }

        return kv;
    }

    /// <summary>The value bytes of a record. Caller must hold a read ticket (or be the writer).</summary>
    internal ReadOnlySpan<byte> ReadValue(in RevisionRecord record) => _values.Read(record.ValueRef, record.ValueLength);

    /// <summary>True if a compaction to a revision above <paramref name="readRevision"/> was applied while a lock-free
    /// read was running: its physical purge may have removed records the read needed.</summary>
    private bool IsOvertakenByCompaction(long readRevision)
    {
        Interlocked.MemoryBarrier();
        return readRevision < Volatile.Read(ref _compactRevision);
    }

    /// <summary>
    /// Enters a lock-free read: registers with the read gate so value files stay mapped, and fails with
    /// <see cref="ObjectDisposedException"/> if the store was replaced (snapshot install) or closed.
    /// </summary>
    private ReadGate.Ticket EnterRead()
    {
        ReadGate.Ticket ticket = _gate.Enter();
        if (_disposed)
        {
            ticket.Dispose();
            throw new ObjectDisposedException(nameof(MvccStore), "the store was replaced or closed; read the current one");
        }

        return ticket;
    }

    /// <summary>
    /// Unmaps the value files and deletes the value-log segments, after every read in progress has finished; reads
    /// that start later fail with <see cref="ObjectDisposedException"/>.
    /// </summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Interlocked.MemoryBarrier();
        var wait = new SpinWait();
        while (!_gate.IsDrained(0) || !_gate.IsDrained(1))
        {
            wait.SpinOnce();
        }

        _values.Dispose();
    }
}
