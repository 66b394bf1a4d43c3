using Cairn.Protocol.Etcd;

namespace Cairn.Storage.Mvcc;

/// <summary>
/// Compaction (etcd reference §4.6). Logical compaction takes effect when the request is applied (reads below the
/// revision fail from then on); the physical purge of the dropped records runs afterwards in bounded steps
/// (<see cref="RunMaintenanceStep"/>) so that compacting a million keys never stalls apply.
/// </summary>
public sealed partial class MvccStore
{
    private readonly List<(long Revision, TaskCompletionSource Done)> _purgeWaiters = [];
    private long _purgeRevision = -1;
    private byte[]? _purgeResumeKey;
    private bool _purgePending;
    private int _maintenanceBlockers;

    /// <summary>
    /// Applies a compaction. Apply thread only. Throws the compacted error if the revision is not above the current
    /// compaction revision (etcd starts at -1, so compacting to 0 on a fresh store succeeds) and the future-revision
    /// error if it is above the current revision.
    /// </summary>
    /// <param name="request">The compaction request.</param>
    /// <param name="physicalDone">Completes when the dropped records are purged from memory (etcd's physical flag).</param>
    public CompactionResponse Compact(CompactionRequest request, out Task physicalDone)
    {
        Invariant.Check(!_writing, "compaction inside a write transaction");
        long revision = request.Revision;
        if (revision <= _compactRevision)
        {
            throw EtcdError.Compacted.ToException();
        }

        if (revision > _currentRevision)
        {
            throw EtcdError.FutureRevision.ToException();
        }

        // A full fence: purge writes that follow must not become visible before the new compaction revision, which
        // readers use to detect that a purge overtook them.
        Interlocked.Exchange(ref _compactRevision, revision);
        _purgeRevision = revision;
        _purgeResumeKey = null;
        _purgePending = true;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _purgeWaiters.Add((revision, done));
        physicalDone = done.Task;
        return new CompactionResponse { Header = new ResponseHeader { Revision = _currentRevision } };
    }

    /// <summary>True while physical compaction or value-space compaction has work left.</summary>
    public bool HasMaintenanceWork => _purgePending || _values.HasReclaimWork;

    /// <summary>
    /// Runs one bounded step of background maintenance (at most <see cref="MvccOptions.MaintenanceBatchKeys"/> keys):
    /// physical compaction, then value-space compaction, then freeing retired value files. Apply thread only; the
    /// state machine calls it after each applied entry and when idle. Does nothing while a snapshot is being written.
    /// </summary>
    /// <returns>True if more work can be done now (false when there is none, or while a snapshot blocks it).</returns>
    public bool RunMaintenanceStep()
    {
        Invariant.Check(!_writing, "maintenance inside a write transaction");
        if (_maintenanceBlockers > 0)
        {
            return false;
        }

        if (_purgePending)
        {
            PurgeStep();
        }
        else
        {
            RelocationStep();
        }

        return HasMaintenanceWork;
    }

    /// <summary>Stops maintenance that rewrites histories (a snapshot is reading them). Apply thread only.</summary>
    internal void BlockMaintenance() => _maintenanceBlockers++;

    /// <summary>Ends a <see cref="BlockMaintenance"/>. Apply thread only.</summary>
    internal void UnblockMaintenance()
    {
        Invariant.Check(_maintenanceBlockers > 0, "unbalanced UnblockMaintenance");
        _maintenanceBlockers--;
    }

    private void PurgeStep()
    {
        long compactRevision = _purgeRevision;
        var edits = new List<(byte[] Key, RevisionRecord[]? Survivors)>();
        var cursor = new IndexCursor();
        cursor.Seek(_index.WorkingRoot, _purgeResumeKey ?? []);
        int visited = 0;
        bool more;
        while ((more = cursor.MoveNext()) && visited < _options.MaintenanceBatchKeys)
        {
            visited++;
            RevisionRecord[] history = cursor.History;
            int count = KeyHistory.Count(history);
            int first = KeyHistory.FirstSurvivor(history, compactRevision);
            if (first > 0 || count < history.Length)
            {
                edits.Add((cursor.Key, TrimHistory(cursor.Key.Length, history, first, count)));
            }
        }

        _purgeResumeKey = more ? cursor.Key : null;
        ApplyPurgeEdits(edits);
        if (!more)
        {
            FinishPurge(compactRevision);
        }
    }

    /// <summary>The records from <paramref name="first"/> on in an exact-size array (null if none); releases the
    /// dropped records' values and size.</summary>
    private RevisionRecord[]? TrimHistory(int keyLength, RevisionRecord[] history, int first, int count)
    {
        for (int i = 0; i < first; i++)
        {
            _values.Release(history[i].ValueRef, history[i].ValueLength);
            AccountRecordDropped(keyLength, history[i].ValueLength);
        }

        if (first == count)
        {
            return null;
        }

        return history.AsSpan(first, count - first).ToArray();
    }

    private void ApplyPurgeEdits(List<(byte[] Key, RevisionRecord[]? Survivors)> edits)
    {
        if (edits.Count == 0)
        {
            return;
        }

        _index.BeginEpoch();
        foreach ((byte[] key, RevisionRecord[]? survivors) in edits)
        {
            bool found = KeyIndex.TryFind(_index.WorkingRoot, key, out LeafNode leaf, out int index);
            Invariant.Check(found, "purged key vanished from the index");
            if (survivors is null)
            {
                _index.Remove(key);
            }
            else
            {
                Volatile.Write(ref leaf.Histories[index], survivors);
            }
        }

        _index.Publish();
    }

    private void FinishPurge(long compactRevision)
    {
        _purgePending = false;
        for (int i = _purgeWaiters.Count - 1; i >= 0; i--)
        {
            if (_purgeWaiters[i].Revision <= compactRevision)
            {
                _purgeWaiters[i].Done.TrySetResult();
                _purgeWaiters.RemoveAt(i);
            }
        }

        _values.PlanReclaim(_options.ValueSpaceGarbageRatio);
    }
}
