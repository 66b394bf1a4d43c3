using Cairn.Storage.Wal;
using Cairn.StorageCrashTest;
using Xunit.Abstractions;
using static Cairn.Storage.Tests.Wal.WalTestSupport;

namespace Cairn.Storage.Tests.Wal;

/// <summary>
/// Unsynced-data loss simulation (what LazyFS does for etcd): after acknowledged operations, one more
/// operation is "in flight" when the power fails. Its batch was written into the page cache but its sync
/// never returned, so any subset of its 512-byte sectors may have reached the disk (none, some, all); the
/// rest reads as it did before (zeros, since a segment's space is zero before it is written). Recovery must
/// then open without error, keep every acknowledged operation, and hold the in-flight operation either
/// completely or not at all. The operations are the crash test's Raft-follower workload: appends, suffix
/// overwrites, hard states, snapshot markers with segment release, snapshot installs.
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
        var model = new RaftLogModel();
        var totals = new Totals();
        for (int round = 0; round < 150; round++)
        {
            (RaftLogModel before, RaftLogModel after, InFlightRange inFlight) = RunRound(directory.Path, model, random, round, totals);
            LosePowerDuring(directory.Path, inFlight, random);
            using WriteAheadLog wal = WriteAheadLog.Open(directory.Path, SmallOptions());
            totals.TornTailsRepaired += wal.Recovery.TornTailFile == null ? 0 : 1;
            if (after.Matches(wal, out _))
            {
                totals.Kept++;
                model = after;
            }
            else
            {
                Assert.True(before.Matches(wal, out string difference), $"round {round}: the WAL matches neither the state before nor after the in-flight operation: {difference}");
                totals.Dropped++;
                model = before;
            }
        }

        output.WriteLine($"in-flight operations kept: {totals.Kept}, dropped: {totals.Dropped}; torn tails repaired: {totals.TornTailsRepaired}; segments released: {totals.SegmentsReleased}");
        Assert.True(totals.Kept > 10 && totals.Dropped > 10, $"the simulation should see both outcomes (kept {totals.Kept}, dropped {totals.Dropped})");
        Assert.True(totals.TornTailsRepaired > 10 && totals.SegmentsReleased > 0, $"the simulation should exercise torn tails ({totals.TornTailsRepaired}) and segment release ({totals.SegmentsReleased})");
    }

    /// <summary>Acknowledged operations, then one in-flight operation; returns the states before and after it and where its bytes are.</summary>
    private static (RaftLogModel Before, RaftLogModel After, InFlightRange InFlight) RunRound(string directory, RaftLogModel model, Random random, int round, Totals totals)
    {
        using WriteAheadLog wal = WriteAheadLog.Open(directory, SmallOptions());
        Assert.True(model.Matches(wal, out string difference), $"round {round}, after reopen: {difference}");
        for (int operations = random.Next(0, 6); operations > 0; operations--)
        {
            RaftOperation operation = RaftWorkload.Next(model, random);
            operation.ApplyTo(wal);
            model.Apply(operation);
        }

        RaftLogModel before = model.Clone();
        (ulong sequence, long offset) = wal.Tail;

        // The in-flight operation is one batch whose sync never returned, so nothing may follow it (no release).
        RaftOperation inFlight = RaftWorkload.Next(model, random);
        inFlight.ApplyTo(wal, releaseSegments: false);
        model.Apply(inFlight);
        (ulong endSequence, long endOffset) = wal.Tail;
        totals.SegmentsReleased += wal.Statistics.SegmentsReleased;
        var range = endSequence == sequence ? new InFlightRange(sequence, offset, endOffset) : new InFlightRange(endSequence, 4096, endOffset);
        return (before, model, range);
    }

    /// <summary>Each sector of the in-flight range is kept or reverted to zeros; a third of the time all are lost, a third all kept.</summary>
    private static void LosePowerDuring(string directory, InFlightRange inFlight, Random random)
    {
        string path = SegmentPath(directory, inFlight.Sequence);
        byte[] bytes = File.ReadAllBytes(path);
        int mode = random.Next(3);
        int keepSeed = random.Next();
        for (long position = inFlight.Start; position < inFlight.End; position++)
        {
            long sector = position / SectorBytes;
            bool keep = mode switch
            {
                0 => false,
                1 => true,
                _ => new Random(HashCode.Combine(sector, keepSeed)).Next(2) == 0,
            };
            if (!keep)
            {
                bytes[position] = 0;
            }
        }

        File.WriteAllBytes(path, bytes);
    }

    private readonly record struct InFlightRange(ulong Sequence, long Start, long End);

    private sealed class Totals
    {
        public int Kept { get; set; }

        public int Dropped { get; set; }

        public int TornTailsRepaired { get; set; }

        public long SegmentsReleased { get; set; }
    }
}
