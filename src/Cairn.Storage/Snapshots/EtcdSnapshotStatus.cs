using System.Buffers.Binary;
using Cairn.Storage.Bolt;
using Cairn.Storage.Durability;

namespace Cairn.Storage.Snapshots;

/// <summary>
/// What <c>etcdctl snapshot status</c> reports for an etcd (bbolt) snapshot file, computed the same way: CRC-32C over
/// every bucket name, key and value in order; the number of pairs in all buckets; the main revision of the last key in
/// bucket <c>key</c>; the database size (pages in use times page size).
/// </summary>
public readonly record struct EtcdSnapshotStatus(uint Hash, long Revision, long TotalKey, long TotalSize)
{
    /// <summary>Reads <paramref name="path"/>; throws <see cref="InvalidDataException"/> when it is not a consistent
    /// bbolt file.</summary>
    public static EtcdSnapshotStatus Read(string path)
    {
        using BoltReader reader = BoltReader.Open(path);
        uint hash = 0;
        long revision = 0;
        long totalKey = 0;
        foreach ((byte[] name, IEnumerable<(byte[] Key, byte[] Value)> pairs) in reader.Buckets())
        {
            hash = Crc32C.Append(hash, name);
            bool isKeyBucket = name.AsSpan().SequenceEqual("key"u8);
            foreach ((byte[] key, byte[] value) in pairs)
            {
                hash = Crc32C.Append(Crc32C.Append(hash, key), value);
                if (isKeyBucket && key.Length >= 8)
                {
                    revision = BinaryPrimitives.ReadInt64BigEndian(key);
                }

                totalKey++;
            }
        }

        IReadOnlyList<string> problems = reader.Problems();
        if (problems.Count > 0)
        {
            throw new InvalidDataException($"snapshot file integrity check failed. {problems.Count} errors found.\n" + string.Join('\n', problems));
        }

        return new EtcdSnapshotStatus(hash, revision, totalKey, (long)reader.HighWater * reader.PageSize);
    }
}
