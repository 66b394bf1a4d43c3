namespace Cairn.Storage.Wal;

/// <summary>
/// Checks each append against the log as it will be once everything queued before it is written, and
/// rejects what would break the Raft log's rules with an <see cref="ArgumentException"/> before anything
/// reaches the disk. The writer can then apply every batch it syncs without ever finding a record that
/// does not fit. Not thread-safe: the WAL holds its queue lock around every call.
/// </summary>
internal sealed class WalAdmission
{
    private readonly int _maxEntryDataBytes;

    internal WalAdmission(WalLogState state, int maxEntryDataBytes)
    {
        _maxEntryDataBytes = maxEntryDataBytes;
        LastIndex = state.LastIndex;
        LastTerm = state.TermAt(state.LastIndex) ?? 0;
        SnapshotIndex = state.Snapshot.Index;
        HardState = state.HardState;
    }

    internal ulong LastIndex { get; private set; }

    internal ulong LastTerm { get; private set; }

    internal ulong SnapshotIndex { get; set; }

    internal WalHardState HardState { get; private set; }

    /// <summary>Checks and accepts entries and an optional hard state appended together.</summary>
    internal void Accept(ReadOnlySpan<WalEntry> entries, WalHardState? hardState)
    {
        ulong lastIndexAfter = entries.IsEmpty ? LastIndex : entries[^1].Index;
        CheckEntries(entries);
        if (hardState is WalHardState state)
        {
            CheckHardState(state, lastIndexAfter);
        }

        if (!entries.IsEmpty)
        {
            LastIndex = entries[^1].Index;
            LastTerm = entries[^1].Term;
        }

        if (hardState is WalHardState accepted)
        {
            HardState = accepted;
        }
    }

    /// <summary>Assigns the next index to a new entry of <paramref name="term"/>.</summary>
    internal ulong AcceptNext(ulong term, int dataBytes)
    {
        CheckDataLength(LastIndex + 1, dataBytes);
        if (term < LastTerm)
        {
            throw new ArgumentException($"entry term {term} is lower than the term {LastTerm} of the last entry; Raft log terms never decrease", nameof(term));
        }

        LastIndex++;
        LastTerm = term;
        return LastIndex;
    }

    /// <summary>Checks a compaction marker (the term is checked by the writer against the written log).</summary>
    internal void AcceptCompaction(WalSnapshotMarker marker)
    {
        if (marker.Index < SnapshotIndex || marker.Index > LastIndex)
        {
            throw new ArgumentException($"a snapshot at index {marker.Index} cannot compact a log whose snapshot is at {SnapshotIndex} and last entry at {LastIndex}", nameof(marker));
        }

        SnapshotIndex = marker.Index;
    }

    /// <summary>Checks a restore marker: the log is replaced by a snapshot at its index.</summary>
    internal void AcceptRestore(WalSnapshotMarker marker)
    {
        if (marker.Index < SnapshotIndex)
        {
            throw new ArgumentException($"a snapshot at index {marker.Index} is older than the current snapshot at {SnapshotIndex}", nameof(marker));
        }

        SnapshotIndex = marker.Index;
        LastIndex = marker.Index;
        LastTerm = marker.Term;
    }

    private void CheckEntries(ReadOnlySpan<WalEntry> entries)
    {
        if (entries.IsEmpty)
        {
            return;
        }

        ulong first = entries[0].Index;
        if (first <= SnapshotIndex || first > LastIndex + 1)
        {
            throw new ArgumentException($"entries starting at index {first} do not continue the log (snapshot at {SnapshotIndex}, last index {LastIndex}): the first index must be in ({SnapshotIndex}, {LastIndex + 1}]", nameof(entries));
        }

        if (first <= LastIndex && first <= HardState.Commit)
        {
            throw new ArgumentException($"entries starting at index {first} would overwrite committed entries (commit index {HardState.Commit})", nameof(entries));
        }

        if (first == LastIndex + 1 && entries[0].Term < LastTerm)
        {
            throw new ArgumentException($"entry {first} has term {entries[0].Term}, lower than the term {LastTerm} of the entry before it", nameof(entries));
        }

        for (int i = 0; i < entries.Length; i++)
        {
            CheckDataLength(entries[i].Index, entries[i].Data.Length);
            if (i > 0 && (entries[i].Index != entries[i - 1].Index + 1 || entries[i].Term < entries[i - 1].Term))
            {
                throw new ArgumentException($"entries must have consecutive indexes and non-decreasing terms; entry {entries[i].Index} (term {entries[i].Term}) follows entry {entries[i - 1].Index} (term {entries[i - 1].Term})", nameof(entries));
            }
        }
    }

    private void CheckHardState(WalHardState state, ulong lastIndexAfter)
    {
        if (state.Term < HardState.Term || state.Commit < HardState.Commit)
        {
            throw new ArgumentException($"hard state (term {state.Term}, commit {state.Commit}) goes back from (term {HardState.Term}, commit {HardState.Commit}); neither may decrease", "hardState");
        }

        if (state.Commit > lastIndexAfter)
        {
            throw new ArgumentException($"hard state commit index {state.Commit} is beyond the last log index {lastIndexAfter}", "hardState");
        }
    }

    private void CheckDataLength(ulong index, int dataBytes)
    {
        if (dataBytes > _maxEntryDataBytes)
        {
            throw new ArgumentException($"entry {index} carries {dataBytes} bytes of data; the WAL's limit is {_maxEntryDataBytes} bytes (WalOptions.MaxBatchBytes minus {WalOptions.BatchOverheadBytes})", "entries");
        }
    }
}
