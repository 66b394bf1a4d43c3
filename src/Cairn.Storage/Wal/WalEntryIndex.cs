namespace Cairn.Storage.Wal;

/// <summary>
/// Maps a log index to the segment and byte offset of its entry record. Consecutive indexes stored in one
/// segment form a run, held as one array of 32-bit offsets: 4 bytes per live entry and no object per
/// entry. Runs are ordered and contiguous: run k+1 starts right after run k's last index. A log index
/// moves to a new run when the log rolls over to a new segment or when a truncation rewrote it.
/// Entries at or below <see cref="BaseIndex"/> are not in the index (compacted or not yet replayed).
/// Not thread-safe: the owner locks.
/// </summary>
internal sealed class WalEntryIndex
{
    private const int InitialRunCapacity = 256;

    private readonly List<Run> _runs = [];

    /// <summary>The index just before the first indexed entry (a snapshot's index, or 0).</summary>
    internal ulong BaseIndex { get; private set; }

    /// <summary>The term of <see cref="BaseIndex"/>, when known.</summary>
    internal ulong BaseTerm { get; private set; }

    /// <summary>False while recovery has not yet seen a snapshot marker covering the entries before the first segment.</summary>
    internal bool BaseTermKnown { get; private set; } = true;

    internal ulong LastIndex => _runs.Count == 0 ? BaseIndex : _runs[^1].LastIndex;

    internal ulong EntryCount => LastIndex - BaseIndex;

    /// <summary>Drops every entry; the log continues after <paramref name="baseIndex"/>.</summary>
    internal void Reset(ulong baseIndex, ulong baseTerm, bool baseTermKnown)
    {
        _runs.Clear();
        BaseIndex = baseIndex;
        BaseTerm = baseTerm;
        BaseTermKnown = baseTermKnown;
    }

    /// <summary>Adds the entry <paramref name="index"/>, which must be <see cref="LastIndex"/> + 1.</summary>
    internal void Append(ulong index, WalSegment segment, int offset)
    {
        Invariant.Check(index == LastIndex + 1, "an entry was indexed out of order");
        Run? last = _runs.Count == 0 ? null : _runs[^1];
        if (last == null || !ReferenceEquals(last.Segment, segment))
        {
            last = new Run(index, segment);
            _runs.Add(last);
        }

        last.Add((uint)offset);
    }

    /// <summary>Drops the entries at <paramref name="index"/> and after (a Raft follower's conflicting suffix).</summary>
    internal void TruncateFrom(ulong index)
    {
        Invariant.Check(index > BaseIndex && index <= LastIndex, "a truncation point is outside the indexed entries");
        int runPosition = FindRun(index);
        Run run = _runs[runPosition];
        run.Count = (int)(index - run.FirstIndex);
        int firstRemoved = run.Count == 0 ? runPosition : runPosition + 1;
        _runs.RemoveRange(firstRemoved, _runs.Count - firstRemoved);
    }

    /// <summary>Drops the entries at and before <paramref name="index"/>, whose term is <paramref name="term"/>.</summary>
    internal void CompactThrough(ulong index, ulong term)
    {
        Invariant.Check(index >= BaseIndex && index <= LastIndex, "a compaction point is outside the indexed entries");
        int removed = 0;
        while (removed < _runs.Count && _runs[removed].LastIndex <= index)
        {
            removed++;
        }

        _runs.RemoveRange(0, removed);
        if (_runs.Count > 0 && _runs[0].FirstIndex <= index)
        {
            _runs[0].DropFront((int)(index - _runs[0].FirstIndex + 1));
        }

        BaseIndex = index;
        BaseTerm = term;
        BaseTermKnown = true;
    }

    /// <summary>Finds the record of entry <paramref name="index"/>; false when it is not indexed.</summary>
    internal bool TryLocate(ulong index, out WalSegment segment, out int offset)
    {
        if (index <= BaseIndex || index > LastIndex)
        {
            segment = null!;
            offset = 0;
            return false;
        }

        Run run = _runs[FindRun(index)];
        segment = run.Segment;
        offset = (int)run.OffsetOf(index);
        return true;
    }

    /// <summary>Whether any indexed entry lives in <paramref name="segment"/>.</summary>
    internal bool References(WalSegment segment)
    {
        foreach (Run run in _runs)
        {
            if (ReferenceEquals(run.Segment, segment))
            {
                return true;
            }
        }

        return false;
    }

    private int FindRun(ulong index)
    {
        int low = 0;
        int high = _runs.Count - 1;
        while (low < high)
        {
            int middle = (low + high + 1) / 2;
            if (_runs[middle].FirstIndex <= index)
            {
                low = middle;
            }
            else
            {
                high = middle - 1;
            }
        }

        return low;
    }

    private sealed class Run
    {
        private uint[] _offsets = new uint[InitialRunCapacity];
        private int _start;

        internal Run(ulong firstIndex, WalSegment segment)
        {
            FirstIndex = firstIndex;
            Segment = segment;
        }

        internal ulong FirstIndex { get; private set; }

        internal WalSegment Segment { get; }

        internal int Count { get; set; }

        internal ulong LastIndex => FirstIndex + (ulong)Count - 1;

        internal uint OffsetOf(ulong index) => _offsets[_start + (int)(index - FirstIndex)];

        internal void Add(uint offset)
        {
            if (_start + Count == _offsets.Length)
            {
                Array.Resize(ref _offsets, _offsets.Length * 2);
            }

            _offsets[_start + Count] = offset;
            Count++;
        }

        internal void DropFront(int entries)
        {
            _start += entries;
            Count -= entries;
            FirstIndex += (ulong)entries;
        }
    }
}
