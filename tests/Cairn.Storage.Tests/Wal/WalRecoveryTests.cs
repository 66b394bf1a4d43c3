using Cairn.Storage.Wal;
using static Cairn.Storage.Tests.Wal.WalTestSupport;

namespace Cairn.Storage.Tests.Wal;

public class WalRecoveryTests
{
    /// <summary>Writes 5 batches of 4 entries each (hard state in each) and returns the byte range of the last batch.</summary>
    private static (long LastBatchStart, long LastBatchEnd) WriteFiveBatches(string directory)
    {
        using WriteAheadLog wal = WriteAheadLog.Open(directory, SmallOptions());
        long start = 0;
        for (ulong batch = 0; batch < 5; batch++)
        {
            start = wal.Tail.Offset;
            wal.Append(Entries((batch * 4) + 1, (batch * 4) + 4, term: 1), new WalHardState(1, 0, batch * 4));
        }

        Assert.Equal(1ul, wal.Tail.SegmentSequence);
        return (start, wal.Tail.Offset);
    }

    [Fact]
    public void A_last_batch_cut_off_at_any_offset_is_a_torn_tail_that_is_zeroed()
    {
        using var directory = new TemporaryDirectory();
        (long start, long end) = WriteFiveBatches(directory.Path);
        string segment = SegmentPath(directory.Path, 1);
        byte[] pristine = File.ReadAllBytes(segment);
        for (long cut = start; cut < end; cut += 3)
        {
            byte[] damaged = (byte[])pristine.Clone();
            Array.Clear(damaged, (int)cut, (int)(end - cut));
            File.WriteAllBytes(segment, damaged);

            // Cutting off only the last record's zero padding leaves the batch intact.
            bool batchIntact = pristine.AsSpan((int)cut, (int)(end - cut)).IndexOfAnyExcept((byte)0) < 0;
            using (WriteAheadLog wal = WriteAheadLog.Open(directory.Path, SmallOptions()))
            {
                if (batchIntact)
                {
                    Assert.Equal(20ul, wal.LastIndex);
                    Assert.Null(wal.Recovery.TornTailFile);
                    continue;
                }

                Assert.Equal(16ul, wal.LastIndex);
                Assert.Equal(new WalHardState(1, 0, 12), wal.HardState);
                AssertEntries(wal, 1, 16, _ => 1);
                Assert.Equal(cut == start ? null : segment, wal.Recovery.TornTailFile);
                Assert.Equal(start, wal.Tail.Offset);
            }

            byte[] repaired = File.ReadAllBytes(segment);
            Assert.True(repaired.AsSpan((int)start).IndexOfAnyExcept((byte)0) < 0, $"cut at {cut}: the torn tail was not zeroed");
        }
    }

    [Fact]
    public void After_a_torn_tail_repair_new_appends_continue_and_survive()
    {
        using var directory = new TemporaryDirectory();
        (long start, long end) = WriteFiveBatches(directory.Path);
        string segment = SegmentPath(directory.Path, 1);
        byte[] damaged = File.ReadAllBytes(segment);
        Array.Clear(damaged, (int)(start + 100), (int)(end - start - 100));
        File.WriteAllBytes(segment, damaged);
        using (WriteAheadLog wal = WriteAheadLog.Open(directory.Path, SmallOptions()))
        {
            Assert.Equal(16ul, wal.LastIndex);
            wal.Append(Entries(17, 30, term: 2), new WalHardState(2, 0, 20));
        }

        using (WriteAheadLog wal = WriteAheadLog.Open(directory.Path, SmallOptions()))
        {
            Assert.Null(wal.Recovery.TornTailFile);
            AssertEntries(wal, 1, 30, index => index <= 16 ? 1ul : 2ul);
            Assert.Equal(new WalHardState(2, 0, 20), wal.HardState);
        }
    }

