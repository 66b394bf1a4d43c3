namespace Cairn.Storage.Wal;

/// <summary>The synchronous write API for a Raft loop that batches by itself, snapshot markers and segment release.</summary>
public sealed partial class WriteAheadLog
{
    /// <summary>
    /// Persists <paramref name="entries"/> and then <paramref name="hardState"/>, and returns once they are
    /// durable: the Raft loop's "persist(entries, hardState)". Appends queued by other callers before this
    /// call are written first, in the same batch. Normally one batch and one sync; more only when the input
    /// exceeds <see cref="WalOptions.MaxBatchBytes"/> or <see cref="WalOptions.MaxBatchRecords"/>.
    /// An entry whose index is at or below <see cref="LastIndex"/> replaces that entry and all after it
    /// (a follower overwriting a conflicting suffix); committed entries cannot be replaced.
    /// </summary>
    /// <param name="entries">Consecutive entries, possibly empty.</param>
    /// <param name="hardState">The hard state to persist after the entries, or null.</param>
    /// <exception cref="ArgumentException">The entries or hard state break the log's rules; nothing was written.</exception>
    /// <exception cref="WalFatalException">Making them durable failed; the WAL is now failed for good.</exception>
    public void Append(ReadOnlySpan<WalEntry> entries, WalHardState? hardState = null)
    {
        if (entries.IsEmpty && hardState == null)
        {
            return;
        }

        lock (_writeLock)
        {
            ThrowIfUnusable();
            List<WalAppendRequest> drained;
            lock (_queueLock)
            {
                _admission.Accept(entries, hardState);
                drained = DrainQueueLocked();
            }

            try
            {
                WriteDrained(drained);
                ReserveRoomForWholeCall(entries, hardState);
                foreach (WalEntry entry in entries)
                {
                    AddEntryRecord(entry.Index, entry.Term, entry.Type, entry.Data.Span);
                }

                if (hardState is WalHardState state)
                {
                    AddHardStateRecord(state);
                }

                CommitBatch();
                drained.Clear();
            }
            catch (Exception error)
            {
                WalFatalException fatal = MarkFailed(error);
                FailPending(drained, fatal);
                throw fatal;
            }
        }
    }

    /// <summary>
    /// Records durably that a snapshot of the state at <paramref name="index"/> (whose entry has
    /// <paramref name="term"/>) exists, and drops the entries up to it from the log: after this,
    /// <see cref="FirstIndex"/> is <paramref name="index"/> + 1. Their segments are deleted by <see cref="ReleaseSegments"/>.
    /// Call it only after the snapshot itself is durable.
    /// </summary>
    /// <param name="index">The snapshot's last included index; at most <see cref="LastIndex"/>.</param>
    /// <param name="term">The term of the entry at <paramref name="index"/>.</param>
    public void MarkSnapshot(ulong index, ulong term)
    {
        var marker = new WalSnapshotMarker(index, term);
        lock (_writeLock)
        {
            ThrowIfUnusable();
            ulong previousSnapshotIndex;
            List<WalAppendRequest> drained;
            lock (_queueLock)
            {
                previousSnapshotIndex = _admission.SnapshotIndex;
                _admission.AcceptCompaction(marker);
                drained = DrainQueueLocked();
            }

            // Queued appends go first, in their own batch, so the term check below sees the log they produce.
            WriteAndCommit(drained, marker: null, markerKind: 0);
            ulong? termAtIndex;
            lock (_stateLock)
            {
                termAtIndex = _state.TermAt(index);
            }

            if (termAtIndex != term)
            {
                // Appends admitted since were checked against a higher snapshot index, so they stay valid.
                lock (_queueLock)
                {
                    _admission.SnapshotIndex = previousSnapshotIndex;
                }

                throw new ArgumentException($"the log's entry {index} has term {termAtIndex?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(none)"}, not {term}; a snapshot marker must name the term of its index", nameof(term));
            }

            WriteAndCommit(drained, marker, WalFormat.MarkerKindCompact);
        }
    }

    /// <summary>
    /// Replaces the whole log by a snapshot at <paramref name="index"/> (a follower installing the leader's
    /// snapshot): every entry is dropped, <see cref="LastIndex"/> becomes <paramref name="index"/>, and the
    /// next entry appended must be <paramref name="index"/> + 1. Durable when it returns. Call it only after
    /// the snapshot itself is durable.
    /// </summary>
    /// <param name="index">The snapshot's last included index.</param>
    /// <param name="term">The term of that entry.</param>
    public void ResetToSnapshot(ulong index, ulong term)
    {
        var marker = new WalSnapshotMarker(index, term);
        lock (_writeLock)
        {
            ThrowIfUnusable();
            List<WalAppendRequest> drained;
            lock (_queueLock)
            {
                _admission.AcceptRestore(marker);
                drained = DrainQueueLocked();
            }

            WriteAndCommit(drained, marker, WalFormat.MarkerKindRestore);
        }
    }

    /// <summary>
    /// Deletes the oldest segment files whose entries all lie at or before the snapshot marker. Segment k
    /// can go once segment k+1's header says the log ended at or before the snapshot index when k+1 was
    /// started; recovery then starts from the first remaining segment. The segment being written is kept.
    /// </summary>
    /// <returns>The number of segment files deleted.</returns>
    public int ReleaseSegments()
    {
        var released = new List<WalSegment>();
        lock (_writeLock)
        {
            ThrowIfUnusable();
            lock (_stateLock)
            {
                while (_segments.Count > 1 && _segments[1].Header.PreviousIndex <= _state.Snapshot.Index)
                {
                    WalSegment oldest = _segments[0];
                    Invariant.Check(!_state.Index.References(oldest), $"segment {oldest.FilePath} is being released while it holds live entries");
                    _segments.RemoveAt(0);
                    released.Add(oldest);
                }
            }

            foreach (WalSegment segment in released)
            {
                segment.Dispose();
                File.Delete(segment.FilePath);
            }

            if (released.Count > 0)
            {
                // Not needed for correctness (recovery deletes leftovers before a gap), but keeps the disk tidy after a power cut.
                Durability.DurableFile.SyncDirectory(_directory);
                Interlocked.Add(ref _segmentsReleased, released.Count);
                _options.Log?.Invoke($"WAL: released {released.Count} segments up to snapshot index {SnapshotMarker.Index}");
            }
        }

        return released.Count;
    }

    /// <summary>
    /// When a synchronous call fits in one batch, makes room for all of it up front, so that it is not split
    /// over two batches (two syncs) just because the open batch or the segment is nearly full.
    /// </summary>
    private void ReserveRoomForWholeCall(ReadOnlySpan<WalEntry> entries, WalHardState? hardState)
    {
        int encodedBytes = EncodedBytesOf(entries, hardState);
        int records = entries.Length + (hardState.HasValue ? 1 : 0);
        if (WalFormat.BatchHeaderBytes + encodedBytes <= _options.MaxBatchBytes && records <= _options.MaxBatchRecords)
        {
            EnsureBatchRoom(encodedBytes, records);
        }
    }

    /// <summary>Under _writeLock: writes drained requests and an optional marker, commits; any failure is fatal.</summary>
    private void WriteAndCommit(List<WalAppendRequest> drained, WalSnapshotMarker? marker, byte markerKind)
    {
        try
        {
            WriteDrained(drained);
            if (marker is WalSnapshotMarker value)
            {
                AddSnapshotMarkerRecord(value, markerKind);
            }

            CommitBatch();
            drained.Clear();
        }
        catch (Exception error)
        {
            WalFatalException fatal = MarkFailed(error);
            FailPending(drained, fatal);
            throw fatal;
        }
    }
}
