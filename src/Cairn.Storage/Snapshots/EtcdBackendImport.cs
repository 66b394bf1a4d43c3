using System.Buffers.Binary;
using Cairn.Protocol.Etcd;
using Cairn.Storage.Bolt;
using Cairn.Storage.Mvcc;
using Google.Protobuf;

namespace Cairn.Storage.Snapshots;

/// <summary>One key's surviving records (oldest first) with their value bytes, as read from an etcd backend.</summary>
internal sealed record ImportedKey(byte[] Key, RevisionRecord[] Records, byte[][] Values);

/// <summary>A lease from the <c>lease</c> bucket (leasepb.Lease).</summary>
internal readonly record struct ImportedLease(long Id, long TtlSeconds, long RemainingTtlSeconds);

/// <summary>
/// What an etcd 3.4 backend database holds that a restored member keeps (reference §8): the key space from bucket
/// <c>key</c> with its history back to the compaction revision in <c>meta</c>, and the leases from bucket
/// <c>lease</c>. Membership, alarms and the raft index are left behind, as <c>etcdctl snapshot restore</c> does.
/// </summary>
internal sealed class EtcdBackendImport
{
    private const int RevisionKeyBytes = EtcdBackendEncoding.RevisionKeyBytes;

    private EtcdBackendImport(List<ImportedKey> keys, List<ImportedLease> leases, long revision, long compactRevision)
    {
        Keys = keys;
        Leases = leases;
        Revision = revision;
        CompactRevision = compactRevision;
    }

    /// <summary>Every key with a surviving record, in key order.</summary>
    public List<ImportedKey> Keys { get; }

    /// <summary>Every lease, by ID.</summary>
    public List<ImportedLease> Leases { get; }

    /// <summary>The store's revision: the newest revision in bucket <c>key</c> (or the compaction, if newer; 1 for an
    /// empty store), as etcd's mvcc restore computes it.</summary>
    public long Revision { get; }

    /// <summary>The compaction revision (0 if the store was never compacted).</summary>
    public long CompactRevision { get; }

    /// <summary>Reads the backend at <paramref name="path"/> (an etcd or Cairn backup, its trailing hash already
    /// checked or stripped by the caller). Throws <see cref="InvalidDataException"/> if it is not one.</summary>
    public static EtcdBackendImport Read(string path)
    {
        using BoltReader reader = BoltReader.Open(path);
        var histories = new Dictionary<byte[], KeyHistoryBuilder>(ByteArrayComparer.Instance);
        var leases = new List<ImportedLease>();
        long compactRevision = 0;
        long lastRevision = 0;
        foreach ((byte[] name, IEnumerable<(byte[] Key, byte[] Value)> pairs) in reader.Buckets())
        {
            switch (System.Text.Encoding.ASCII.GetString(name))
            {
                case "key":
                    foreach ((byte[] key, byte[] value) in pairs)
                    {
                        lastRevision = AddRevision(histories, key, value);
                    }

                    break;
                case "lease":
                    leases.AddRange(pairs.Select(pair => DecodeLease(pair.Value)));
                    break;
                case "meta":
                    compactRevision = ReadCompactRevision(pairs, compactRevision);
                    break;
            }
        }

        List<ImportedKey> keys = Survivors(histories, compactRevision, leases);
        return new EtcdBackendImport(keys, leases, Math.Max(1, Math.Max(lastRevision, compactRevision)), compactRevision);
    }

    private static long AddRevision(Dictionary<byte[], KeyHistoryBuilder> histories, byte[] revisionKey, byte[] value)
    {
        bool tombstone = revisionKey.Length == RevisionKeyBytes + 1 && revisionKey[RevisionKeyBytes] == (byte)'t';
        if ((revisionKey.Length != RevisionKeyBytes && !tombstone) || revisionKey[8] != (byte)'_')
        {
            throw new InvalidDataException($"bucket key holds an entry whose key {Convert.ToHexString(revisionKey)} is not a revision");
        }

        long main = BinaryPrimitives.ReadInt64BigEndian(revisionKey);
        long sub = BinaryPrimitives.ReadInt64BigEndian(revisionKey.AsSpan(9));
        if (main <= 0 || sub is < 0 or > int.MaxValue)
        {
            throw new InvalidDataException($"bucket key holds an impossible revision {main}_{sub}");
        }

        KeyValue kv = DecodeKeyValue(value, main, sub);
        byte[] key = kv.Key.ToByteArray();
        if (!histories.TryGetValue(key, out KeyHistoryBuilder? history))
        {
            histories[key] = history = new KeyHistoryBuilder();
        }

        history.Records.Add(new RevisionRecord
        {
            ModRevision = main,
            SubRevision = (int)sub,
            CreateRevision = tombstone ? 0 : kv.CreateRevision,
            Version = tombstone ? 0 : kv.Version,
            Lease = tombstone ? 0 : kv.Lease,
            ValueLength = tombstone ? 0 : kv.Value.Length,
        });
        history.Values.Add(tombstone ? [] : kv.Value.ToByteArray());
        return main;
    }

