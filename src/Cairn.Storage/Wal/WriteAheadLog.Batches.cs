using System.Diagnostics;

namespace Cairn.Storage.Wal;

/// <summary>
/// Building batches in the mapped segment and making them durable. Everything here runs under
/// <c>_writeLock</c>. A batch is: a 32-byte batch header (written last, once the length is known), then
/// its records; it never spans segments and is synced before the next batch is started, which is what
/// lets recovery tell a torn tail from corruption.
/// </summary>
public sealed partial class WriteAheadLog
{
    private readonly List<WalAppendRequest> _batchRequests = [];
    private bool _batchOpen;
    private int _batchStart;
    private int _batchPosition;
    private int _batchRecords;

    // Counters: written by the writer under _writeLock, read with Interlocked.
    private long _syncCount;
    private long _batchCount;
    private long _recordCount;
    private long _bytesWritten;
    private long _segmentsCreated;
    private long _segmentsReleased;
    private long _syncMicrosecondsTotal;

    /// <summary>Counters since the WAL was opened.</summary>
    public WalStatistics Statistics => new(
        Interlocked.Read(ref _syncCount),
        Interlocked.Read(ref _batchCount),
        Interlocked.Read(ref _recordCount),
        Interlocked.Read(ref _bytesWritten),
        Interlocked.Read(ref _segmentsCreated),
        Interlocked.Read(ref _segmentsReleased),
        Interlocked.Read(ref _syncMicrosecondsTotal));

    /// <summary>
    /// Makes sure the open batch has room for <paramref name="recordBytes"/> more bytes in
    /// <paramref name="records"/> records: commits the open batch first if it would exceed a limit, and
    /// starts a new batch (rolling over to a new segment if this one is full) when none is open.
    /// </summary>
    private void EnsureBatchRoom(int recordBytes, int records)
    {
        if (_batchOpen)
        {
            int batchBytesAfter = _batchPosition - _batchStart + recordBytes;
            bool fits = batchBytesAfter <= _options.MaxBatchBytes && _batchRecords + records <= _options.MaxBatchRecords
                && _batchPosition + recordBytes <= _current.LengthBytes;
            if (fits)
            {
                return;
            }

            CommitBatch();
        }

        Invariant.Check(WalFormat.BatchHeaderBytes + recordBytes <= _options.MaxBatchBytes, "a request larger than a batch reached the writer");
        if (_current.WriteOffset + WalFormat.BatchHeaderBytes + recordBytes > _current.LengthBytes)
        {
            RollOver();
        }

        _batchOpen = true;
        _batchStart = _current.WriteOffset;
        _batchPosition = _batchStart + WalFormat.BatchHeaderBytes;
        _batchRecords = 0;
    }

    private void AddEntryRecord(ulong index, ulong term, byte entryType, ReadOnlySpan<byte> data)
    {
        int recordBytes = WalFormat.EntryRecordBytes(data.Length);
        EnsureBatchRoom(recordBytes, 1);
        WalFormat.WriteEntry(_current.Write(_batchPosition, recordBytes), _current.Salt, index, term, entryType, data);
        _batchPosition += recordBytes;
        _batchRecords++;
    }

    private void AddHardStateRecord(WalHardState hardState)
    {
        EnsureBatchRoom(WalFormat.HardStateBytes, 1);
        WalFormat.WriteHardState(_current.Write(_batchPosition, WalFormat.HardStateBytes), _current.Salt, hardState);
        _batchPosition += WalFormat.HardStateBytes;
        _batchRecords++;
    }

    private void AddSnapshotMarkerRecord(WalSnapshotMarker marker, byte kind)
    {
        EnsureBatchRoom(WalFormat.SnapshotMarkerBytes, 1);
        WalFormat.WriteSnapshotMarker(_current.Write(_batchPosition, WalFormat.SnapshotMarkerBytes), _current.Salt, marker, kind);
        _batchPosition += WalFormat.SnapshotMarkerBytes;
        _batchRecords++;
    }

    /// <summary>Adds an asynchronous request's records to the batch (a request is never split across batches).</summary>
    private void AddRequest(WalAppendRequest request)
    {
        EnsureBatchRoom(request.EncodedBytes, request.RecordCount);
        if (request.IsSingleEntry)
        {
            AddEntryRecord(request.Index, request.Term, request.EntryType, request.Data.Span);
        }
        else
        {
            foreach (WalEntry entry in request.Entries.Span)
            {
                AddEntryRecord(entry.Index, entry.Term, entry.Type, entry.Data.Span);
            }

            if (request.HardState is WalHardState hardState)
            {
                AddHardStateRecord(hardState);
            }
        }

        _batchRequests.Add(request);
    }

