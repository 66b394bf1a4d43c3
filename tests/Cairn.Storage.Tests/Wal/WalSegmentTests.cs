using Cairn.Storage.Wal;
using static Cairn.Storage.Tests.Wal.WalTestSupport;

namespace Cairn.Storage.Tests.Wal;

public class WalSegmentTests
{
    [Fact]
    public void Entries_roll_over_into_new_segments_and_read_back_across_them_after_restart()
    {
        using var directory = new TemporaryDirectory();
        ulong last = 0;
        using (WriteAheadLog wal = WriteAheadLog.Open(directory.Path, SmallOptions()))
        {
            while (wal.SegmentCount < 5)
            {
                last++;
                wal.Append([Entry(last, 1 + (last / 100))], new WalHardState(1 + (last / 100), 0, last - 1));
            }

            Assert.Equal(4, wal.Statistics.SegmentsCreated);
            AssertEntries(wal, 1, last, index => 1 + (index / 100));
        }

        Assert.Equal(5, Directory.GetFiles(directory.Path, "*.wal").Length);
        using (WriteAheadLog wal = WriteAheadLog.Open(directory.Path, SmallOptions()))
        {
            Assert.Equal(5, wal.Recovery.SegmentsReplayed);
            Assert.Equal(last, wal.LastIndex);
            Assert.Equal(new WalHardState(1 + (last / 100), 0, last - 1), wal.HardState);
            AssertEntries(wal, 1, last, index => 1 + (index / 100));
        }
    }

    [Fact]
    public void Snapshot_marker_compacts_the_log_and_release_deletes_covered_segments_only()
    {
        using var directory = new TemporaryDirectory();
        ulong last = 0;
        using (WriteAheadLog wal = WriteAheadLog.Open(directory.Path, SmallOptions()))
        {
            while (wal.SegmentCount < 4)
            {
                last++;
                wal.Append([Entry(last, 1)], new WalHardState(1, 0, last));
            }

            Assert.Equal(0, wal.ReleaseSegments());

            // Entry `last` opened segment 4, whose header says the log ended at last - 1: a snapshot there frees segments 1-3.
            ulong snapshotIndex = last - 1;
            wal.MarkSnapshot(snapshotIndex, 1);
            Assert.Equal(snapshotIndex + 1, wal.FirstIndex);
            Assert.Equal(WalLookup.Compacted, wal.TryGetTerm(snapshotIndex - 1, out _));
            Assert.Equal(WalLookup.Found, wal.TryGetTerm(snapshotIndex, out ulong term));
            Assert.Equal(1ul, term);
            Assert.Throws<ArgumentOutOfRangeException>(() => wal.ReadEntries(snapshotIndex, last + 1));

            Assert.Equal(3, wal.ReleaseSegments());
            Assert.Equal(1, wal.SegmentCount);
            Assert.False(File.Exists(SegmentPath(directory.Path, 1)));
            AssertEntries(wal, snapshotIndex + 1, last, _ => 1);
        }

        using (WriteAheadLog wal = WriteAheadLog.Open(directory.Path, SmallOptions()))
        {
            Assert.Equal(new WalSnapshotMarker(last - 1, 1), wal.SnapshotMarker);
            Assert.Equal(last, wal.FirstIndex);
            Assert.Equal(last, wal.LastIndex);
            AssertEntries(wal, last, last, _ => 1);
            wal.Append([Entry(last + 1, 2)]);
        }
    }

    [Fact]
    public void A_segment_is_released_only_when_the_snapshot_covers_everything_before_the_next_one()
    {
        using var directory = new TemporaryDirectory();
        using WriteAheadLog wal = WriteAheadLog.Open(directory.Path, SmallOptions());
        var lastIndexOfSegment = new List<ulong>();
        ulong last = 0;
        while (wal.SegmentCount < 3)
        {
            ulong before = wal.Tail.SegmentSequence;
            last++;
            wal.Append([Entry(last, 1)], new WalHardState(1, 0, last));
            if (wal.Tail.SegmentSequence != before)
            {
                lastIndexOfSegment.Add(last - 1);
            }
        }

        // Segment 2's header says the log ended at lastIndexOfSegment[0] when it started.
        wal.MarkSnapshot(lastIndexOfSegment[0] - 1, 1);
        Assert.Equal(0, wal.ReleaseSegments());
        wal.MarkSnapshot(lastIndexOfSegment[0], 1);
        Assert.Equal(1, wal.ReleaseSegments());
        Assert.Equal(2, wal.SegmentCount);
    }