    private static KeyValue DecodeKeyValue(byte[] value, long main, long sub)
    {
        KeyValue kv;
        try
        {
            kv = KeyValue.Parser.ParseFrom(value);
        }
        catch (InvalidProtocolBufferException)
        {
            throw new InvalidDataException($"revision {main}_{sub} in bucket key is not an mvccpb.KeyValue");
        }

        if (kv.Key.IsEmpty)
        {
            throw new InvalidDataException($"revision {main}_{sub} in bucket key has an empty key");
        }

        return kv;
    }

    private static ImportedLease DecodeLease(byte[] value)
    {
        long id = 0;
        long ttl = 0;
        long remaining = 0;
        try
        {
            var input = new CodedInputStream(value);
            uint tag;
            while ((tag = input.ReadTag()) != 0)
            {
                switch (tag)
                {
                    case 1 << 3: id = input.ReadInt64(); break;
                    case 2 << 3: ttl = input.ReadInt64(); break;
                    case 3 << 3: remaining = input.ReadInt64(); break;
                    default: input.SkipLastField(); break;
                }
            }
        }
        catch (InvalidProtocolBufferException)
        {
            throw new InvalidDataException("an entry in bucket lease is not a leasepb.Lease");
        }

        return new ImportedLease(id, ttl, remaining);
    }

    // etcd marks a compaction as scheduled before it purges and as finished after; restore takes the scheduled one
    // (the newer), so a backup taken in the middle of a compaction comes back compacted.
    private static long ReadCompactRevision(IEnumerable<(byte[] Key, byte[] Value)> pairs, long found)
    {
        foreach ((byte[] key, byte[] value) in pairs)
        {
            bool isMark = key.AsSpan().SequenceEqual("scheduledCompactRev"u8) || key.AsSpan().SequenceEqual("finishedCompactRev"u8);
            if (isMark && value.Length >= 8)
            {
                found = Math.Max(found, BinaryPrimitives.ReadInt64BigEndian(value));
            }
        }

        return found;
    }

    private static List<ImportedKey> Survivors(Dictionary<byte[], KeyHistoryBuilder> histories, long compactRevision,
        List<ImportedLease> leases)
    {
        var leaseIds = leases.Select(lease => lease.Id).ToHashSet();
        var keys = new List<ImportedKey>(histories.Count);
        foreach ((byte[] key, KeyHistoryBuilder builder) in histories)
        {
            RevisionRecord[] all = [.. builder.Records];
            var kept = Enumerable.Range(0, all.Length).Where(i => KeyHistory.SurvivesCompaction(all, i, compactRevision)).ToArray();
            if (kept.Length == 0)
            {
                continue;
            }

            RevisionRecord latest = all[kept[^1]];
            if (!latest.IsTombstone && latest.Lease != 0 && !leaseIds.Contains(latest.Lease))
            {
                throw new InvalidDataException(
                    $"key {Convert.ToHexString(key)} is attached to lease {latest.Lease:x16}, which bucket lease does not hold");
            }

            keys.Add(new ImportedKey(key, [.. kept.Select(i => all[i])], [.. kept.Select(i => builder.Values[i])]));
        }

        keys.Sort((a, b) => ByteArrayComparer.Instance.Compare(a.Key, b.Key));
        return keys;
    }

    private sealed class KeyHistoryBuilder
    {
        public List<RevisionRecord> Records { get; } = [];

        public List<byte[]> Values { get; } = [];
    }
}
