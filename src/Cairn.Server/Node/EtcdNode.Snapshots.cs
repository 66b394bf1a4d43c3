using System.Diagnostics;
using Cairn.Raft;
using Cairn.Storage.Snapshots;

namespace Cairn.Server.Node;

/// <summary>
/// State snapshots: every <see cref="NodeOptions.SnapshotCount"/> applied entries the loop captures the state (a
/// pinned view; apply continues), a background task writes the file, and the loop then compacts the WAL behind it,
/// releases whole segments and prunes old snapshot files, so disk use stays bounded.
/// </summary>
public sealed partial class EtcdNode
{
    private readonly List<TaskCompletionSource> _snapshotWaiters = [];
    private ulong _lastSnapshotIndex;
    private bool _snapshotInProgress;
    private long _snapshotsInstalled;
    private bool _snapshotForMembership;

    /// <summary>State snapshots received from the leader and installed (a member that fell behind the leader's log).</summary>
    public long SnapshotsInstalled => Interlocked.Read(ref _snapshotsInstalled);

    /// <summary>Writes a snapshot now (whatever the entry count) and compacts the WAL behind it; completes when done.
    /// Defragment uses it to give disk space back.</summary>
    public Task SnapshotNowAsync() => OnLoopAsync(() =>
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _snapshotWaiters.Add(done);
        if (!_snapshotInProgress)
        {
            StartSnapshot();
        }

        return done.Task;
    }).Unwrap();

    private void MaybeStartSnapshot()
    {
        if (!_snapshotInProgress && (_entriesSinceSnapshot >= (ulong)_options.SnapshotCount || _snapshotForMembership))
        {
            StartSnapshot();
        }
    }

    private void StartSnapshot()
    {
        // The snapshot's index must be covered by a durable commit index when the file exists (restart uses it as Applied).
        FlushDeferredHardState();
        _snapshotInProgress = true;
        _snapshotForMembership = false;
        _entriesSinceSnapshot = 0;
        StateSnapshot snapshot = State.CaptureSnapshot();
        ConfState confState = _confState;
        string directory = SnapshotDirectory(_options);
        var stopwatch = Stopwatch.StartNew();
        _ = Task.Run(() =>
        {
            try
            {
                SnapshotFileInfo written = SnapshotFiles.Write(snapshot, directory);
                _loopActions.Enqueue(() => OnSnapshotWritten(written, confState, stopwatch.ElapsedMilliseconds));
            }
            catch (Exception error)
            {
                // A failed snapshot loses nothing (the WAL still holds every entry); the next one is tried later.
                NodeLog.SnapshotFailed(_log, error, error.Message);
                _loopActions.Enqueue(() => FinishSnapshot(error));
            }
            finally
            {
                snapshot.Dispose();
                Wake();
            }
        });
    }

    private void OnSnapshotWritten(SnapshotFileInfo written, ConfState confState, long elapsedMs)
    {
        _storage.SetLatestSnapshot(written.AppliedIndex, written.AppliedTerm, confState);
        ulong previousIndex = _lastSnapshotIndex;
        _lastSnapshotIndex = written.AppliedIndex;
        ulong compactTo = WalCompactionIndex(written.AppliedIndex, previousIndex);
        int released = 0;
        if (compactTo >= _storage.Wal.FirstIndex && _storage.TryGetTerm(compactTo, out ulong term) == StorageLookup.Ok)
        {
            _storage.Wal.MarkSnapshot(compactTo, term);
            released = _storage.Wal.ReleaseSegments();
        }

        PruneSnapshots(SnapshotDirectory(_options), _options.MaxSnapshots);
        NodeLog.SnapshotWritten(_log, written.Path, written.AppliedIndex, written.Bytes, elapsedMs, _storage.Wal.FirstIndex - 1, released);
        FinishSnapshot(null);
    }

    /// <summary>
    /// Where the WAL may be compacted to after a snapshot at <paramref name="snapshotIndex"/>: keep
    /// <see cref="NodeOptions.SnapshotCatchUpEntries"/> entries (at most one snapshot interval) for lagging followers,
    /// and everything after the previous snapshot, so a damaged newest snapshot file still leaves a usable older one.
    /// </summary>
    private ulong WalCompactionIndex(ulong snapshotIndex, ulong previousSnapshotIndex)
    {
        ulong keep = Math.Min(_options.SnapshotCatchUpEntries, (ulong)_options.SnapshotCount);
        ulong target = snapshotIndex > keep ? snapshotIndex - keep : 0;
        if (_options.MaxSnapshots != 1)
        {
            target = Math.Min(target, previousSnapshotIndex);
        }

        return target;
    }

    private void FinishSnapshot(Exception? error)
    {
        _snapshotInProgress = false;
        foreach (TaskCompletionSource waiter in _snapshotWaiters)
        {
            if (error is null)
            {
                waiter.TrySetResult();
            }
            else
            {
                waiter.TrySetException(error);
            }
        }

        _snapshotWaiters.Clear();
    }

    /// <summary>Deletes all but the newest <paramref name="keep"/> snapshot files (0 keeps all).</summary>
    internal static void PruneSnapshots(string directory, int keep)
    {
        if (keep <= 0)
        {
            return;
        }

        List<SnapshotFileInfo> snapshots = SnapshotFiles.List(directory);
        for (int i = keep; i < snapshots.Count; i++)
        {
            File.Delete(snapshots[i].Path);
        }
    }
}
