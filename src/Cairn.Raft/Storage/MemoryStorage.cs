namespace Cairn.Raft;

/// <summary>
/// An in-memory <see cref="IRaftStorage"/> for tests and the simulator (and the reference for what a
/// write-ahead-log implementation must do). Not thread-safe.
/// </summary>
public sealed class MemoryStorage : IRaftStorage
{
    // entries[0] is a placeholder for the snapshot position: its Index and Term are the snapshot's, and it is
    // never returned as an entry. The log proper is entries[1..].
    private readonly List<Entry> entries = [new Entry(0, 0)];
    private HardState hardState;
    private Snapshot snapshot = new(new SnapshotMetadata(0, 0, ConfState.Empty), ReadOnlyMemory<byte>.Empty);

    /// <summary>An empty storage (a node that has never run).</summary>
    public MemoryStorage()
    {
    }

    /// <summary>A storage whose (empty) snapshot at index 0 carries <paramref name="initialMembers"/>, like a node created with a peer list.</summary>
    public MemoryStorage(ConfState initialMembers)
    {
        ArgumentNullException.ThrowIfNull(initialMembers);
        snapshot = snapshot with { Metadata = snapshot.Metadata with { ConfState = initialMembers } };
    }

    /// <summary>The persisted hard state.</summary>
    public HardState HardState => hardState;

    /// <summary>The latest snapshot.</summary>
    public Snapshot Snapshot => snapshot;

    /// <inheritdoc />
    public RaftInitialState InitialState() => new(hardState, snapshot.Metadata.ConfState);

    /// <summary>Saves the hard state (what the application does with <see cref="Ready.HardState"/>).</summary>
    public void SetHardState(HardState state) => hardState = state;

    /// <inheritdoc />
    public ulong FirstIndex() => entries[0].Index + 1;

    /// <inheritdoc />
    public ulong LastIndex() => entries[0].Index + (ulong)entries.Count - 1;

    /// <inheritdoc />
    public StorageLookup TryGetTerm(ulong index, out ulong term)
    {
        term = 0;
        ulong offset = entries[0].Index;
        if (index < offset)
        {
            return StorageLookup.Compacted;
        }

        if (index - offset >= (ulong)entries.Count)
        {
            return StorageLookup.Unavailable;
        }

        term = entries[(int)(index - offset)].Term;
        return StorageLookup.Ok;
    }

    /// <inheritdoc />
    public StorageLookup TryGetEntries(ulong lowIndex, ulong highIndexExclusive, ulong maxBytes, List<Entry> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ulong offset = entries[0].Index;
        if (lowIndex <= offset)
        {
            return StorageLookup.Compacted;
        }

        if (highIndexExclusive > LastIndex() + 1)
        {
            throw new ArgumentOutOfRangeException(nameof(highIndexExclusive),
                $"entries up to {highIndexExclusive - 1} requested but the last index is {LastIndex()}");
        }

        if (entries.Count == 1 || lowIndex >= highIndexExclusive)
        {
            return lowIndex >= highIndexExclusive ? StorageLookup.Ok : StorageLookup.Unavailable;
        }

        ulong totalBytes = 0;
        for (ulong index = lowIndex; index < highIndexExclusive; index++)
        {
            Entry entry = entries[(int)(index - offset)];
            totalBytes += entry.SizeBytes;
            if (index > lowIndex && totalBytes > maxBytes)
            {
                break;
            }

            destination.Add(entry);
        }

        return StorageLookup.Ok;
    }

    /// <inheritdoc />
    public StorageLookup TryGetSnapshot(out Snapshot snapshot)
    {
        snapshot = this.snapshot;
        return StorageLookup.Ok;
    }

    /// <summary>Replaces the whole log with <paramref name="newSnapshot"/> (what the application does with <see cref="Ready.Snapshot"/>).</summary>
    /// <exception cref="ArgumentException">The snapshot is older than the one already stored.</exception>
    public void ApplySnapshot(Snapshot newSnapshot)
    {
        ArgumentNullException.ThrowIfNull(newSnapshot);
        if (newSnapshot.Index < snapshot.Index)
        {
            throw new ArgumentException(
                $"snapshot at index {newSnapshot.Index} is older than the stored one at {snapshot.Index}", nameof(newSnapshot));
        }

        snapshot = newSnapshot;
        entries.Clear();
        entries.Add(new Entry(newSnapshot.Index, newSnapshot.Term));
    }

    /// <summary>
    /// Records a snapshot of the application state at <paramref name="index"/> (which must be applied already)
    /// so it can be sent to followers; call <see cref="Compact"/> afterwards to drop the entries it covers.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is not newer than the current snapshot or is past the last entry.</exception>
    public Snapshot CreateSnapshot(ulong index, ConfState confState, ReadOnlyMemory<byte> data)
    {
        ArgumentNullException.ThrowIfNull(confState);
        if (index <= snapshot.Index)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"snapshot index {index} is not newer than the current snapshot at {snapshot.Index}");
        }

        if (index > LastIndex())
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"snapshot index {index} is past the last entry {LastIndex()}");
        }

        ulong term = entries[(int)(index - entries[0].Index)].Term;
        snapshot = new Snapshot(new SnapshotMetadata(index, term, confState), data);
        return snapshot;
    }

    /// <summary>Discards the entries before <paramref name="compactIndex"/> (keeping its term as the new placeholder).</summary>
    /// <returns>False when the log is already compacted that far.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The index is past the last entry.</exception>
    public bool Compact(ulong compactIndex)
    {
        ulong offset = entries[0].Index;
        if (compactIndex <= offset)
        {
            return false;
        }

        if (compactIndex > LastIndex())
        {
            throw new ArgumentOutOfRangeException(nameof(compactIndex), $"compact index {compactIndex} is past the last entry {LastIndex()}");
        }

        int removeCount = (int)(compactIndex - offset);
        Entry newPlaceholder = entries[removeCount];
        entries[0] = new Entry(newPlaceholder.Index, newPlaceholder.Term);
        entries.RemoveRange(1, removeCount);
        return true;
    }

    /// <summary>
    /// Appends entries (what the application does with <see cref="Ready.Entries"/>). Entries that overlap the
    /// existing log replace it from their first index on; entries already compacted away are skipped.
    /// </summary>
    /// <exception cref="ArgumentException">The entries leave a gap after the last stored entry.</exception>
    public void Append(IReadOnlyList<Entry> newEntries)
    {
        ArgumentNullException.ThrowIfNull(newEntries);
        if (newEntries.Count == 0)
        {
            return;
        }

        ulong first = FirstIndex();
        ulong newFirst = newEntries[0].Index;
        ulong newLast = newEntries[^1].Index;
        if (newLast < first)
        {
            return;
        }

        int skip = newFirst < first ? (int)(first - newFirst) : 0;
        ulong appendFrom = newFirst + (ulong)skip;
        ulong position = appendFrom - entries[0].Index;
        if (position > (ulong)entries.Count)
        {
            throw new ArgumentException($"entry {appendFrom} would leave a gap after the last entry {LastIndex()}", nameof(newEntries));
        }

        entries.RemoveRange((int)position, entries.Count - (int)position);
        for (int i = skip; i < newEntries.Count; i++)
        {
            entries.Add(newEntries[i]);
        }
    }
}
