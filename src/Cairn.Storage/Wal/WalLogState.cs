namespace Cairn.Storage.Wal;

/// <summary>
/// The logical content of the WAL: hard state, snapshot marker and the entry index. Recovery builds it by
/// applying every valid batch in order; the writer applies each batch after its sync, with the same code,
/// so what a reader sees after a restart is exactly what it saw before. Not thread-safe: the owner locks.
/// </summary>
internal sealed class WalLogState
{
    internal WalEntryIndex Index { get; } = new();

    internal WalHardState HardState { get; private set; }

    internal WalSnapshotMarker Snapshot { get; private set; }

    /// <summary>
    /// True while entries between the snapshot and the first indexed entry are missing: recovery started at
    /// a segment whose predecessors were released, and has not yet seen the marker that made that safe.
    /// </summary>
    internal bool HasMissingEntries => Snapshot.Index < Index.BaseIndex || !Index.BaseTermKnown;

    internal ulong LastIndex => Index.LastIndex;

    /// <summary>Starts from a segment header: the state of the log when that segment was created.</summary>
    internal void StartFrom(WalSegmentHeader header)
    {
        HardState = header.HardState;
        Snapshot = header.Snapshot;
        Index.Reset(header.PreviousIndex, header.PreviousTerm, baseTermKnown: true);
    }

    /// <summary>The term of entry <paramref name="index"/>, or null when it is neither indexed nor the base.</summary>
    internal ulong? TermAt(ulong index)
    {
        if (index == Index.BaseIndex)
        {
            return Index.BaseTermKnown ? Index.BaseTerm : null;
        }

        if (!Index.TryLocate(index, out WalSegment segment, out int offset))
        {
            return null;
        }

        return WalFormat.ReadField(segment.Read(offset, WalFormat.EntryHeaderBytes), WalFormat.SecondFieldOffset);
    }

    /// <summary>
    /// Applies the records of a valid batch [batchStart, batchEnd) in <paramref name="segment"/>.
    /// Returns null, or a description of the first record that does not fit the log, with its offset.
    /// </summary>
    internal (string? Problem, int Offset) ApplyBatch(WalSegment segment, int batchStart, int batchEnd)
    {
        int offset = batchStart + WalFormat.BatchHeaderBytes;
        while (offset < batchEnd)
        {
            ReadOnlySpan<byte> header = segment.Read(offset, WalFormat.CommonHeaderBytes);
            int lengthBytes = (int)WalFormat.ReadLength(header);
            WalRecordType type = WalFormat.ReadType(header);
            int fixedBytes = FixedBytesOf(type);
            string? problem;
            if (lengthBytes < fixedBytes || lengthBytes > batchEnd - offset)
            {
                problem = $"record of type {header[WalFormat.TypeOffset]} claims {lengthBytes} bytes, outside [{fixedBytes}, {batchEnd - offset}]";
            }
            else
            {
                // Only the fixed fields: a record may end right at the segment's end, and an entry's data is not needed here.
                ReadOnlySpan<byte> record = segment.Read(offset, fixedBytes);
                problem = type switch
                {
                    WalRecordType.Entry => ApplyEntry(WalFormat.ReadField(record, WalFormat.FirstFieldOffset), segment, offset),
                    WalRecordType.HardState => ApplyHardState(record),
                    WalRecordType.SnapshotMarker => ApplySnapshotMarker(record),
                    _ => $"record type {header[WalFormat.TypeOffset]} is not allowed inside a batch",
                };
            }

            if (problem != null)
            {
                return (problem, offset);
            }

            offset += WalFormat.Align(lengthBytes);
        }

        return (null, 0);
    }

    private static int FixedBytesOf(WalRecordType type) => type switch
    {
        WalRecordType.Entry => WalFormat.EntryHeaderBytes,
        WalRecordType.HardState => WalFormat.HardStateBytes,
        WalRecordType.SnapshotMarker => WalFormat.SnapshotMarkerBytes,
        _ => WalFormat.CommonHeaderBytes,
    };

    private string? ApplyEntry(ulong index, WalSegment segment, int offset)
    {
        if (index == Index.LastIndex + 1)
        {
            Index.Append(index, segment, offset);
            return null;
        }

        if (index <= Snapshot.Index || index > Index.LastIndex + 1)
        {
            return $"entry {index} does not continue the log (last index {Index.LastIndex}, snapshot index {Snapshot.Index})";
        }

        if (index > Index.BaseIndex)
        {
            Index.TruncateFrom(index);
        }
        else
        {
            // A truncation back into entries that lived in released segments (recovery only): they stay
            // missing until the snapshot marker that made their release safe is replayed.
            Index.Reset(index - 1, baseTerm: 0, baseTermKnown: false);
        }

        Index.Append(index, segment, offset);
        return null;
    }

    private string? ApplyHardState(ReadOnlySpan<byte> record)
    {
        HardState = new WalHardState(
            WalFormat.ReadField(record, WalFormat.FirstFieldOffset),
            WalFormat.ReadField(record, WalFormat.SecondFieldOffset),
            WalFormat.ReadField(record, WalFormat.ThirdFieldOffset));
        return null;
    }

    private string? ApplySnapshotMarker(ReadOnlySpan<byte> record)
    {
        var marker = new WalSnapshotMarker(
            WalFormat.ReadField(record, WalFormat.FirstFieldOffset),
            WalFormat.ReadField(record, WalFormat.SecondFieldOffset));
        if (marker.Index < Snapshot.Index)
        {
            return $"snapshot marker {marker.Index} is older than the current snapshot {Snapshot.Index}";
        }

        if (WalFormat.ReadSubtype(record) == WalFormat.MarkerKindRestore)
        {
            Index.Reset(marker.Index, marker.Term, baseTermKnown: true);
            Snapshot = marker;
            return null;
        }

        return ApplyCompaction(marker);
    }

    private string? ApplyCompaction(WalSnapshotMarker marker)
    {
        if (marker.Index > Index.LastIndex)
        {
            return $"snapshot marker {marker.Index} is beyond the last entry {Index.LastIndex}";
        }

        if (marker.Index >= Index.BaseIndex)
        {
            ulong? term = marker.Index == Index.BaseIndex && !Index.BaseTermKnown ? marker.Term : TermAt(marker.Index);
            if (term != marker.Term)
            {
                return $"snapshot marker ({marker.Index}, term {marker.Term}) disagrees with the log's term {term} at that index";
            }

            Index.CompactThrough(marker.Index, marker.Term);
        }

        Snapshot = marker;
        return null;
    }
}
