using Cairn.Protocol.Etcd;
using Cairn.Protocol.Internal;
using Cairn.Storage.Cluster;
using Cairn.Storage.Durability;
using Cairn.Storage.Wal;

namespace Cairn.Storage.Snapshots;

/// <summary>What a restore brought over.</summary>
public readonly record struct EtcdRestoreSummary(string SnapshotPath, long Revision, long CompactRevision, long Keys, long Records, int Leases);

/// <summary>
/// <c>cairn snapshot restore</c>: an etcd 3.4 backend database (a backup saved from etcd or from Cairn) becomes a new
/// data directory, laid out as <c>etcdctl snapshot restore</c> lays out etcd's: a state snapshot at raft index 1,
/// term 1, holding the key space, history and leases with the new membership (IDs derived from the names, peer URLs
/// and token as <c>cairn serve</c> derives them), and a WAL that starts after it. The member starts from that
/// snapshot; a member added later gets it from the leader (the log before it does not exist), so it never replays a
/// log that lacks the restored data.
/// </summary>
public static class EtcdBackendImportWriter
{
    /// <summary>Where the server looks for state snapshots in its data directory (EtcdNode.SnapshotDirectoryName).</summary>
    private const string SnapshotDirectoryName = "snap";

    /// <summary>The raft position of the restored state: the first entry of the first term.</summary>
    private const ulong RestoredIndex = 1;

    private const ulong RestoredTerm = 1;

    /// <summary>Reads <paramref name="backupPath"/> and writes the snapshot and this member's identity under the new
    /// <paramref name="dataDirectory"/> and the WAL in <paramref name="walDirectory"/>; the members are
    /// <paramref name="initialCluster"/> (name, peer URL pairs, <paramref name="localName"/> among them) with
    /// <paramref name="clusterToken"/>. Throws <see cref="InvalidDataException"/> if the backup is not an etcd
    /// backend.</summary>
    public static EtcdRestoreSummary Restore(string backupPath, string dataDirectory, string walDirectory,
        IReadOnlyList<(string Name, string PeerUrl)> initialCluster, string localName, string clusterToken)
    {
        EtcdBackendImport backend = EtcdBackendImport.Read(backupPath);
        StateSnapshotMetadata metadata = Metadata(backend, initialCluster, clusterToken);
        Member local = metadata.Members.Single(member => member.Name == localName);
        Directory.CreateDirectory(dataDirectory);
        new MemberIdentity(local.ID, metadata.ClusterId).Save(dataDirectory);
        string directory = Path.Combine(dataDirectory, SnapshotDirectoryName);
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, SnapshotFiles.FileName(RestoredIndex, RestoredTerm));
        string temporary = path + ".tmp";
        long records;
        using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0))
        {
            records = Write(backend, metadata, file);
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path);
        DurableFile.SyncDirectory(directory);
        SnapshotFiles.Verify(path);
        using (WriteAheadLog wal = WriteAheadLog.Open(walDirectory))
        {
            wal.ResetToSnapshot(RestoredIndex, RestoredTerm);
            wal.Append([], new WalHardState(RestoredTerm, 0, RestoredIndex));
        }

        return new EtcdRestoreSummary(path, backend.Revision, backend.CompactRevision, backend.Keys.Count, records, backend.Leases.Count);
    }

    /// <summary>The members as a new cluster's first leader records them (EtcdNode.InitialMembers, MemberIdentity.Derive).</summary>
    private static StateSnapshotMetadata Metadata(EtcdBackendImport backend, IReadOnlyList<(string Name, string PeerUrl)> initialCluster,
        string clusterToken)
    {
        var metadata = new StateSnapshotMetadata
        {
            AppliedIndex = RestoredIndex,
            AppliedTerm = RestoredTerm,
            Revision = backend.Revision,
            CompactRevision = backend.CompactRevision,
        };
        foreach (IGrouping<string, (string Name, string PeerUrl)> group in initialCluster.GroupBy(member => member.Name))
        {
            var urls = group.Select(member => member.PeerUrl).ToList();
            var member = new Member { ID = MemberIds.ForMember(urls, clusterToken), Name = group.Key };
            member.PeerURLs.AddRange(MemberUrls.Sorted(urls));
            metadata.Members.Add(member);
        }

        metadata.ClusterId = MemberIds.ForCluster(metadata.Members.Select(member => member.ID));
        metadata.Leases.AddRange(backend.Leases.Select(lease =>
            new LeaseSnapshot { Id = lease.Id, TtlSeconds = lease.TtlSeconds, RemainingTtlSeconds = lease.RemainingTtlSeconds }));
        return metadata;
    }

    /// <summary>The snapshot file format (<see cref="SnapshotFormat"/>); returns the record count.</summary>
    private static long Write(EtcdBackendImport backend, StateSnapshotMetadata metadata, Stream output)
    {
        var writer = new SnapshotWriteStream(output, 1 << 20);
        SnapshotSections.WriteHead(writer, metadata);
        long records = 0;
        foreach (ImportedKey key in backend.Keys)
        {
            writer.WriteUInt32((uint)key.Key.Length);
            writer.Write(key.Key);
            writer.WriteUInt32((uint)key.Records.Length);
            for (int i = 0; i < key.Records.Length; i++)
            {
                SnapshotSections.WriteRecord(writer, key.Records[i], key.Values[i]);
            }

            records += key.Records.Length;
        }

        SnapshotSections.WriteTail(writer, backend.Keys.Count, records);
        return records;
    }
}
