using Cairn.Storage.Durability;
using Cairn.Storage.Wal;
using static Cairn.Storage.Tests.Wal.WalTestSupport;

namespace Cairn.Storage.Tests.Wal;

public class WalFailStopTests
{
    [Fact]
    public async Task A_failed_sync_is_fatal_never_retried_and_poisons_every_later_call()
    {
        using var directory = new TemporaryDirectory();
        var messages = new List<string>();
        using WriteAheadLog wal = WriteAheadLog.Open(directory.Path, SmallOptions(log: messages.Add));
        wal.Append(Entries(1, 5, term: 1));
        int syncAttempts = 0;
        wal.FaultInjector = point => point == "sync" && Interlocked.Increment(ref syncAttempts) >= 1
            ? new StorageFatalException("injected: fdatasync failed (errno 5: Input/output error)")
            : null;

        var error = Assert.Throws<WalFatalException>(() => wal.Append(Entries(6, 6, term: 1)));
        Assert.Contains("injected", error.Message);
        Assert.True(wal.IsFailed);
        Assert.Same(error, wal.Failure);
        Assert.Contains(messages, message => message.Contains("FATAL"));

        Assert.Throws<WalFatalException>(() => wal.Append(Entries(6, 6, term: 1)));
        Assert.Throws<WalFatalException>(() => wal.MarkSnapshot(5, 1));
        Assert.Throws<WalFatalException>(() => wal.ReleaseSegments());
        await Assert.ThrowsAsync<WalFatalException>(async () => await wal.AppendAsync(1, 0, new byte[1]));
        Assert.Equal(1, syncAttempts);
        Assert.Equal(5ul, wal.LastIndex);
    }

    [Fact]
    public async Task A_failed_sync_on_the_writer_thread_fails_every_waiting_caller()
    {
        using var directory = new TemporaryDirectory();
        using WriteAheadLog wal = WriteAheadLog.Open(directory.Path, SmallOptions());
        var release = new ManualResetEventSlim();
        int syncAttempts = 0;
        wal.FaultInjector = point =>
        {
            if (point != "sync")
            {
                return null;
            }

            Interlocked.Increment(ref syncAttempts);
            release.Wait();
            return new StorageFatalException("injected: msync failed (errno 5: Input/output error)");
        };

        var appends = Enumerable.Range(0, 20).Select(i => wal.AppendAsync(1, 0, new byte[10]).AsTask()).ToList();
        SpinWait.SpinUntil(() => Volatile.Read(ref syncAttempts) == 1);
        var queuedBehind = Enumerable.Range(0, 20).Select(i => wal.AppendAsync(1, 0, new byte[10]).AsTask()).ToList();
        release.Set();
        foreach (Task<ulong> append in appends.Concat(queuedBehind))
        {
            await Assert.ThrowsAsync<WalFatalException>(() => append);
        }

        Assert.True(wal.IsFailed);
        Assert.Equal(1, syncAttempts);
        await Assert.ThrowsAsync<WalFatalException>(async () => await wal.AppendAsync(1, 0, new byte[1]));
    }

    [Fact]
    public void A_failed_segment_rollover_is_fatal()
    {
        using var directory = new TemporaryDirectory();
        using WriteAheadLog wal = WriteAheadLog.Open(directory.Path, SmallOptions());
        wal.FaultInjector = point => point == "rollover" ? new IOException("injected: No space left on device") : null;
        WalFatalException? error = null;
        for (ulong index = 1; index < 10_000 && error == null; index++)
        {
            try
            {
                wal.Append([Entry(index, 1)]);
            }
            catch (WalFatalException fatal)
            {
                error = fatal;
            }
        }

        Assert.NotNull(error);
        Assert.Contains("No space left", error.Message);
        Assert.True(wal.IsFailed);
        Assert.Equal(1, wal.SegmentCount);
    }

    [Fact]
    public void Reads_keep_working_after_a_write_failure()
    {
        using var directory = new TemporaryDirectory();
        using WriteAheadLog wal = WriteAheadLog.Open(directory.Path, SmallOptions());
        wal.Append(Entries(1, 5, term: 1));
        wal.FaultInjector = point => point == "sync" ? new StorageFatalException("injected") : null;
        Assert.Throws<WalFatalException>(() => wal.Append(Entries(6, 6, term: 1)));
        AssertEntries(wal, 1, 5, _ => 1);
    }

    [Fact]
    public void A_record_that_rots_after_recovery_is_detected_on_read()
    {
        using var directory = new TemporaryDirectory();
        long entryOffset;
        using (WriteAheadLog wal = WriteAheadLog.Open(directory.Path, SmallOptions()))
        {
            wal.Append(Entries(1, 3, term: 1));
            entryOffset = wal.Tail.Offset;
            wal.Append(Entries(4, 4, term: 1));
            wal.Append(Entries(5, 5, term: 1));
        }

        using (WriteAheadLog wal = WriteAheadLog.Open(directory.Path, SmallOptions()))
        {
            // Damage entry 4's data through the file (shared page cache) after recovery verified it.
            using (var file = new FileStream(SegmentPath(directory.Path, 1), FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite))
            {
                file.Position = entryOffset + 32 + 32 + 5;
                int value = file.ReadByte();
                file.Position--;
                file.WriteByte((byte)(value ^ 0xFF));
            }

            AssertEntries(wal, 1, 3, _ => 1);
            var error = Assert.Throws<WalCorruptionException>(() => wal.ReadEntries(4, 5));
            Assert.Equal(entryOffset + 32, error.Offset);
            Assert.True(wal.IsFailed);
        }
    }
}
