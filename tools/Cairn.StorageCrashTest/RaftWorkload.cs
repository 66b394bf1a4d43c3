using Cairn.Storage.Wal;

namespace Cairn.StorageCrashTest;

/// <summary>
/// Child mode "raft": a single Raft-follower-like loop on the synchronous API: appends, overwrites of the
/// uncommitted suffix with a newer term, hard states, snapshot markers with segment release, and snapshot
/// installs. Prints "P operation" before and "K" after each operation.
/// </summary>
public static class RaftWorkload
{
    internal static int Run(string directory, int seed)
    {
        using WriteAheadLog wal = WriteAheadLog.Open(directory, CrashTestWal.Options(WalPreallocation.ZeroFill));
        CrashLog.Line(FormattableString.Invariant($"READY {wal.FirstIndex} {wal.LastIndex}"));
        RaftLogModel model = RaftLogModel.From(wal);
        var random = new Random(seed);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            RaftOperation operation = Next(model, random);
            CrashLog.Line("P " + operation);
            operation.ApplyTo(wal);
            model.Apply(operation);
            CrashLog.Line("K");
        }

        return 0;
    }

    /// <summary>A random operation that is valid for the log in <paramref name="model"/>.</summary>
    public static RaftOperation Next(RaftLogModel model, Random random)
    {
        int choice = random.Next(100);
        ulong floor = Math.Max(model.HardState.Commit, model.Snapshot.Index);
        ulong term = Math.Max(model.LastTerm, Math.Max(model.HardState.Term, 1));
        if (choice < 60 || model.LastIndex == model.Snapshot.Index)
        {
            return Entries(model, model.LastIndex + 1, term, random);
        }

        if (choice < 75 && model.LastIndex > floor)
        {
            ulong from = floor + 1 + (ulong)random.NextInt64((long)(model.LastIndex - floor));
            return Entries(model, from, term + 1, random);
        }

        if (choice < 97 && model.HardState.Commit > model.Snapshot.Index)
        {
            ulong index = model.Snapshot.Index + 1 + (ulong)random.NextInt64((long)(model.HardState.Commit - model.Snapshot.Index));
            return new RaftOperation('S', index, 0, model.TermOf(index), null);
        }

        return new RaftOperation('R', model.LastIndex + (ulong)random.Next(1, 100), 0, term + 1, null);
    }

    private static RaftOperation Entries(RaftLogModel model, ulong first, ulong term, Random random)
    {
        ulong count = (ulong)random.Next(1, 40);
        ulong last = first + count - 1;
        WalHardState? state = random.Next(3) == 0
            ? null
            : new WalHardState(Math.Max(model.HardState.Term, term), (ulong)random.Next(3), Math.Max(model.HardState.Commit, last - (ulong)random.Next(0, (int)Math.Min(count, 5))));
        return new RaftOperation('E', first, count, term, state);
    }
}
