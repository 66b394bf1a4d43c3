using System.Globalization;
using Cairn.Storage.Wal;

namespace Cairn.StorageCrashTest;

/// <summary>
/// Child mode "append": several writers append concurrently through the group-commit path while a Raft-like
/// loop persists hard states and snapshot markers with the synchronous API and releases segments. Every
/// acknowledged operation is printed: "A index writer sequence", "H commit", "M snapshotIndex".
/// </summary>
internal static class AppendWorkload
{
    private const ulong Term = 1;
    private const ulong EntriesKeptBehindSnapshot = 300;

    internal static int Run(string directory, int writers, int seed)
    {
        using WriteAheadLog wal = WriteAheadLog.Open(directory, CrashTestWal.Options());
        CrashLog.Line(FormattableString.Invariant($"READY {wal.FirstIndex} {wal.LastIndex}"));
        var tasks = new List<Task>();
        for (int writer = 0; writer < writers; writer++)
        {
            int writerId = (seed * 100) + writer;
            tasks.Add(Task.Run(() => WriteLoopAsync(wal, writerId)));
        }

        tasks.Add(Task.Run(() => PersistStateLoop(wal)));
        Task.WaitAny([.. tasks], TimeSpan.FromSeconds(30));
        return tasks.Any(task => task.IsFaulted) ? 1 : 0;
    }

    private static async Task WriteLoopAsync(WriteAheadLog wal, int writer)
    {
        for (long sequence = 0; ; sequence++)
        {
            ulong index = await wal.AppendAsync(Term, 0, EntryPayload.ForWrite(writer, sequence));
            CrashLog.Line(string.Create(CultureInfo.InvariantCulture, $"A {index} {writer} {sequence}"));
        }
    }

    private static void PersistStateLoop(WriteAheadLog wal)
    {
        for (int round = 0; ; round++)
        {
            Thread.Sleep(3);
            ulong commit = Math.Max(wal.LastIndex, wal.HardState.Commit);
            wal.Append([], new WalHardState(Term, 0, commit));
            CrashLog.Line(string.Create(CultureInfo.InvariantCulture, $"H {commit}"));
            if (round % 10 == 9 && commit > wal.SnapshotMarker.Index + EntriesKeptBehindSnapshot)
            {
                ulong snapshotIndex = commit - EntriesKeptBehindSnapshot;
                wal.MarkSnapshot(snapshotIndex, Term);
                CrashLog.Line(string.Create(CultureInfo.InvariantCulture, $"M {snapshotIndex}"));
                wal.ReleaseSegments();
            }
        }
    }
}
