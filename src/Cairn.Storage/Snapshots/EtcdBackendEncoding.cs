using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using Cairn.Protocol.Etcd;
using Cairn.Storage.Mvcc;

namespace Cairn.Storage.Snapshots;

/// <summary>
/// The byte encodings of etcd 3.4's backend (reference §8, checked against a snapshot taken from real etcd 3.4.23):
/// revision keys, mvccpb.KeyValue and leasepb.Lease values as Go's protobuf writes them, member JSON.
/// </summary>
internal static class EtcdBackendEncoding
{
    /// <summary>8-byte big-endian main revision, '_', 8-byte big-endian sub revision.</summary>
    public const int RevisionKeyBytes = 17;

    private const byte TombstoneMark = (byte)'t';

    /// <summary>Writes the revision key (18 bytes with the tombstone mark); returns its length.</summary>
    public static int RevisionKey(Span<byte> destination, long main, long sub, bool tombstone)
    {
        BinaryPrimitives.WriteInt64BigEndian(destination, main);
        destination[8] = (byte)'_';
        BinaryPrimitives.WriteInt64BigEndian(destination[9..], sub);
        if (!tombstone)
        {
            return RevisionKeyBytes;
        }

        destination[RevisionKeyBytes] = TombstoneMark;
        return RevisionKeyBytes + 1;
    }

    /// <summary>A 17-byte revision key for a main revision, as the compaction marks in <c>meta</c> hold it.</summary>
    public static byte[] RevisionKey(long main)
    {
        byte[] key = new byte[RevisionKeyBytes];
        RevisionKey(key, main, 0, tombstone: false);
        return key;
    }

    /// <summary>
    /// mvccpb.KeyValue for one record into <paramref name="buffer"/> (grown as needed); returns the length. A
    /// deletion is stored as a KeyValue holding only the key, as etcd does.
    /// </summary>
    public static int KeyValue(ref byte[] buffer, ReadOnlySpan<byte> key, in RevisionRecord record, ReadOnlySpan<byte> value)
    {
        int most = key.Length + value.Length + 5 * 11 + 2 * 5;
        if (buffer.Length < most)
        {
            buffer = new byte[Math.Max(most, buffer.Length * 2)];
        }

        var writer = new ProtoWriter(buffer);
        writer.Bytes(1, key);
        if (!record.IsTombstone)
        {
            writer.Int64(2, record.CreateRevision);
            writer.Int64(3, record.ModRevision);
            writer.Int64(4, record.Version);
            writer.Bytes(5, value);
            writer.Int64(6, record.Lease);
        }

        return writer.Length;
    }

    /// <summary>leasepb.Lease{ID, TTL}: etcd 3.4 leaves RemainingTTL unset unless lease checkpointing is on.</summary>
    public static byte[] Lease(long id, long ttlSeconds)
    {
        byte[] buffer = new byte[2 * 11];
        var writer = new ProtoWriter(buffer);
        writer.Int64(1, id);
        writer.Int64(2, ttlSeconds);
        return buffer[..writer.Length];
    }

    /// <summary>The 8-byte big-endian lease ID key.</summary>
    public static byte[] LeaseKey(long id)
    {
        byte[] key = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(key, id);
        return key;
    }

    /// <summary>A member ID key: lowercase hex without leading zeros.</summary>
    public static byte[] MemberKey(ulong id) => System.Text.Encoding.ASCII.GetBytes(id.ToString("x", CultureInfo.InvariantCulture));

    /// <summary>The member as etcd's membership store marshals it: id, peerURLs, isLearner (if set), name and
    /// clientURLs (if set), in that order.</summary>
    public static byte[] MemberJson(Member member)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteNumber("id", member.ID);
            json.WriteStartArray("peerURLs");
            foreach (string url in member.PeerURLs)
            {
                json.WriteStringValue(url);
            }

            json.WriteEndArray();
            if (member.IsLearner)
            {
                json.WriteBoolean("isLearner", true);
            }

            if (member.Name.Length > 0)
            {
                json.WriteString("name", member.Name);
            }

            if (member.ClientURLs.Count > 0)
            {
                json.WriteStartArray("clientURLs");
                foreach (string url in member.ClientURLs)
                {
                    json.WriteStringValue(url);
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        return stream.ToArray();
    }

    /// <summary>Proto3 fields in field order, zero values left out (what gogoproto's Marshal does).</summary>
    private ref struct ProtoWriter(Span<byte> buffer)
    {
        private readonly Span<byte> _buffer = buffer;

        public int Length { get; private set; }

        public void Int64(int field, long value)
        {
            if (value == 0)
            {
                return;
            }

            Varint((ulong)(field << 3));
            Varint((ulong)value);
        }

        public void Bytes(int field, ReadOnlySpan<byte> value)
        {
            if (value.IsEmpty)
            {
                return;
            }

            Varint((ulong)((field << 3) | 2));
            Varint((ulong)value.Length);
            value.CopyTo(_buffer[Length..]);
            Length += value.Length;
        }

        private void Varint(ulong value)
        {
            while (value >= 0x80)
            {
                _buffer[Length++] = (byte)(value | 0x80);
                value >>= 7;
            }

            _buffer[Length++] = (byte)value;
        }
    }
}
