using Cairn.Storage.Wal;
using static Cairn.Storage.Tests.Wal.WalTestSupport;

namespace Cairn.Storage.Tests.Wal;

public class WalAppendReadTests
{
    [Fact]
    public void A_new_wal_is_empty()
    {
        using var directory = new TemporaryDirectory();
        using WriteAheadLog wal = WriteAheadLog.Open(directory.Path, SmallOptions());
        Assert.Equal(1ul, wal.FirstIndex);
        Assert.Equal(0ul, wal.LastIndex);
        Assert.Equal(default, wal.HardState);
        Assert.Equal(default, wal.SnapshotMarker);
        Assert.Equal(WalLookup.Found, wal.TryGetTerm(0, out ulong term));
        Assert.Equal(0ul, term);
        Assert.Equal(WalLookup.Unavailable, wal.TryGetTerm(1, out _));
        Assert.Empty(wal.ReadEntries(1, 1));
    }

    [Fact]
    public void Appended_entries_and_hard_state_are_readable_and_survive_reopen()
    {
        using var directory = new TemporaryDirectory();
        using (WriteAheadLog wal = WriteAheadLog.Open(directory.Path, SmallOptions()))
        {
            wal.Append(Entries(1, 10, term: 1), new WalHardState(1, 2, 5));
            wal.Append(Entries(11, 20, term: 2), new WalHardState(2, 3, 15));
            AssertEntries(wal, 1, 20, index => index <= 10 ? 1ul : 2ul);
            Assert.Equal(new WalHardState(2, 3, 15), wal.HardState);
        }

        using (WriteAheadLog wal = WriteAheadLog.Open(directory.Path, SmallOptions()))
        {
            Assert.Equal(1ul, wal.FirstIndex);
            Assert.Equal(20ul, wal.LastIndex);
            Assert.Equal(new WalHardState(2, 3, 15), wal.HardState);
            AssertEntries(wal, 1, 20, index => index <= 10 ? 1ul : 2ul);
            Assert.Equal(WalLookup.Found, wal.TryGetTerm(11, out ulong term));
            Assert.Equal(2ul, term);
            Assert.Null(wal.Recovery.TornTailFile);
        }
    }

    [Fact]
    public void Hard_state_alone_and_empty_data_entries_work()
    {
        using var directory = new TemporaryDirectory();
        using (WriteAheadLog wal = WriteAheadLog.Open(directory.Path, SmallOptions()))
        {
            wal.Append([], new WalHardState(5, 1, 0));
            wal.Append([new WalEntry(1, 5, 0, ReadOnlyMemory<byte>.Empty)]);
        }

        using (WriteAheadLog wal = WriteAheadLog.Open(directory.Path, SmallOptions()))
        {
            Assert.Equal(new WalHardState(5, 1, 0), wal.HardState);
            WalEntry entry = Assert.Single(wal.ReadEntries(1, 2));
            Assert.Equal(0, entry.Data.Length);
        }
    }

    [Fact]
    public void Overwriting_an_uncommitted_suffix_replaces_it_also_after_restart()
    {
        using var directory = new TemporaryDirectory();
        using (WriteAheadLog wal = WriteAheadLog.Open(directory.Path, SmallOptions()))
        {
            wal.Append(Entries(1, 30, term: 1), new WalHardState(1, 0, 10));
            wal.Append(Entries(21, 25, term: 2));
            Assert.Equal(25ul, wal.LastIndex);
            AssertEntries(wal, 1, 25, index => index <= 20 ? 1ul : 2ul);
        }

        using (WriteAheadLog wal = WriteAheadLog.Open(directory.Path, SmallOptions()))
        {
            Assert.Equal(25ul, wal.LastIndex);
            AssertEntries(wal, 1, 25, index => index <= 20 ? 1ul : 2ul);
            wal.Append(Entries(26, 40, term: 2));
        }

        using (WriteAheadLog wal = WriteAheadLog.Open(directory.Path, SmallOptions()))
        {
            AssertEntries(wal, 1, 40, index => index <= 20 ? 1ul : 2ul);
        }
    }

