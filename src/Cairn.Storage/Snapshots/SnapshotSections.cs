using System.Buffers.Binary;
using Cairn.Protocol.Internal;
using Cairn.Storage.Mvcc;
using Google.Protobuf;

namespace Cairn.Storage.Snapshots;

/// <summary>
/// Writes the parts of a state snapshot file (<see cref="SnapshotFormat"/>) that every writer shares: the header with
/// the metadata, one record of the kv section, and the end of the kv section with the footer. A live state
/// (<see cref="StateSnapshot"/>) and an imported etcd backend both write through here, so the file has one layout.
/// </summary>
internal static class SnapshotSections
{
    /// <summary>The fixed header, then the metadata section.</summary>
    public static void WriteHead(SnapshotWriteStream writer, StateSnapshotMetadata metadata)
    {
        Span<byte> header = stackalloc byte[SnapshotFormat.HeaderBytes];
        header.Clear();
        SnapshotFormat.HeaderMagic.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], SnapshotFormat.Version);
        BinaryPrimitives.WriteUInt64LittleEndian(header[16..], metadata.AppliedIndex);
        BinaryPrimitives.WriteUInt64LittleEndian(header[24..], metadata.AppliedTerm);
        BinaryPrimitives.WriteInt64LittleEndian(header[32..], metadata.Revision);
        BinaryPrimitives.WriteInt64LittleEndian(header[40..], metadata.CompactRevision);
        writer.Write(header);
        byte[] meta = metadata.ToByteArray();
        writer.WriteUInt32((uint)meta.Length);
        writer.Write(meta);
    }

    /// <summary>One record of a key in the kv section, with its value bytes.</summary>
    public static void WriteRecord(SnapshotWriteStream writer, in RevisionRecord record, ReadOnlySpan<byte> value)
    {
        writer.WriteInt64(record.ModRevision);
        writer.WriteInt32(record.SubRevision);
        writer.WriteInt64(record.CreateRevision);
        writer.WriteInt64(record.Version);
        writer.WriteInt64(record.Lease);
        writer.WriteUInt32((uint)value.Length);
        writer.Write(value);
    }

    /// <summary>The end-of-keys marker and the footer (counts, length, CRC of all before it, magic); flushes.</summary>
    public static void WriteTail(SnapshotWriteStream writer, long keys, long records)
    {
        writer.WriteUInt32(SnapshotFormat.EndOfKeys);
        writer.WriteInt64(keys);
        writer.WriteInt64(records);
        writer.WriteInt64(writer.Position + 8 + 4 + 4 + 8);
        writer.WriteUInt32(0);
        writer.WriteUInt32(writer.Crc);
        writer.Write(SnapshotFormat.FooterMagic);
        writer.FlushBuffer();
    }
}
