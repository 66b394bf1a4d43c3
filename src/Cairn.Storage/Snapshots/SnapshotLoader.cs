using Cairn.Protocol.Internal;
using Cairn.Storage.Mvcc;

namespace Cairn.Storage.Snapshots;

/// <summary>Reads a snapshot file in one sequential pass: metadata, then keys (values stay in the file and are
/// mapped in place), then the footer, whose CRC must match everything read.</summary>
internal static class SnapshotLoader
{
    /// <summary>
    /// Loads <paramref name="path"/>: <paramref name="applyMetadata"/> receives the metadata before the keys are read
    /// (leases must exist before keys attach to them), then the KV section goes into <paramref name="store"/>.
    /// Throws <see cref="InvalidDataException"/> on any damage; the caller must then discard the store.
    /// </summary>
    public static StateSnapshotMetadata Load(string path, MvccStore store, Action<StateSnapshotMetadata> applyMetadata)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 0,
            FileOptions.SequentialScan);
        var reader = new SnapshotReadStream(file, path, 1 << 20);
        (ulong index, ulong term, long revision, long compactRevision) = SnapshotFiles.ReadHeader(reader);
        int metaLength = reader.ReadLength("metadata");
        byte[] metaBytes = new byte[metaLength];
        reader.ReadExactly(metaBytes);
        StateSnapshotMetadata metadata = ParseMetadata(reader, metaBytes);
        if (metadata.AppliedIndex != index || metadata.AppliedTerm != term || metadata.Revision != revision
            || metadata.CompactRevision != compactRevision)
        {
            throw reader.Corrupt("the header and the metadata disagree about the applied index, term or revisions");
        }

        applyMetadata(metadata);
        (long keys, long records) = store.LoadKvSection(reader, path);
        ReadFooter(reader, keys, records, file.Length);
        store.CompleteLoad(revision, compactRevision);
        return metadata;
    }

    private static StateSnapshotMetadata ParseMetadata(SnapshotReadStream reader, byte[] bytes)
    {
        try
        {
            return StateSnapshotMetadata.Parser.ParseFrom(bytes);
        }
        catch (Google.Protobuf.InvalidProtocolBufferException)
        {
            throw reader.Corrupt("the metadata section does not decode");
        }
    }

    private static void ReadFooter(SnapshotReadStream reader, long keys, long records, long length)
    {
        long storedKeys = reader.ReadInt64();
        long storedRecords = reader.ReadInt64();
        long storedLength = reader.ReadInt64();
        reader.ReadUInt32();
        uint computed = reader.Crc;
        Span<byte> tail = stackalloc byte[SnapshotFormat.CrcOffsetFromEnd];
        reader.ReadExactly(tail);
        SnapshotFiles.CheckTail(reader, tail, computed, length);
        if (storedKeys != keys || storedRecords != records || storedLength != length || reader.Position != length)
        {
            throw reader.Corrupt($"the footer counts ({storedKeys} keys, {storedRecords} records, {storedLength} bytes) " +
                $"do not match the file ({keys} keys, {records} records, {length} bytes)");
        }
    }
}