    [Fact]
    public void Bad_appends_are_rejected_with_a_reason_and_write_nothing()
    {
        using var directory = new TemporaryDirectory();
        using WriteAheadLog wal = WriteAheadLog.Open(directory.Path, SmallOptions());
        wal.Append(Entries(1, 10, term: 2), new WalHardState(2, 0, 5));
        long syncsBefore = wal.Statistics.Syncs;

        Assert.Contains("do not continue", Assert.Throws<ArgumentException>(() => wal.Append(Entries(12, 13, term: 2))).Message);
        Assert.Contains("committed", Assert.Throws<ArgumentException>(() => wal.Append(Entries(5, 6, term: 3))).Message);
        Assert.Contains("lower than the term", Assert.Throws<ArgumentException>(() => wal.Append(Entries(11, 11, term: 1))).Message);
        Assert.Contains("consecutive", Assert.Throws<ArgumentException>(() => wal.Append([Entry(11, 2), Entry(13, 2)])).Message);
        Assert.Contains("non-decreasing", Assert.Throws<ArgumentException>(() => wal.Append([Entry(11, 3), Entry(12, 2)])).Message);
        Assert.Contains("go", Assert.Throws<ArgumentException>(() => wal.Append([], new WalHardState(1, 0, 5))).Message);
        Assert.Contains("go", Assert.Throws<ArgumentException>(() => wal.Append([], new WalHardState(2, 0, 4))).Message);
        Assert.Contains("beyond the last log index", Assert.Throws<ArgumentException>(() => wal.Append([], new WalHardState(2, 0, 11))).Message);
        Assert.Contains("limit", Assert.Throws<ArgumentException>(() => wal.Append([Entry(11, 2, wal.Options.MaxEntryDataBytes + 1)])).Message);

        Assert.Equal(syncsBefore, wal.Statistics.Syncs);
        Assert.Equal(10ul, wal.LastIndex);
        Assert.False(wal.IsFailed);
        wal.Append(Entries(11, 11, term: 2), new WalHardState(2, 0, 11));
        Assert.Equal(11ul, wal.LastIndex);
    }

    [Fact]
    public void Entry_of_the_maximum_size_round_trips()
    {
        using var directory = new TemporaryDirectory();
        WalOptions options = SmallOptions();
        using (WriteAheadLog wal = WriteAheadLog.Open(directory.Path, options))
        {
            wal.Append([new WalEntry(1, 1, 7, Payload(1, 1, options.MaxEntryDataBytes))], new WalHardState(1, 0, 1));
        }

        using (WriteAheadLog wal = WriteAheadLog.Open(directory.Path, options))
        {
            WalEntry entry = Assert.Single(wal.ReadEntries(1, 2));
            Assert.Equal(Payload(1, 1, options.MaxEntryDataBytes), entry.Data.ToArray());
        }
    }

    [Fact]
    public void Read_in_place_honours_byte_limit_visitor_stop_and_range_errors()
    {
        using var directory = new TemporaryDirectory();
        using WriteAheadLog wal = WriteAheadLog.Open(directory.Path, SmallOptions());
        wal.Append([Entry(1, 1, 100), Entry(2, 1, 100), Entry(3, 1, 100), Entry(4, 1, 100)]);

        var visitor = new CountingVisitor(stopAfter: int.MaxValue);
        Assert.Equal(WalLookup.Found, wal.ReadEntries(1, 5, maxBytes: 250, ref visitor));
        Assert.Equal(2, visitor.Count);

        visitor = new CountingVisitor(stopAfter: int.MaxValue);
        Assert.Equal(WalLookup.Found, wal.ReadEntries(2, 5, maxBytes: 10, ref visitor));
        Assert.Equal(1, visitor.Count);

        visitor = new CountingVisitor(stopAfter: 3);
        Assert.Equal(WalLookup.Found, wal.ReadEntries(1, 5, ulong.MaxValue, ref visitor));
        Assert.Equal(3, visitor.Count);

        Assert.Equal(WalLookup.Unavailable, wal.ReadEntries(1, 6, ulong.MaxValue, ref visitor));
        Assert.Equal(WalLookup.Compacted, wal.ReadEntries(0, 2, ulong.MaxValue, ref visitor));
        Assert.Throws<ArgumentOutOfRangeException>(() => wal.ReadEntries(3, 2, ulong.MaxValue, ref visitor));
        Assert.Throws<ArgumentOutOfRangeException>(() => wal.ReadEntries(1, 9));
    }