    [Fact]
    public void Reset_to_snapshot_replaces_the_whole_log_also_after_restart()
    {
        using var directory = new TemporaryDirectory();
        using (WriteAheadLog wal = WriteAheadLog.Open(directory.Path, SmallOptions()))
        {
            wal.Append(Entries(1, 50, term: 1), new WalHardState(1, 0, 10));
            wal.ResetToSnapshot(1000, 7);
            Assert.Equal(1000ul, wal.LastIndex);
            Assert.Equal(1001ul, wal.FirstIndex);
            Assert.Equal(WalLookup.Found, wal.TryGetTerm(1000, out ulong term));
            Assert.Equal(7ul, term);
            Assert.Throws<ArgumentException>(() => wal.Append(Entries(999, 1001, term: 7)));
            wal.Append(Entries(1001, 1010, term: 7), new WalHardState(7, 2, 1005));
        }

        using (WriteAheadLog wal = WriteAheadLog.Open(directory.Path, SmallOptions()))
        {
            Assert.Equal(new WalSnapshotMarker(1000, 7), wal.SnapshotMarker);
            Assert.Equal(1001ul, wal.FirstIndex);
            AssertEntries(wal, 1001, 1010, _ => 7);
            Assert.Equal(new WalHardState(7, 2, 1005), wal.HardState);
            Assert.Throws<ArgumentException>(() => wal.ResetToSnapshot(999, 7));
        }
    }

    [Fact]
    public void Snapshot_marker_arguments_are_checked()
    {
        using var directory = new TemporaryDirectory();
        using WriteAheadLog wal = WriteAheadLog.Open(directory.Path, SmallOptions());
        wal.Append(Entries(1, 10, term: 1));
        wal.Append(Entries(11, 20, term: 2));
        Assert.Contains("not 1", Assert.Throws<ArgumentException>(() => wal.MarkSnapshot(15, 1)).Message);
        Assert.Contains("cannot compact", Assert.Throws<ArgumentException>(() => wal.MarkSnapshot(21, 2)).Message);
        wal.MarkSnapshot(15, 2);
        Assert.Contains("cannot compact", Assert.Throws<ArgumentException>(() => wal.MarkSnapshot(14, 2)).Message);

        // The failed term check must not have left the admission believing in a snapshot at 15 with a wrong term.
        wal.MarkSnapshot(15, 2);
        Assert.Equal(new WalSnapshotMarker(15, 2), wal.SnapshotMarker);
        Assert.False(wal.IsFailed);
    }

    [Fact]
    public void Truncation_back_across_a_segment_boundary_survives_restart()
    {
        using var directory = new TemporaryDirectory();
        ulong firstOfSecondSegment = 0;
        ulong last = 0;
        using (WriteAheadLog wal = WriteAheadLog.Open(directory.Path, SmallOptions()))
        {
            while (wal.SegmentCount < 3)
            {
                last++;
                wal.Append([Entry(last, 1)]);
                if (firstOfSecondSegment == 0 && wal.SegmentCount == 2)
                {
                    firstOfSecondSegment = last;
                }
            }

            ulong truncateAt = firstOfSecondSegment - 10;
            wal.Append(Entries(truncateAt, truncateAt + 4, term: 2), new WalHardState(2, 0, truncateAt + 2));
            Assert.Equal(truncateAt + 4, wal.LastIndex);
        }

        using (WriteAheadLog wal = WriteAheadLog.Open(directory.Path, SmallOptions()))
        {
            ulong truncateAt = firstOfSecondSegment - 10;
            Assert.Equal(truncateAt + 4, wal.LastIndex);
            AssertEntries(wal, 1, truncateAt + 4, index => index >= truncateAt ? 2ul : 1ul);
        }
    }

    [Fact]
    public void Recovery_after_release_works_when_the_first_segment_starts_after_a_truncation_into_released_entries()
    {
        using var directory = new TemporaryDirectory();
        ulong last = 0;
        using (WriteAheadLog wal = WriteAheadLog.Open(directory.Path, SmallOptions()))
        {
            while (wal.SegmentCount < 3)
            {
                last++;
                wal.Append([Entry(last, 1)], new WalHardState(1, 0, last > 3 ? last - 3 : 0));
            }

            // The last three entries are uncommitted; overwrite them from the third segment, then snapshot and release.
            wal.Append(Entries(last - 2, last + 5, term: 2), new WalHardState(2, 0, last));
            wal.MarkSnapshot(last, 2);
            Assert.Equal(2, wal.ReleaseSegments());
        }

        using (WriteAheadLog wal = WriteAheadLog.Open(directory.Path, SmallOptions()))
        {
            Assert.Equal(new WalSnapshotMarker(last, 2), wal.SnapshotMarker);
            AssertEntries(wal, last + 1, last + 5, _ => 2);
        }
    }

