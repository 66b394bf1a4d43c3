namespace Cairn.Storage.Wal;

/// <summary>Reading the durable log: terms and entries, in place from the mapped segments.</summary>
public sealed partial class WriteAheadLog
{
    /// <summary>
    /// The term of entry <paramref name="index"/>. The snapshot marker's index has the marker's term.
    /// </summary>
    /// <param name="index">A log index.</param>
    /// <param name="term">The term, when found.</param>
    /// <returns>Found, Compacted (before the snapshot marker) or Unavailable (after the last index).</returns>
    public WalLookup TryGetTerm(ulong index, out ulong term)
    {
        lock (_stateLock)
        {
            ObjectDisposedException.ThrowIf(_disposed && _segments.Count == 0, this);
            term = 0;
            if (index < _state.Index.BaseIndex)
            {
                return WalLookup.Compacted;
            }

            if (index > _state.LastIndex)
            {
                return WalLookup.Unavailable;
            }

            ulong? found = _state.TermAt(index);
            Invariant.Check(found.HasValue, $"the term of indexed entry {index} is unknown");
            term = found.Value;
            return WalLookup.Found;
        }
    }

    /// <summary>
    /// Reads entries [<paramref name="lowIndex"/>, <paramref name="highIndex"/>) in place and hands each to
    /// <paramref name="visitor"/>, verifying each record's CRC first. Stops early when the visitor returns
    /// false or when the data of the entries visited exceeds <paramref name="maxBytes"/> (the first entry is
    /// always visited, as Raft expects). Holds the WAL's state lock during the visit: keep visitors short.
    /// </summary>
    /// <typeparam name="TVisitor">A struct visitor (no boxing, no allocation).</typeparam>
    /// <param name="lowIndex">First index to read.</param>
    /// <param name="highIndex">One past the last index to read; at most <see cref="LastIndex"/> + 1.</param>
    /// <param name="maxBytes">Limit on the total data bytes handed out.</param>
    /// <param name="visitor">Receives the entries.</param>
    /// <returns>Found (entries were visited, possibly fewer than asked), Compacted (<paramref name="lowIndex"/> is before <see cref="FirstIndex"/>) or Unavailable (<paramref name="highIndex"/> is past <see cref="LastIndex"/> + 1).</returns>
    public WalLookup ReadEntries<TVisitor>(ulong lowIndex, ulong highIndex, ulong maxBytes, ref TVisitor visitor)
        where TVisitor : struct, IWalEntryVisitor
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(lowIndex, highIndex);
        lock (_stateLock)
        {
            ObjectDisposedException.ThrowIf(_disposed && _segments.Count == 0, this);
            if (lowIndex <= _state.Index.BaseIndex)
            {
                return WalLookup.Compacted;
            }

            if (highIndex > _state.LastIndex + 1)
            {
                return WalLookup.Unavailable;
            }

            VisitLocked(lowIndex, highIndex, maxBytes, ref visitor);
            return WalLookup.Found;
        }
    }

    /// <summary>Reads entries [<paramref name="lowIndex"/>, <paramref name="highIndex"/>) into copies that own their data. Convenient, not for hot paths.</summary>
    /// <param name="lowIndex">First index.</param>
    /// <param name="highIndex">One past the last index.</param>
    /// <returns>The entries.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The range is not inside [<see cref="FirstIndex"/>, <see cref="LastIndex"/> + 1).</exception>
    public List<WalEntry> ReadEntries(ulong lowIndex, ulong highIndex)
    {
        var collector = new CopyingVisitor([]);
        WalLookup result = ReadEntries(lowIndex, highIndex, ulong.MaxValue, ref collector);
        if (result != WalLookup.Found)
        {
            throw new ArgumentOutOfRangeException(nameof(lowIndex), $"entries [{lowIndex}, {highIndex}) are not all in the log ({result}; first index {FirstIndex}, last index {LastIndex})");
        }

        return collector.Entries;
    }

    private void VisitLocked<TVisitor>(ulong lowIndex, ulong highIndex, ulong maxBytes, ref TVisitor visitor)
        where TVisitor : struct, IWalEntryVisitor
    {
        ulong visitedBytes = 0;
        WalSegment? touchedSegment = null;
        int touchedFrom = 0;
        int touchedTo = 0;
        for (ulong index = lowIndex; index < highIndex; index++)
        {
            bool located = _state.Index.TryLocate(index, out WalSegment segment, out int offset);
            Invariant.Check(located, $"indexed entry {index} was not found");
            WalEntryView entry = ReadVerifiedEntry(segment, offset, index, out int recordBytes);
            visitedBytes += (ulong)entry.Data.Length;
            if (index > lowIndex && visitedBytes > maxBytes)
            {
                break;
            }

            if (!ReferenceEquals(segment, touchedSegment))
            {
                ReleaseTouchedPages(touchedSegment, touchedFrom, touchedTo);
                (touchedSegment, touchedFrom) = (segment, offset);
            }

            touchedTo = offset + recordBytes;
            if (!visitor.Visit(in entry))
            {
                break;
            }
        }

        ReleaseTouchedPages(touchedSegment, touchedFrom, touchedTo);
    }

    private WalEntryView ReadVerifiedEntry(WalSegment segment, int offset, ulong expectedIndex, out int recordBytes)
    {
        ReadOnlySpan<byte> header = segment.Read(offset, WalFormat.EntryHeaderBytes);
        long lengthBytes = WalFormat.ReadLength(header);
        bool plausible = lengthBytes >= WalFormat.EntryHeaderBytes && lengthBytes <= segment.LengthBytes - offset;
        recordBytes = plausible ? WalFormat.Align((int)lengthBytes) : 0;
        ReadOnlySpan<byte> record = plausible ? segment.Read(offset, (int)lengthBytes) : header;
        if (!plausible || !WalFormat.HasValidCrc(record, segment.Salt, (int)lengthBytes)
            || WalFormat.ReadType(record) != WalRecordType.Entry || WalFormat.ReadField(record, WalFormat.FirstFieldOffset) != expectedIndex)
        {
            // The record was verified when written or recovered; failing now means the disk or memory changed it.
            var corruption = new WalCorruptionException(segment.FilePath, offset, $"entry {expectedIndex} fails its CRC-32C on read");
            MarkFailed(corruption);
            throw corruption;
        }

        return new WalEntryView(
            expectedIndex,
            WalFormat.ReadField(record, WalFormat.SecondFieldOffset),
            WalFormat.ReadSubtype(record),
            record[WalFormat.EntryHeaderBytes..]);
    }

    /// <summary>Reads of older segments fault their pages in; give them back so catch-up reads do not grow RSS.</summary>
    private void ReleaseTouchedPages(WalSegment? segment, int from, int to)
    {
        if (segment != null && !ReferenceEquals(segment, _current) && _options.ResidentWindowBytes >= 0)
        {
            segment.DropResidentRange(from, to - from);
        }
    }

    private struct CopyingVisitor(List<WalEntry> entries) : IWalEntryVisitor
    {
        public List<WalEntry> Entries { get; } = entries;

        public readonly bool Visit(in WalEntryView entry)
        {
            Entries.Add(entry.ToEntry());
            return true;
        }
    }
}
