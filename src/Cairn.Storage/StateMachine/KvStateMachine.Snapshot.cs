using Cairn.Protocol.Etcd;
using Cairn.Protocol.Internal;
using Cairn.Storage.Mvcc;
using Cairn.Storage.Snapshots;
using Google.Protobuf;

namespace Cairn.Storage.StateMachine;

/// <summary>Snapshots of the whole state at the applied index, and rebuilding state from them.</summary>
public sealed partial class KvStateMachine
{
    /// <summary>
    /// Captures the state at the current applied index without stopping apply for longer than a lock acquisition:
    /// the KV part is a pinned index root (revisions at or below it never change); leases, alarms and membership are
    /// copied. Physical compaction waits until the snapshot is disposed. Thread-safe.
    /// </summary>
    public StateSnapshot CaptureSnapshot()
    {
        lock (_applyLock)
        {
            var metadata = new StateSnapshotMetadata
            {
                AppliedIndex = _appliedIndex,
                AppliedTerm = _appliedTerm,
                Revision = Store.CurrentRevision,
                CompactRevision = Store.CompactRevision,
                ClusterId = Cluster.ClusterId,
                ClusterVersion = Cluster.ClusterVersion,
            };
            metadata.Members.AddRange(Cluster.List().Members);
            metadata.RemovedMemberIds.AddRange(Cluster.RemovedIds());
            foreach ((long id, long ttl, long remaining) in Leases.ExportState())
            {
                metadata.Leases.Add(new LeaseSnapshot { Id = id, TtlSeconds = ttl, RemainingTtlSeconds = remaining });
            }

            metadata.Alarms.AddRange(Alarms.List());
            MvccStore store = Store;
            store.BlockMaintenance();
            return new StateSnapshot(store, store.Index.PublishedRoot, metadata, () =>
            {
                lock (_applyLock)
                {
                    store.UnblockMaintenance();
                }
            });
        }
    }

    /// <summary>Captures a snapshot and writes it atomically into <paramref name="directory"/>.</summary>
    public SnapshotFileInfo WriteSnapshot(string directory)
    {
        using StateSnapshot snapshot = CaptureSnapshot();
        return SnapshotFiles.Write(snapshot, directory);
    }

    /// <summary>
    /// Builds a state machine from a snapshot file (startup: load the newest valid snapshot, then replay the WAL
    /// after its applied index). Throws <see cref="InvalidDataException"/> if the file is damaged.
    /// </summary>
    public static KvStateMachine FromSnapshot(StateMachineOptions options, string snapshotPath)
    {
        var machine = new KvStateMachine(options);
        try
        {
            lock (machine._applyLock)
            {
                machine.LoadInto(machine.Store, snapshotPath);
            }

            return machine;
        }
        catch
        {
            machine.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Replaces the whole state with a snapshot (a raft follower receiving one from its leader). The file is verified
    /// first, so a damaged file changes nothing. Watchers survive: they catch up from the new state, or are told
    /// their history was compacted. Readers still using the old store get <see cref="ObjectDisposedException"/>.
    /// </summary>
    public void InstallSnapshot(string snapshotPath)
    {
        SnapshotFiles.Verify(snapshotPath);
        lock (_applyLock)
        {
            var fresh = new MvccStore(_options.Mvcc);
            fresh.SetLeaseRegistry(Leases);
            LoadInto(fresh, snapshotPath);
            MvccStore old = Store;
            Store = fresh;
            Watches.SwitchStore(fresh);
            old.SetChangeSink(null);
            old.Dispose();
        }
    }

    private void LoadInto(MvccStore store, string snapshotPath)
    {
        StateSnapshotMetadata metadata = SnapshotLoader.Load(snapshotPath, store, meta =>
        {
            Cluster.Restore(meta.ClusterId, meta.ClusterVersion, meta.Members, meta.RemovedMemberIds);
            Alarms.Restore(meta.Alarms);
            Leases.Clear();
            foreach (LeaseSnapshot lease in meta.Leases)
            {
                Leases.Restore(lease.Id, lease.TtlSeconds, lease.RemainingTtlSeconds);
            }
        });
        Volatile.Write(ref _appliedTerm, metadata.AppliedTerm);
        Volatile.Write(ref _appliedIndex, metadata.AppliedIndex);
        if (ReferenceEquals(store, Store))
        {
            Watches.SwitchStore(store);
        }
    }

    /// <summary>
    /// A CRC-32C over the whole replicated state except the applied index (etcd's Hash RPC: members with the same
    /// history get the same value): the KV history as in HashKV, the compaction revision, leases with their
    /// checkpointed TTLs, alarms and membership. Runs on a captured snapshot, so apply continues meanwhile.
    /// </summary>
    public uint HashState()
    {
        using StateSnapshot snapshot = CaptureSnapshot();
        using ReadGate.Ticket ticket = Store.Gate.Enter();
        StateSnapshotMetadata meta = snapshot.Metadata.Clone();
        uint kvHash = snapshot.HashKv();
        meta.AppliedIndex = 0;
        meta.AppliedTerm = 0;
        var crc = new StateCrc32C();
        crc.Append((int)kvHash);
        crc.Append(meta.ToByteArray());
        return crc.Value;
    }
}
