using Cairn.Storage.Durability;

namespace Cairn.Storage.Wal;

/// <summary>
/// One segment file, mapped. The segment being written is the last one; older ones are read-only in
/// practice (nothing writes below a segment's <see cref="WriteOffset"/> once it is synced).
/// </summary>
internal sealed class WalSegment : IDisposable
{
    internal WalSegment(string path, MappedFile mapping, WalSegmentHeader header)
    {
        FilePath = path;
        Mapping = mapping;
        Header = header;
        WriteOffset = WalFormat.SegmentHeaderBytes;
    }

    internal string FilePath { get; }

    internal MappedFile Mapping { get; }

    internal WalSegmentHeader Header { get; }

    internal ulong Sequence => Header.Sequence;

    internal uint Salt => Header.Salt;

    internal int LengthBytes => (int)Mapping.LengthBytes;

    /// <summary>End of the durable (or, during a batch, written) data; the next batch starts here.</summary>
    internal int WriteOffset { get; set; }

    /// <summary>Pages below this offset have been unmapped from the process (they fault back in on access).</summary>
    internal long ResidentFromOffset { get; private set; }

    internal ReadOnlySpan<byte> Read(int offset, int lengthBytes) => Mapping.GetReadOnlySpan(offset, lengthBytes);

    internal Span<byte> Write(int offset, int lengthBytes) => Mapping.GetSpan(offset, lengthBytes);

    /// <summary>Unmaps the synced pages below <paramref name="offset"/> that are still mapped (RSS control).</summary>
    internal void DropResidentBelow(long offset)
    {
        long target = MappedFile.AlignDown(Math.Min(offset, Mapping.LengthBytes));
        if (target > ResidentFromOffset)
        {
            Mapping.DropResidentPages(ResidentFromOffset, target - ResidentFromOffset);
            ResidentFromOffset = target;
        }
    }

    /// <summary>Unmaps pages in a range that a reader touched, without moving <see cref="ResidentFromOffset"/>.</summary>
    internal void DropResidentRange(long offset, long lengthBytes) => Mapping.DropResidentPages(offset, lengthBytes);

    public void Dispose() => Mapping.Dispose();
}
