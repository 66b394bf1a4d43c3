using Cairn.Raft;
using Cairn.Storage.Snapshots;

namespace Cairn.Server.Node;

/// <summary>
/// Handling a raft Ready (docs/RAFT.md, "The Ready contract"): send early when raft allows it, persist entries and
/// hard state with one WAL sync, send, apply committed entries in order, serve read states, then Advance.
/// </summary>
public sealed partial class EtcdNode
{
    private HardState? _deferredHardState;
    private ConfState _confState;
    private ulong _appliedIndex;
    private ulong _leaderId;
    private ulong _term;
    private bool _isLeader;

    private void ProcessReadies()
    {
        while (_raft.HasReady())
        {
            HandleReady(_raft.Ready());
            _raft.Advance();
        }

        Volatile.Write(ref _term, _raft.Term);
        AfterReadies();
    }

    private void HandleReady(Ready ready)
    {
        if (ready.SoftState is SoftState soft)
        {
            OnSoftState(soft);
        }

        if (ready.CanSendMessagesBeforePersisting && ready.Messages.Count > 0)
        {
            // The leader replicates in parallel with its own fsync (it counts its own copy only after Advance).
            _transport.Send(ready.Messages);
        }

        // Committed entries that are already durable in the WAL are applied before this Ready's fsync, so their callers
        // do not wait for the next batch's sync. Entries committed together with their own persistence (a follower)
        // are applied after it.
        IReadOnlyList<Entry> committed = ready.CommittedEntries;
        bool applyFirst = ready.Snapshot is null && committed.Count > 0 && committed[^1].Index <= _storage.LastIndex();
        if (applyFirst)
        {
            ApplyCommitted(committed);
        }

        Persist(ready);
        if (!ready.CanSendMessagesBeforePersisting && ready.Messages.Count > 0)
        {
            _transport.Send(ready.Messages);
        }

        if (ready.Snapshot is Snapshot snapshot)
        {
            InstallLeaderSnapshot(snapshot);
        }

        if (!applyFirst)
        {
            ApplyCommitted(committed);
        }

        if (ready.HardState is HardState hardState)
        {
            Volatile.Write(ref _commitIndex, hardState.Commit);
        }

        for (int i = 0; i < ready.ReadStates.Count; i++)
        {
            OnReadState(ready.ReadStates[i]);
        }
    }

    /// <summary>
    /// Makes the Ready durable with one WAL append (one fsync). A hard state that only moves the commit index needs no
    /// sync (raft recovers the commit index from the log and the leader), so it is kept and written with the next
    /// append that syncs anyway; snapshots flush it first (<see cref="FlushDeferredHardState"/>).
    /// </summary>
    private void Persist(Ready ready)
    {
        if (ready.Snapshot is Snapshot snapshot)
        {
            _storage.Wal.ResetToSnapshot(snapshot.Index, snapshot.Term);
        }

        if (ready.MustSync)
        {
            HardState? hardState = ready.HardState ?? _deferredHardState;
            if (ready.Entries.Count > 0 || hardState is not null)
            {
                _storage.Append(ready.Entries, hardState);
            }

            _deferredHardState = null;
        }
        else if (ready.HardState is HardState commitOnly)
        {
            _deferredHardState = commitOnly;
        }
    }

    /// <summary>Writes a deferred commit-only hard state (before a snapshot, and at shutdown).</summary>
    private void FlushDeferredHardState()
    {
        if (_deferredHardState is HardState pending)
        {
            _storage.Append([], pending);
            _deferredHardState = null;
        }
    }

    private void OnSoftState(SoftState soft)
    {
        ulong previousLeader = _leaderId;
        Volatile.Write(ref _leaderId, soft.Lead);
        bool leaderNow = soft.Role == RaftRole.Leader;
        if (leaderNow && !_isLeader)
        {
            // The new leader runs the lease clocks, with etcd's grace of one election timeout.
            State.Leases.Promote((long)(_options.TickInterval.TotalMilliseconds * _options.ElectionTicks));
        }
        else if (!leaderNow && _isLeader)
        {
            State.Leases.Demote();
        }

        _isLeader = leaderNow;
        if (soft.Lead != previousLeader)
        {
            if (soft.Lead == 0)
            {
                NodeLog.LeaderLost(_log, _raft.Term);
            }
            else
            {
                Interlocked.Increment(ref _leaderChangesSeen);
                FailReadsAwaitingIndex();
                NodeLog.LeaderChanged(_log, soft.Lead, _raft.Term, soft.Role.ToString().ToLowerInvariant());
            }
        }
    }

    /// <summary>A snapshot from the leader replaces the state: the peer transport has stored its file in the snapshot
    /// directory under the snapshot's index and term before handing raft the message.</summary>
    private void InstallLeaderSnapshot(Snapshot snapshot)
    {
        string path = Path.Combine(SnapshotDirectory(_options), SnapshotFiles.FileName(snapshot.Index, snapshot.Term));
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"raft delivered a snapshot at entry {snapshot.Index} (term {snapshot.Term}) but {path} does not exist; the peer transport must store it first");
        }

        State.InstallSnapshot(path);
        _quota = new Cairn.Storage.Alarms.QuotaGuard(State.Store, _options.QuotaBackendBytes);
        _storage.SetLatestSnapshot(snapshot.Index, snapshot.Term, snapshot.Metadata.ConfState);
        _confState = snapshot.Metadata.ConfState;
        _appliedIndex = snapshot.Index;
        _lastSnapshotIndex = snapshot.Index;
        Interlocked.Increment(ref _snapshotsInstalled);
        NodeLog.SnapshotInstalled(_log, path, snapshot.Index, State.Store.CurrentRevision);
    }

    private void AfterReadies()
    {
        CompleteReadsUpTo(_appliedIndex);
        PublishMembersIfChanged();
        MaybeBootstrapMembership();
        MaybeStartSnapshot();
        if (!_serving.Task.IsCompleted && _leaderId != 0 && _appliedIndex >= _startupCommitIndex && State.Cluster.IsBootstrapped)
        {
            NodeLog.NodeServing(_log, _appliedIndex, _leaderId);
            _progress?.Invoke($"serving: leader {_leaderId:x}, applied entry {_appliedIndex}");
            _serving.TrySetResult();
        }
    }
}
