namespace Cairn.Raft;

/// <summary>What a node recovers from storage when it starts.</summary>
/// <param name="HardState">The last persisted hard state (empty for a new node).</param>
/// <param name="ConfState">The membership as of the last persisted snapshot.</param>
public readonly record struct RaftInitialState(HardState HardState, ConfState ConfState);

/// <summary>
/// The durable log a Raft node reads from. Small on purpose so that it can be implemented on a write-ahead
/// log: the application writes to it (append entries, apply snapshots, save hard state) while handling a
/// <see cref="Ready"/>, and the node only reads.
/// </summary>
/// <remarks>
/// <para>The log holds entries [<see cref="FirstIndex"/>, <see cref="LastIndex"/>]; the entry just before
/// <see cref="FirstIndex"/> is represented only by its term (the last snapshot's index and term), which
/// <see cref="TryGetTerm"/> must still answer.</para>
/// <para>Fail-stop: an implementation throws for anything other than the <see cref="StorageLookup"/> conditions
/// (I/O errors, checksum failures). The exception propagates out of the <see cref="RawNode"/> call, and that
/// node refuses every further call: restart it from storage.</para>
/// <para>Calls come from the thread that drives the <see cref="RawNode"/>. The application's own writes happen
/// on that thread too (or are synchronized by the application).</para>
/// </remarks>
public interface IRaftStorage
{
    /// <summary>The persisted hard state and the membership of the latest snapshot.</summary>
    RaftInitialState InitialState();

    /// <summary>
    /// Appends the entries with indexes in [<paramref name="lowIndex"/>, <paramref name="highIndexExclusive"/>)
    /// to <paramref name="destination"/>, stopping before the total <see cref="Entry.SizeBytes"/> exceeds
    /// <paramref name="maxBytes"/> but always returning at least one entry when any is requested.
    /// </summary>
    /// <returns><see cref="StorageLookup.Compacted"/> when <paramref name="lowIndex"/> is below <see cref="FirstIndex"/>;
    /// <see cref="StorageLookup.Unavailable"/> when the range is past the end.</returns>
    StorageLookup TryGetEntries(ulong lowIndex, ulong highIndexExclusive, ulong maxBytes, List<Entry> destination);

    /// <summary>The term of the entry at <paramref name="index"/>, for any index in [FirstIndex-1, LastIndex].</summary>
    StorageLookup TryGetTerm(ulong index, out ulong term);

    /// <summary>The index of the first entry still available (the last snapshot index + 1).</summary>
    ulong FirstIndex();

    /// <summary>The index of the last entry (the snapshot index when the log after it is empty).</summary>
    ulong LastIndex();

    /// <summary>The most recent snapshot, to send to a follower that needs compacted entries.</summary>
    /// <returns><see cref="StorageLookup.SnapshotTemporarilyUnavailable"/> when one is being made; the leader retries later.</returns>
    StorageLookup TryGetSnapshot(out Snapshot snapshot);
}
