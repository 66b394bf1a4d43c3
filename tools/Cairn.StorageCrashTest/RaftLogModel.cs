using Cairn.Storage.Wal;

namespace Cairn.StorageCrashTest;

/// <summary>
/// What the WAL must hold after a sequence of Raft operations: snapshot marker, hard state and the term of
/// every entry after the snapshot (entry data is derived from index and term).
/// </summary>
public sealed class RaftLogModel
{
    private readonly List<ulong> _terms = [];

    /// <summary>The snapshot marker.</summary>
    public WalSnapshotMarker Snapshot { get; private set; }

    /// <summary>The hard state.</summary>
    public WalHardState HardState { get; private set; }

    /// <summary>The last index.</summary>
    public ulong LastIndex => Snapshot.Index + (ulong)_terms.Count;

    /// <summary>The term of the last entry (or of the snapshot).</summary>
    public ulong LastTerm => _terms.Count == 0 ? Snapshot.Term : _terms[^1];

    /// <summary>The term of an entry in the model.</summary>
    public ulong TermOf(ulong index) => index == Snapshot.Index ? Snapshot.Term : _terms[(int)(index - Snapshot.Index - 1)];

    /// <summary>A model of what the WAL holds now.</summary>
    public static RaftLogModel From(WriteAheadLog wal)
    {
        var model = new RaftLogModel { Snapshot = wal.SnapshotMarker, HardState = wal.HardState };
        foreach (WalEntry entry in wal.ReadEntries(wal.FirstIndex, wal.LastIndex + 1))
        {
            model._terms.Add(entry.Term);
        }

        return model;
    }

    /// <summary>A copy.</summary>
    public RaftLogModel Clone()
    {
        var copy = new RaftLogModel { Snapshot = Snapshot, HardState = HardState };
        copy._terms.AddRange(_terms);
        return copy;
    }

    /// <summary>Applies an operation the way the WAL must.</summary>
    public void Apply(RaftOperation operation)
    {
        switch (operation.Kind)
        {
            case 'E':
                int keep = (int)(operation.Index - Snapshot.Index - 1);
                _terms.RemoveRange(keep, _terms.Count - keep);
                for (ulong i = 0; i < operation.Count; i++)
                {
                    _terms.Add(operation.Term);
                }

                HardState = operation.HardState ?? HardState;
                break;
            case 'S':
                _terms.RemoveRange(0, (int)(operation.Index - Snapshot.Index));
                Snapshot = new WalSnapshotMarker(operation.Index, operation.Term);
                break;
            case 'R':
                _terms.Clear();
                Snapshot = new WalSnapshotMarker(operation.Index, operation.Term);
                break;
            default:
                throw new InvalidOperationException($"unknown operation kind '{operation.Kind}'");
        }
    }

    /// <summary>Whether the WAL holds exactly this state, entry data compared byte by byte.</summary>
    public bool Matches(WriteAheadLog wal, out string difference)
    {
        difference = string.Empty;
        if (wal.SnapshotMarker != Snapshot || wal.HardState != HardState || wal.LastIndex != LastIndex || wal.FirstIndex != Snapshot.Index + 1)
        {
            difference = $"WAL has snapshot {wal.SnapshotMarker}, {wal.HardState}, entries [{wal.FirstIndex}, {wal.LastIndex}]; expected {Snapshot}, {HardState}, [{Snapshot.Index + 1}, {LastIndex}]";
            return false;
        }

        foreach (WalEntry entry in wal.ReadEntries(Snapshot.Index + 1, LastIndex + 1))
        {
            ulong term = TermOf(entry.Index);
            if (entry.Term != term || !entry.Data.Span.SequenceEqual(EntryPayload.ForEntry(entry.Index, term)))
            {
                difference = $"entry {entry.Index} has term {entry.Term} (expected {term}) or wrong data";
                return false;
            }
        }

        return true;
    }
}
