namespace Cairn.Storage.Mvcc;

/// <summary>
/// Size figures for Status (dbSize, dbSizeInUse) and the space quota. "In use" is the logical size of the live
/// (not compacted) data: for every record, key + value + <see cref="RecordOverheadBytes"/>. It is what the NOSPACE
/// quota is measured against, so compaction alone frees quota (no defragmentation step).
/// </summary>
public sealed partial class MvccStore
{
    /// <summary>Accounting overhead per revision record: the 48-byte record plus its share of index nodes.</summary>
    public const int RecordOverheadBytes = 64;

    private long _sizeInUseBytes;
    private long _recordCount;

    /// <summary>Logical bytes of live data (see type remarks). Thread-safe.</summary>
    public long SizeInUseBytes => Volatile.Read(ref _sizeInUseBytes);

    /// <summary>Number of revision records held (live and not yet purged).</summary>
    public long RecordCount => Volatile.Read(ref _recordCount);

    /// <summary>
    /// Physical footprint: bytes in the value files currently mapped (value-log segments and a loaded snapshot)
    /// plus the index (records and keys). Thread-safe; approximate while writes run.
    /// </summary>
    public long SizeBytes => _values.AllocatedBytes + RecordCount * RecordRevisionBytes + IndexedKeyCount * IndexKeyOverheadBytes;

    private const int RecordRevisionBytes = RevisionRecord.SizeBytes;
    private const int IndexKeyOverheadBytes = 48;

    private void AccountRecordAdded(int keyLength, int valueLength)
    {
        Volatile.Write(ref _sizeInUseBytes, _sizeInUseBytes + keyLength + valueLength + RecordOverheadBytes);
        Volatile.Write(ref _recordCount, _recordCount + 1);
    }

    private void AccountRecordDropped(int keyLength, int valueLength)
    {
        Volatile.Write(ref _sizeInUseBytes, _sizeInUseBytes - keyLength - valueLength - RecordOverheadBytes);
        Volatile.Write(ref _recordCount, _recordCount - 1);
    }
}