    [Fact]
    public void A_flipped_byte_in_any_batch_but_the_last_is_corruption_naming_file_and_offset()
    {
        using var directory = new TemporaryDirectory();
        (long lastStart, _) = WriteFiveBatches(directory.Path);
        string segment = SegmentPath(directory.Path, 1);
        byte[] pristine = File.ReadAllBytes(segment);
        var random = new Random(11);
        for (int trial = 0; trial < 150; trial++)
        {
            int offset = random.Next(4096, (int)lastStart);
            byte[] damaged = (byte[])pristine.Clone();
            damaged[offset] ^= (byte)(1 << random.Next(8));
            File.WriteAllBytes(segment, damaged);
            var error = Assert.Throws<WalCorruptionException>(() => WriteAheadLog.Open(directory.Path, SmallOptions()).Dispose());
            Assert.Equal(segment, error.FilePath);
            Assert.True(error.Offset >= 4096 && error.Offset <= offset, $"flip at {offset} reported at {error.Offset}");
            Assert.Contains("intact later batch", error.Message);
            Assert.Contains("cairn snapshot restore", error.Message);
            Assert.Contains("rejoin", error.Message);
        }

        File.WriteAllBytes(segment, pristine);
        using WriteAheadLog recovered = WriteAheadLog.Open(directory.Path, SmallOptions());
        Assert.Equal(20ul, recovered.LastIndex);
    }

    [Fact]
    public void A_flipped_byte_in_the_last_batch_is_treated_as_a_torn_write()
    {
        using var directory = new TemporaryDirectory();
        (long start, long end) = WriteFiveBatches(directory.Path);
        string segment = SegmentPath(directory.Path, 1);
        byte[] damaged = File.ReadAllBytes(segment);
        damaged[(start + end) / 2] ^= 0x40;
        File.WriteAllBytes(segment, damaged);
        using WriteAheadLog wal = WriteAheadLog.Open(directory.Path, SmallOptions());
        Assert.Equal(16ul, wal.LastIndex);
        Assert.Equal(segment, wal.Recovery.TornTailFile);
    }

    [Fact]
    public void A_zeroed_page_in_the_middle_is_corruption()
    {
        using var directory = new TemporaryDirectory();
        using (WriteAheadLog wal = WriteAheadLog.Open(directory.Path, SmallOptions()))
        {
            for (ulong index = 1; index <= 100; index++)
            {
                wal.Append([Entry(index, 1)]);
            }
        }

        string segment = SegmentPath(directory.Path, 1);
        byte[] damaged = File.ReadAllBytes(segment);
        Array.Clear(damaged, 8192, 4096);
        File.WriteAllBytes(segment, damaged);
        var error = Assert.Throws<WalCorruptionException>(() => WriteAheadLog.Open(directory.Path, SmallOptions()));
        Assert.InRange(error.Offset, 4096, 8192 + 4096);
    }

    [Fact]
    public void Garbage_after_the_end_of_a_segment_that_is_not_the_last_is_corruption()
    {
        using var directory = new TemporaryDirectory();
        using (WriteAheadLog wal = WriteAheadLog.Open(directory.Path, SmallOptions()))
        {
            for (ulong index = 1; wal.SegmentCount < 3; index++)
            {
                wal.Append([Entry(index, 1)]);
            }
        }

        string segment = SegmentPath(directory.Path, 1);
        byte[] damaged = File.ReadAllBytes(segment);
        damaged[^10] = 0x55;
        File.WriteAllBytes(segment, damaged);
        var error = Assert.Throws<WalCorruptionException>(() => WriteAheadLog.Open(directory.Path, SmallOptions()));
        Assert.Equal(segment, error.FilePath);
        Assert.Contains("later segment exists", error.Message);
    }