    /// <summary>Writes the batch header, syncs, publishes the records to readers and completes the batch's requests.</summary>
    private void CommitBatch()
    {
        if (!_batchOpen)
        {
            return;
        }

        int batchBytes = _batchPosition - _batchStart;
        WalFormat.WriteBatchHeader(_current.Write(_batchStart, WalFormat.BatchHeaderBytes), _current.Salt, _nextBatchSequence, batchBytes, _batchRecords);
        SyncBatch(_batchStart, batchBytes);
        _batchOpen = false;
        _nextBatchSequence++;
        _current.WriteOffset = _batchPosition;
        Publish(_batchStart, _batchPosition);
        Interlocked.Increment(ref _batchCount);
        Interlocked.Add(ref _recordCount, _batchRecords);
        Interlocked.Add(ref _bytesWritten, batchBytes);
        ReleaseResidentPages();
        CompleteBatchRequests();
    }

    private void SyncBatch(int offset, int lengthBytes)
    {
        if (FaultInjector?.Invoke("sync") is Exception injected)
        {
            throw injected;
        }

        long started = Stopwatch.GetTimestamp();
        if (_options.SyncMethod == WalSyncMethod.MsyncRange)
        {
            _current.Mapping.SyncRange(offset, lengthBytes);
        }
        else
        {
            _current.Mapping.SyncData();
        }

        TimeSpan elapsed = Stopwatch.GetElapsedTime(started);
        Interlocked.Add(ref _syncMicrosecondsTotal, (long)elapsed.TotalMicroseconds);
        Interlocked.Increment(ref _syncCount);
        _options.SyncObserver?.Invoke(elapsed);
    }

    private void Publish(int batchStart, int batchEnd)
    {
        lock (_stateLock)
        {
            (string? problem, int offset) = _state.ApplyBatch(_current, batchStart, batchEnd);
            Invariant.Check(problem == null, $"a batch the WAL admitted does not fit the log at {_current.FilePath} offset {offset}: {problem}");
        }
    }

    private void CompleteBatchRequests()
    {
        int completed = _batchRequests.Count;
        if (completed == 0)
        {
            return;
        }

        foreach (WalAppendRequest request in _batchRequests)
        {
            request.Complete();
        }

        _batchRequests.Clear();
        _completedInDrain += completed;
        _queueSlots.Release(completed);
    }

    /// <summary>Unmaps synced pages that fell out of the resident window behind the write position.</summary>
    private void ReleaseResidentPages()
    {
        int windowBytes = _options.ResidentWindowBytes;
        if (windowBytes >= 0 && _current.WriteOffset - _current.ResidentFromOffset >= windowBytes + _options.ResidentReleaseStepBytes)
        {
            _current.DropResidentBelow(_current.WriteOffset - windowBytes);
        }
    }

    /// <summary>Starts the next segment: its header records the log's state now, then it becomes the current one.</summary>
    private void RollOver()
    {
        Invariant.Check(!_batchOpen, "a rollover was attempted with a batch open");
        if (FaultInjector?.Invoke("rollover") is Exception injected)
        {
            throw injected;
        }

        WalSegment previous = _current;
        ulong sequence = previous.Sequence + 1;
        string prepared = _preparer.Take(sequence);
        WalSegmentHeader header;
        lock (_stateLock)
        {
            header = new WalSegmentHeader(
                WalId: _walId, Sequence: sequence, SegmentBytes: _options.SegmentBytes, Salt: (uint)NewRandomId(),
                FirstBatchSequence: _nextBatchSequence, PreviousIndex: _state.LastIndex, PreviousTerm: _state.TermAt(_state.LastIndex) ?? 0,
                Snapshot: _state.Snapshot, HardState: _state.HardState);
        }

        WalSegment next = WalSegmentFiles.Activate(_directory, prepared, header);
        lock (_stateLock)
        {
            _segments.Add(next);
            _current = next;
        }

        previous.DropResidentBelow(previous.LengthBytes);
        Interlocked.Increment(ref _segmentsCreated);
        _preparer.Start(sequence + 1);
    }
}