    [Fact]
    public void Leftover_segments_before_a_gap_are_deleted_when_the_snapshot_covers_them()
    {
        using var directory = new TemporaryDirectory();
        ulong last = 0;
        byte[] firstSegment;
        using (WriteAheadLog wal = WriteAheadLog.Open(directory.Path, SmallOptions()))
        {
            while (wal.SegmentCount < 4)
            {
                last++;
                wal.Append([Entry(last, 1)], new WalHardState(1, 0, last));
            }

            firstSegment = File.ReadAllBytes(SegmentPath(directory.Path, 1));
            wal.MarkSnapshot(last, 1);
            Assert.Equal(3, wal.ReleaseSegments());
        }

        // As if the deletion of segment 1 had not reached the disk before a power cut.
        File.WriteAllBytes(SegmentPath(directory.Path, 1), firstSegment);
        using (WriteAheadLog wal = WriteAheadLog.Open(directory.Path, SmallOptions()))
        {
            Assert.Contains(SegmentPath(directory.Path, 1), wal.Recovery.DeletedFiles);
            Assert.Equal(last, wal.LastIndex);
            Assert.Equal(new WalSnapshotMarker(last, 1), wal.SnapshotMarker);
        }

        Assert.False(File.Exists(SegmentPath(directory.Path, 1)));
    }

    [Fact]
    public void Synced_pages_behind_the_resident_window_are_unmapped()
    {
        using var directory = new TemporaryDirectory();
        var options = new WalOptions
        {
            SegmentBytes = 8 << 20, MaxBatchBytes = 1 << 20, ResidentWindowBytes = 256 * 1024,
            ResidentReleaseStepBytes = 256 * 1024, Preallocation = WalPreallocation.Fallocate,
        };
        using WriteAheadLog wal = WriteAheadLog.Open(directory.Path, options);
        long rssBefore = ResidentSegmentBytes(directory.Path);
        byte[] data = new byte[4000];
        for (ulong index = 1; index <= 1000; index++)
        {
            wal.Append([new WalEntry(index, 1, 0, data)]);
        }

        // About 4 MB were written; at most the window plus one release step may stay mapped.
        long rssAfter = ResidentSegmentBytes(directory.Path);
        Assert.True(rssAfter - rssBefore <= (options.ResidentWindowBytes + options.ResidentReleaseStepBytes) + (64 * 1024), $"{rssAfter - rssBefore} bytes of the segment stayed resident");
        Assert.Equal(1000, wal.ReadEntries(1, 1001).Count);
    }

    [Fact]
    public void Reopening_leaves_only_the_window_before_the_write_position_resident()
    {
        using var directory = new TemporaryDirectory();
        var options = new WalOptions
        {
            SegmentBytes = 8 << 20, MaxBatchBytes = 1 << 20, ResidentWindowBytes = 256 * 1024,
            ResidentReleaseStepBytes = 256 * 1024, Preallocation = WalPreallocation.Fallocate,
        };
        using (WriteAheadLog wal = WriteAheadLog.Open(directory.Path, options))
        {
            wal.Append([new WalEntry(1, 1, 0, new byte[300])]);
        }

        // Recovery reads the whole tail of the segment to tell clean zeros from a torn write: 8 MiB here.
        using WriteAheadLog reopened = WriteAheadLog.Open(directory.Path, options);
        long resident = ResidentSegmentBytes(directory.Path);
        Assert.True(resident <= options.ResidentWindowBytes + (64 * 1024), $"{resident} bytes of the segment stayed resident after recovery");
        reopened.Append([new WalEntry(2, 1, 0, new byte[300])]);
        Assert.Equal(2, reopened.ReadEntries(1, 3).Count);
    }

    /// <summary>Resident bytes of this process's mappings of files in <paramref name="directory"/> (from /proc/self/smaps).</summary>
    private static long ResidentSegmentBytes(string directory)
    {
        long total = 0;
        bool inSegment = false;
        foreach (string line in File.ReadLines("/proc/self/smaps"))
        {
            if (line.Length > 0 && char.IsAsciiHexDigit(line[0]) && line.Contains('-'))
            {
                inSegment = line.Contains(directory, StringComparison.Ordinal);
            }
            else if (inSegment && line.StartsWith("Rss:", StringComparison.Ordinal))
            {
                total += long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }

        return total;
    }
}
