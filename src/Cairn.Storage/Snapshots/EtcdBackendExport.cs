using System.Buffers.Binary;
using System.Text;
using Cairn.Protocol.Etcd;
using Cairn.Protocol.Internal;
using Cairn.Storage.Bolt;
using Cairn.Storage.Mvcc;
using Google.Protobuf;

namespace Cairn.Storage.Snapshots;

/// <summary>
/// Cairn's state at a snapshot's revision as the bbolt database etcd 3.4 keeps (reference §8), so that
/// <c>etcdctl snapshot status</c> reads a snapshot saved from Cairn and <c>etcdctl snapshot restore</c> turns it into
/// an etcd data directory. Buckets: <c>key</c> (every revision that survives compaction, by revision), <c>meta</c>,
/// <c>lease</c>, <c>members</c>, <c>members_removed</c>, <c>cluster</c>, <c>alarm</c>, and the empty auth buckets of
/// an etcd that never enabled authentication.
/// </summary>
public static class EtcdBackendExport
{
    /// <summary>etcd's auth store starts at revision 1 and keeps it in the <c>auth</c> bucket.</summary>
    private const long InitialAuthRevision = 1;

    private static readonly byte[] Removed = Encoding.ASCII.GetBytes("removed");

    /// <summary>Writes the database into the empty, seekable <paramref name="output"/>; returns its length.</summary>
    public static long Write(StateSnapshot snapshot, Stream output)
    {
        StateSnapshotMetadata metadata = snapshot.Metadata;
        var bolt = new BoltWriter(output);
        WriteBucket(bolt, "alarm", metadata.Alarms.Select(alarm => (alarm.ToByteArray(), Array.Empty<byte>())));
        WriteBucket(bolt, "auth", [(Ascii("authRevision"), BigEndian(InitialAuthRevision))]);
        WriteBucket(bolt, "authRoles", []);
        WriteBucket(bolt, "authUsers", []);
        WriteBucket(bolt, "cluster", metadata.ClusterVersion.Length == 0
            ? []
            : [(Ascii("clusterVersion"), Ascii(metadata.ClusterVersion))]);
        bolt.BeginBucket(Ascii("key"));
        WriteRevisions(bolt, snapshot);
        bolt.EndBucket();
        WriteBucket(bolt, "lease", metadata.Leases.Select(lease =>
            (EtcdBackendEncoding.LeaseKey(lease.Id), EtcdBackendEncoding.Lease(lease.Id, lease.TtlSeconds))));
        WriteBucket(bolt, "members", metadata.Members.Select(member =>
            (EtcdBackendEncoding.MemberKey(member.ID), EtcdBackendEncoding.MemberJson(member))));
        WriteBucket(bolt, "members_removed", metadata.RemovedMemberIds.Select(id => (EtcdBackendEncoding.MemberKey(id), Removed)));
        WriteBucket(bolt, "meta", MetaPairs(metadata));
        return bolt.Complete();
    }

    /// <summary>Writes the database to a new file at <paramref name="path"/>; returns its length.</summary>
    public static long WriteFile(StateSnapshot snapshot, string path)
    {
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, bufferSize: 1 << 16);
        return Write(snapshot, file);
    }

    private static IEnumerable<(byte[] Key, byte[] Value)> MetaPairs(StateSnapshotMetadata metadata)
    {
        // etcd stores the consistent index with the first write to the key space, so a store that never had one
        // has none (and the same key count in snapshot status); restore rewrites it anyway.
        if (metadata.Revision > 1)
        {
            yield return (Ascii("consistent_index"), BigEndian((long)metadata.AppliedIndex));
        }

        if (metadata.CompactRevision > 0)
        {
            byte[] compacted = EtcdBackendEncoding.RevisionKey(metadata.CompactRevision);
            yield return (Ascii("finishedCompactRev"), compacted);
            yield return (Ascii("scheduledCompactRev"), compacted);
        }
    }

    /// <summary>The <c>key</c> bucket is ordered by revision while Cairn's index is ordered by key, so the surviving
    /// records are sorted first (references to the keys and 48-byte records; values are read as they are written).</summary>
    private static void WriteRevisions(BoltWriter bolt, StateSnapshot snapshot)
    {
        MvccStore store = snapshot.Store;
        List<RevisionEntry> entries = CollectRevisions(snapshot.Root, snapshot.Metadata.Revision, snapshot.Metadata.CompactRevision);
        Span<byte> revisionKey = stackalloc byte[EtcdBackendEncoding.RevisionKeyBytes + 1];
        byte[] value = new byte[256];
        foreach (RevisionEntry entry in entries)
        {
            RevisionRecord record = entry.Record;
            int keyLength = EtcdBackendEncoding.RevisionKey(revisionKey, record.ModRevision, record.SubRevision, record.IsTombstone);
            ReadOnlySpan<byte> bytes = record.IsTombstone ? [] : store.ReadValue(record);
            int valueLength = EtcdBackendEncoding.KeyValue(ref value, entry.Key, record, bytes);
            bolt.Put(revisionKey[..keyLength], value.AsSpan(0, valueLength));
        }

        store.Values.DropResidentPages();
    }

    private static List<RevisionEntry> CollectRevisions(IndexNode root, long revision, long compactRevision)
    {
        var entries = new List<RevisionEntry>();
        foreach ((byte[] key, RevisionRecord record) in KeyHistory.Surviving(root, revision, compactRevision))
        {
            entries.Add(new RevisionEntry(key, record));
        }

        entries.Sort(static (a, b) =>
        {
            int main = a.Record.ModRevision.CompareTo(b.Record.ModRevision);
            return main != 0 ? main : a.Record.SubRevision.CompareTo(b.Record.SubRevision);
        });
        return entries;
    }

    private static void WriteBucket(BoltWriter bolt, string name, IEnumerable<(byte[] Key, byte[] Value)> pairs)
    {
        bolt.BeginBucket(Ascii(name));
        foreach ((byte[] key, byte[] value) in pairs.OrderBy(pair => pair.Key, ByteArrayComparer.Instance))
        {
            bolt.Put(key, value);
        }

        bolt.EndBucket();
    }

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    private static byte[] BigEndian(long value)
    {
        byte[] bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        return bytes;
    }

    private readonly record struct RevisionEntry(byte[] Key, RevisionRecord Record);
}
