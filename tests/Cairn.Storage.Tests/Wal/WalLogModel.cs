using Cairn.Storage.Wal;
using static Cairn.Storage.Tests.Wal.WalTestSupport;

namespace Cairn.Storage.Tests.Wal;

/// <summary>
/// A plain in-memory model of what the WAL must hold: the snapshot marker, the hard state and the terms of
/// the entries after the snapshot. Entry content is derived from (index, term), so comparing terms and
/// content against the WAL checks every byte.
/// </summary>
internal sealed class WalLogModel
{
    private readonly List<ulong> _terms = [];

    internal WalSnapshotMarker Snapshot { get; private set; }

    internal WalHardState HardState { get; private set; }

    internal ulong LastIndex => Snapshot.Index + (ulong)_terms.Count;

    internal ulong LastTerm => _terms.Count == 0 ? Snapshot.Term : _terms[^1];

    internal ulong TermOf(ulong index) => index == Snapshot.Index ? Snapshot.Term : _terms[(int)(index - Snapshot.Index - 1)];

    internal WalLogModel Clone()
    {
        var copy = new WalLogModel { Snapshot = Snapshot, HardState = HardState };
        copy._terms.AddRange(_terms);
        return copy;
    }

    internal void Append(IReadOnlyList<WalEntry> entries, WalHardState? hardState)
    {
        if (entries.Count > 0)
        {
            int keep = (int)(entries[0].Index - Snapshot.Index - 1);
            _terms.RemoveRange(keep, _terms.Count - keep);
            _terms.AddRange(entries.Select(entry => entry.Term));
        }

        if (hardState is WalHardState state)
        {
            HardState = state;
        }
    }

    internal void Compact(ulong index)
    {
        ulong term = TermOf(index);
        _terms.RemoveRange(0, (int)(index - Snapshot.Index));
        Snapshot = new WalSnapshotMarker(index, term);
    }

    internal void Restore(WalSnapshotMarker marker)
    {
        _terms.Clear();
        Snapshot = marker;
    }

    /// <summary>Whether the WAL holds exactly this model's state (entries compared byte by byte).</summary>
    internal bool Matches(WriteAheadLog wal, out string difference)
    {
        difference = string.Empty;
        if (wal.SnapshotMarker != Snapshot || wal.HardState != HardState || wal.LastIndex != LastIndex || wal.FirstIndex != Snapshot.Index + 1)
        {
            difference = $"WAL has snapshot {wal.SnapshotMarker}, hard state {wal.HardState}, entries [{wal.FirstIndex}, {wal.LastIndex}]; model has {Snapshot}, {HardState}, [{Snapshot.Index + 1}, {LastIndex}]";
            return false;
        }

        foreach (WalEntry entry in wal.ReadEntries(Snapshot.Index + 1, LastIndex + 1))
        {
            ulong term = TermOf(entry.Index);
            if (entry.Term != term || !Payload(entry.Index, term, LengthOf(entry.Index)).AsSpan().SequenceEqual(entry.Data.Span))
            {
                difference = $"entry {entry.Index}: WAL has term {entry.Term}, model has term {term} (or the data differs)";
                return false;
            }
        }

        return true;
    }
}
