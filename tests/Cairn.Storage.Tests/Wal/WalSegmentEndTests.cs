using Cairn.Storage.Wal;
using static Cairn.Storage.Tests.Wal.WalTestSupport;

namespace Cairn.Storage.Tests.Wal;

/// <summary>
/// Records that end exactly at a segment's last byte. The smallest records (a snapshot marker, a hard state) once
/// made the writer read past the mapping there, which stopped the WAL.
/// </summary>
public class WalSegmentEndTests
{
    private const int SegmentBytes = 64 * 1024;
    private const int OneEntryBatchOverheadBytes = WalFormat.BatchHeaderBytes + WalFormat.EntryHeaderBytes;

    [Fact]
    public void A_marker_or_hard_state_that_ends_a_segment_is_written_and_recovered()
    {
        using var directory = new TemporaryDirectory();
        var lengths = new List<int> { 0 };
        ulong markedIndex = 0;
        using (WriteAheadLog wal = WriteAheadLog.Open(directory.Path, SmallOptions(SegmentBytes)))
        {
            for (int segment = 0; segment < 6; segment++)
            {
                bool marker = segment % 2 == 0;
                int closingBatchBytes = WalFormat.BatchHeaderBytes + (marker ? WalFormat.SnapshotMarkerBytes : WalFormat.HardStateBytes);
                FillSegmentUntil(wal, closingBatchBytes, lengths);
                (ulong sequence, long offset) = wal.Tail;
                Assert.Equal(SegmentBytes - closingBatchBytes, offset);
                ulong last = (ulong)(lengths.Count - 1);
                if (marker)
                {
                    wal.MarkSnapshot(last, 1);
                    markedIndex = last;
                }
                else
                {
                    wal.Append([], new WalHardState(1, 1, last));
                }

                Assert.Equal((sequence, (long)SegmentBytes), wal.Tail);
            }
        }

        using WriteAheadLog recovered = WriteAheadLog.Open(directory.Path, SmallOptions(SegmentBytes));
        ulong lastIndex = (ulong)(lengths.Count - 1);
        Assert.Equal(markedIndex, recovered.SnapshotMarker.Index);
        Assert.Equal(new WalHardState(1, 1, lastIndex), recovered.HardState);
        List<WalEntry> kept = recovered.ReadEntries(markedIndex + 1, lastIndex + 1);
        Assert.Equal((int)(lastIndex - markedIndex), kept.Count);
        Assert.NotEmpty(kept);
        foreach (WalEntry entry in kept)
        {
            Assert.True(Payload(entry.Index, 1, lengths[(int)entry.Index]).AsSpan().SequenceEqual(entry.Data.Span), $"entry {entry.Index}");
        }
    }

    /// <summary>Appends one-entry batches, sized so that exactly <paramref name="leaveBytes"/> remain in the segment.</summary>
    private static void FillSegmentUntil(WriteAheadLog wal, int leaveBytes, List<int> lengths)
    {
        while (SegmentBytes - wal.Tail.Offset is long remaining && remaining != leaveBytes)
        {
            // Too little room left to steer: a small entry moves the log on into the next segment.
            long steeringBytes = remaining - leaveBytes - OneEntryBatchOverheadBytes;
            int length = steeringBytes < 0 ? 8 : (int)Math.Min(steeringBytes, 8 * 1024);
            ulong index = (ulong)lengths.Count;
            lengths.Add(length);
            wal.Append([Entry(index, 1, length)]);
        }
    }
}
