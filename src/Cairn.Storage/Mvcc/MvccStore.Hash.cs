using Cairn.Protocol.Etcd;

namespace Cairn.Storage.Mvcc;

/// <summary>
/// HashKV (etcd reference §4.6): a CRC-32C over the key-value history up to a revision, counting only records that
/// survive the current compaction. Two members with the same applied history get the same hash, whatever their
/// physical purge progress. The bytes hashed differ from etcd's (its bbolt encoding); clients only compare members.
/// Like etcd, the hash starts with the bucket name "key", so an empty key space hashes to etcd's value for it
/// (1084519789) rather than 0, which etcdctl's JSON output would omit.
/// </summary>
public sealed partial class MvccStore
{
    /// <summary>
    /// Computes HashKV at <paramref name="revision"/> (0 = current). Thread-safe. Throws the compacted error for a
    /// revision at or below the compaction revision and the future-revision error above the current one.
    /// </summary>
    public HashKVResponse HashKV(long revision)
    {
        using ReadGate.Ticket ticket = EnterRead();
        while (true)
        {
            long current = CurrentRevision;
            IndexNode root = _index.PublishedRoot;
            long compactRevision = CompactRevision;
            if (revision > 0 && revision <= compactRevision)
            {
                throw EtcdError.Compacted.ToException();
            }

            if (revision > current)
            {
                throw EtcdError.FutureRevision.ToException();
            }

            long hashRevision = revision == 0 ? current : revision;
            uint hash = HashHistory(root, hashRevision, compactRevision);

            // Which records count depends on the compaction revision; a compaction applied meanwhile may have purged
            // some of them, so hash again against the new one.
            Interlocked.MemoryBarrier();
            if (Volatile.Read(ref _compactRevision) == compactRevision)
            {
                return new HashKVResponse
                {
                    Header = new ResponseHeader { Revision = current },
                    Hash = hash,
                    CompactRevision = compactRevision,
                };
            }
        }
    }

    /// <summary>The hash over every surviving record with ModRevision &lt;= <paramref name="revision"/>, in key order
    /// then revision order.</summary>
    internal uint HashHistory(IndexNode root, long revision, long compactRevision)
    {
        var crc = new StateCrc32C();
        crc.Append("key"u8);
        foreach ((byte[] key, RevisionRecord record) in KeyHistory.Surviving(root, revision, compactRevision))
        {
            AppendRecordHash(ref crc, key, record);
        }

        _values.DropResidentPages();
        return crc.Value;
    }

    private void AppendRecordHash(ref StateCrc32C crc, byte[] key, in RevisionRecord record)
    {
        crc.Append(key.Length);
        crc.Append(key);
        crc.Append(record.ModRevision);
        crc.Append(record.SubRevision);
        crc.Append(record.CreateRevision);
        crc.Append(record.Version);
        crc.Append(record.Lease);
        crc.Append(record.ValueLength);
        crc.Append(ReadValue(record));
    }
}
