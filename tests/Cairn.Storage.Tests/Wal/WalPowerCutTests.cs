using Cairn.Storage.Wal;
using Xunit.Abstractions;
using static Cairn.Storage.Tests.Wal.WalTestSupport;

namespace Cairn.Storage.Tests.Wal;

/// <summary>
/// Unsynced-data loss simulation (what LazyFS does for etcd): after acknowledged operations, one more
/// operation is "in flight" when the power fails. Its batch was written into the page cache but its sync
/// never returned, so any subset of its 512-byte sectors may have reached the disk (none, some, all); the
/// rest reads as it was before (zeros). Recovery must then open without error, keep every acknowledged
/// operation, and hold the in-flight operation either completely or not at all.
/// </summary>
public class WalPowerCutTests(ITestOutputHelper output)
{
    private const int SectorBytes = 512;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Losing_unsynced_writes_never_loses_acknowledged_data_or_corrupts_the_log(int seed)
    {
        using var directory = new TemporaryDirectory();
        var random = new Random(seed);
        var model = new WalLogModel();
        int kept = 0;
        int dropped = 0;
        long segmentsReleased = 0;
        long tornTailsRepaired = 0;
        for (int round = 0; round < 150; round++)
        {
            WalLogModel before;
            WalLogModel after;
            (ulong Sequence, long Start, long End) inFlight;
            using (WriteAheadLog wal = WriteAheadLog.Open(directory.Path, SmallOptions()))
            {
                Assert.True(model.Matches(wal, out string difference), $"round {round}, after reopen: {difference}");
                for (int operation = random.Next(0, 6); operation > 0; operation--)
                {
                    RandomOperation(wal, model, random, mayRelease: true);
                }

                before = model.Clone();
                (ulong sequence, long offset) = wal.Tail;

                // The in-flight operation is one batch whose sync never returned, so nothing may follow it (no release).
                RandomOperation(wal, model, random, mayRelease: false);
                after = model;
                (ulong endSequence, long endOffset) = wal.Tail;
                segmentsReleased += wal.Statistics.SegmentsReleased;
                inFlight = endSequence == sequence ? (sequence, offset, endOffset) : (endSequence, 4096, endOffset);
            }

            LosePowerDuring(directory.Path, inFlight, random);
            using (WriteAheadLog wal = WriteAheadLog.Open(directory.Path, SmallOptions()))
            {
                tornTailsRepaired += wal.Recovery.TornTailFile == null ? 0 : 1;
                if (after.Matches(wal, out _))
                {
                    kept++;
                    model = after;
                }
                else
                {
                    Assert.True(before.Matches(wal, out string difference), $"round {round}: the WAL matches neither the state before nor after the in-flight operation: {difference}");
                    dropped++;
                    model = before;
                }
            }
        }

        output.WriteLine($"in-flight operations kept: {kept}, dropped: {dropped}; torn tails repaired: {tornTailsRepaired}; segments released: {segmentsReleased}");
        Assert.True(kept > 10 && dropped > 10, $"the simulation should see both outcomes (kept {kept}, dropped {dropped})");
        Assert.True(tornTailsRepaired > 10 && segmentsReleased > 0, $"the simulation should exercise torn tails ({tornTailsRepaired}) and segment release ({segmentsReleased})");
    }

    /// <summary>Each sector of the in-flight range is kept or reverted to zeros; a third of the time all of them are dropped.</summary>
    private static void LosePowerDuring(string directory, (ulong Sequence, long Start, long End) inFlight, Random random)
    {
        string path = SegmentPath(directory, inFlight.Sequence);
        byte[] bytes = File.ReadAllBytes(path);
        int mode = random.Next(3);
        for (long position = inFlight.Start; position < inFlight.End; position++)
        {
            long sector = position / SectorBytes;
            bool keep = mode switch
            {
                0 => false,
                1 => true,
                _ => new Random(HashCode.Combine(sector, inFlight.Start)).Next(2) == 0,
            };
            if (!keep)
            {
                bytes[position] = 0;
            }
        }

        File.WriteAllBytes(path, bytes);
    }

    private static void RandomOperation(WriteAheadLog wal, WalLogModel model, Random random, bool mayRelease)
    {
        int choice = random.Next(100);
        if (choice < 55 || model.LastIndex == model.Snapshot.Index)
        {
            AppendEntries(wal, model, model.LastIndex + 1, Math.Max(model.LastTerm, 1), random);
        }
        else if (choice < 70 && model.LastIndex > Math.Max(model.HardState.Commit, model.Snapshot.Index))
        {
            // A follower overwriting part of its uncommitted suffix with a newer leader's entries.
            ulong floor = Math.Max(model.HardState.Commit, model.Snapshot.Index);
            ulong from = floor + 1 + (ulong)random.NextInt64((long)(model.LastIndex - floor));
            AppendEntries(wal, model, from, model.LastTerm + 1, random);
        }
        else if (choice < 85)
        {
            var state = new WalHardState(Math.Max(model.HardState.Term, model.LastTerm) + (ulong)random.Next(2), (ulong)random.Next(3), model.LastIndex);
            wal.Append([], state);
            model.Append([], state);
        }
        else if (choice < 97 && model.HardState.Commit > model.Snapshot.Index)
        {
            ulong index = model.Snapshot.Index + 1 + (ulong)random.NextInt64((long)(model.HardState.Commit - model.Snapshot.Index));
            wal.MarkSnapshot(index, model.TermOf(index));
            model.Compact(index);
            if (mayRelease)
            {
                wal.ReleaseSegments();
            }
        }
        else
        {
            var marker = new WalSnapshotMarker(model.LastIndex + (ulong)random.Next(1, 50), model.LastTerm + 1);
            wal.ResetToSnapshot(marker.Index, marker.Term);
            model.Restore(marker);
        }
    }

    private static void AppendEntries(WriteAheadLog wal, WalLogModel model, ulong first, ulong term, Random random)
    {
        WalEntry[] entries = Entries(first, first + (ulong)random.Next(0, 6), term);
        WalHardState? state = random.Next(2) == 0 ? null : new WalHardState(Math.Max(model.HardState.Term, term), 0, Math.Max(model.HardState.Commit, first - 1));
        wal.Append(entries, state);
        model.Append(entries, state);
    }
}