    [Fact]
    public void A_second_open_of_the_same_directory_is_refused()
    {
        using var directory = new TemporaryDirectory();
        using WriteAheadLog wal = WriteAheadLog.Open(directory.Path, SmallOptions());
        var error = Assert.Throws<IOException>(() => WriteAheadLog.Open(directory.Path, SmallOptions()));
        Assert.Contains("in use by another process", error.Message);
    }

    [Fact]
    public void Invalid_options_are_rejected_with_the_setting_name()
    {
        using var directory = new TemporaryDirectory();
        Assert.Contains("segment size", Assert.Throws<ArgumentException>(() => WriteAheadLog.Open(directory.Path, new WalOptions { SegmentBytes = 5000 })).Message);
        Assert.Contains("max batch size", Assert.Throws<ArgumentException>(() => WriteAheadLog.Open(directory.Path, new WalOptions { SegmentBytes = 65536, MaxBatchBytes = 65536 })).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => WriteAheadLog.Open(directory.Path, new WalOptions { MaxQueuedAppends = 0 }));
    }

    [Fact]
    public void Calls_after_dispose_throw_object_disposed()
    {
        using var directory = new TemporaryDirectory();
        WriteAheadLog wal = WriteAheadLog.Open(directory.Path, SmallOptions());
        wal.Dispose();
        Assert.Throws<ObjectDisposedException>(() => wal.Append(Entries(1, 1, 1)));
        Assert.Throws<ObjectDisposedException>(() => wal.ReadEntries(1, 1));
        wal.Dispose();
    }

    private struct CountingVisitor(int stopAfter) : IWalEntryVisitor
    {
        public int Count { get; private set; }

        public bool Visit(in WalEntryView entry)
        {
            Count++;
            return Count < stopAfter;
        }
    }
}

public class WalAllocationTests
{
    [Fact]
    public void The_synchronous_append_and_in_place_read_allocate_nothing_per_call()
    {
        using var directory = new TemporaryDirectory();
        using WriteAheadLog wal = WriteAheadLog.Open(directory.Path, WalTestSupport.SmallOptions(segmentBytes: 4 << 20, maxBatchBytes: 64 * 1024));
        var entry = new WalEntry[1];
        byte[] data = new byte[300];
        var hardState = new WalHardState(1, 0, 0);
        for (ulong index = 1; index <= 200; index++)
        {
            entry[0] = new WalEntry(index, 1, 0, data);
            wal.Append(entry, hardState);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (ulong index = 201; index <= 1200; index++)
        {
            entry[0] = new WalEntry(index, 1, 0, data);
            wal.Append(entry, new WalHardState(1, 0, index - 1));
        }

        long appendBytes = GC.GetAllocatedBytesForCurrentThread() - before;
        // The runtime's tiered compilation may allocate on the calling thread while methods warm up, so the
        // reads are measured three times and the smallest figure counts. (Assert itself allocates: results
        // are checked after measuring.)
        long readBytes = long.MaxValue;
        var visitor = new SummingVisitor();
        WalLookup readResult = WalLookup.Unavailable;
        WalLookup termResult = WalLookup.Unavailable;
        for (int repetition = 0; repetition < 3; repetition++)
        {
            visitor = new SummingVisitor();
            before = GC.GetAllocatedBytesForCurrentThread();
            readResult = wal.ReadEntries(201, 1201, ulong.MaxValue, ref visitor);
            termResult = wal.TryGetTerm(700, out _);
            readBytes = Math.Min(readBytes, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(WalLookup.Found, readResult);
        Assert.Equal(WalLookup.Found, termResult);

        Assert.Equal(1000 * 300, visitor.Bytes);
        // The only allocation is the entry index growing (4 bytes per entry, arrays doubled as they fill).
        Assert.True(appendBytes < 1000 * 16, $"1000 synchronous appends allocated {appendBytes} bytes");
        Assert.Equal(0, readBytes);
    }

    private struct SummingVisitor : IWalEntryVisitor
    {
        public long Bytes { get; private set; }

        public bool Visit(in WalEntryView entry)
        {
            Bytes += entry.Data.Length;
            return true;
        }
    }
}