    [Fact]
    public void A_lost_last_batch_of_a_segment_that_is_not_the_last_is_corruption()
    {
        using var directory = new TemporaryDirectory();
        long lastBatchStartOfFirstSegment = 0;
        using (WriteAheadLog wal = WriteAheadLog.Open(directory.Path, SmallOptions()))
        {
            for (ulong index = 1; index <= 400 && wal.SegmentCount < 2; index++)
            {
                long before = wal.Tail.Offset;
                wal.Append([Entry(index, 1)]);
                if (wal.Tail.SegmentSequence == 1)
                {
                    lastBatchStartOfFirstSegment = before;
                }
            }

            wal.Append([Entry(wal.LastIndex + 1, 1)]);
        }

        string segment = SegmentPath(directory.Path, 1);
        byte[] damaged = File.ReadAllBytes(segment);
        Array.Clear(damaged, (int)lastBatchStartOfFirstSegment, damaged.Length - (int)lastBatchStartOfFirstSegment);
        File.WriteAllBytes(segment, damaged);
        var error = Assert.Throws<WalCorruptionException>(() => WriteAheadLog.Open(directory.Path, SmallOptions()));
        Assert.Equal(SegmentPath(directory.Path, 2), error.FilePath);
        Assert.Contains("does not continue the log", error.Message);
    }

    [Fact]
    public void A_damaged_segment_header_is_corruption()
    {
        using var directory = new TemporaryDirectory();
        WriteFiveBatches(directory.Path);
        string segment = SegmentPath(directory.Path, 1);
        foreach (int offset in new[] { 0, 20, 60, 100, 4000, 4095 })
        {
            byte[] damaged = File.ReadAllBytes(segment);
            damaged[offset] ^= 1;
            File.WriteAllBytes(segment, damaged);
            var error = Assert.Throws<WalCorruptionException>(() => WriteAheadLog.Open(directory.Path, SmallOptions()));
            Assert.Equal(0, error.Offset);
            damaged[offset] ^= 1;
            File.WriteAllBytes(segment, damaged);
        }
    }

    [Fact]
    public void A_missing_segment_in_the_middle_is_refused_and_names_the_missing_entries()
    {
        using var directory = new TemporaryDirectory();
        using (WriteAheadLog wal = WriteAheadLog.Open(directory.Path, SmallOptions()))
        {
            for (ulong index = 1; wal.SegmentCount < 4; index++)
            {
                wal.Append([Entry(index, 1)]);
            }
        }

        File.Delete(SegmentPath(directory.Path, 2));
        var error = Assert.Throws<WalCorruptionException>(() => WriteAheadLog.Open(directory.Path, SmallOptions()));
        Assert.Contains("missing", error.Message);
        Assert.Equal(SegmentPath(directory.Path, 3), error.FilePath);
        Assert.True(File.Exists(SegmentPath(directory.Path, 1)), "a refused open must not delete anything");
    }

    [Fact]
    public void Unfinished_segment_preparations_are_deleted()
    {
        using var directory = new TemporaryDirectory();
        WriteFiveBatches(directory.Path);
        string stale = Path.Combine(directory.Path, "0000000000000009.wal.tmp");
        File.WriteAllBytes(stale, new byte[100]);
        using WriteAheadLog wal = WriteAheadLog.Open(directory.Path, SmallOptions());
        Assert.Contains(stale, wal.Recovery.DeletedFiles);
        Assert.Equal(20ul, wal.LastIndex);
    }

    [Fact]
    public void A_stray_file_with_the_segment_extension_is_refused()
    {
        using var directory = new TemporaryDirectory();
        WriteFiveBatches(directory.Path);
        File.WriteAllText(Path.Combine(directory.Path, "notes.wal"), "x");
        Assert.Contains("not a 16-digit", Assert.Throws<WalCorruptionException>(() => WriteAheadLog.Open(directory.Path, SmallOptions())).Message);
    }

    [Fact]
    public void A_torn_tail_is_logged()
    {
        using var directory = new TemporaryDirectory();
        (long start, long end) = WriteFiveBatches(directory.Path);
        string segment = SegmentPath(directory.Path, 1);
        byte[] damaged = File.ReadAllBytes(segment);
        Array.Clear(damaged, (int)start + 40, (int)(end - start - 40));
        File.WriteAllBytes(segment, damaged);
        var messages = new List<string>();
        using WriteAheadLog wal = WriteAheadLog.Open(directory.Path, SmallOptions(log: messages.Add));
        Assert.Contains(messages, message => message.Contains("torn write") && message.Contains(segment) && message.Contains($"offset {start}"));
    }
}

