using System.Buffers.Binary;
using Cairn.Protocol.Internal;
using Cairn.Storage.Durability;

namespace Cairn.Storage.Snapshots;

/// <summary>What a restore brought over.</summary>
public readonly record struct EtcdRestoreSummary(string SnapshotPath, long Revision, long CompactRevision, long Keys, long Records, int Leases);

/// <summary>
/// <c>cairn snapshot restore</c>: an etcd 3.4 backend database (a backup saved from etcd or from Cairn) becomes the
/// state snapshot of a new data directory. The snapshot sits at raft index 0 with no membership, so the first
/// <c>cairn serve</c> on the directory starts it like a new member (an empty WAL: it bootstraps the cluster from its
/// flags) that already holds the key space, history and leases: the state loads as-is and the revision goes on from
/// the backup's.
/// </summary>
public static class EtcdBackendImportWriter
{
    /// <summary>Where the server looks for state snapshots in its data directory (EtcdNode.SnapshotDirectoryName).</summary>
    private const string SnapshotDirectoryName = "snap";

    /// <summary>Reads <paramref name="backupPath"/> and writes <c>snap/state-…​.snap</c> under the new
    /// <paramref name="dataDirectory"/>. Throws <see cref="InvalidDataException"/> if the backup is not an etcd
    /// backend.</summary>
    public static EtcdRestoreSummary Restore(string backupPath, string dataDirectory)
    {
        EtcdBackendImport backend = EtcdBackendImport.Read(backupPath);
        string directory = Path.Combine(dataDirectory, SnapshotDirectoryName);
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, SnapshotFiles.FileName(0, 0));
        string temporary = path + ".tmp";
        long records;
        using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0))
        {
            records = Write(backend, file);
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path);
        DurableFile.SyncDirectory(directory);
        SnapshotFiles.Verify(path);
        return new EtcdRestoreSummary(path, backend.Revision, backend.CompactRevision, backend.Keys.Count, records, backend.Leases.Count);
    }

    /// <summary>The snapshot file format (<see cref="SnapshotFormat"/>); returns the record count.</summary>
    private static long Write(EtcdBackendImport backend, Stream output)
    {
        var writer = new SnapshotWriteStream(output, 1 << 20);
        var metadata = new StateSnapshotMetadata { Revision = backend.Revision, CompactRevision = backend.CompactRevision };
        metadata.Leases.AddRange(backend.Leases.Select(lease =>
            new LeaseSnapshot { Id = lease.Id, TtlSeconds = lease.TtlSeconds, RemainingTtlSeconds = lease.RemainingTtlSeconds }));
        Span<byte> header = stackalloc byte[SnapshotFormat.HeaderBytes];
        header.Clear();
        SnapshotFormat.HeaderMagic.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], SnapshotFormat.Version);
        BinaryPrimitives.WriteInt64LittleEndian(header[32..], metadata.Revision);
        BinaryPrimitives.WriteInt64LittleEndian(header[40..], metadata.CompactRevision);
        writer.Write(header);
        byte[] meta = Google.Protobuf.MessageExtensions.ToByteArray(metadata);
        writer.WriteUInt32((uint)meta.Length);
        writer.Write(meta);
        long records = 0;
        foreach (ImportedKey key in backend.Keys)
        {
            writer.WriteUInt32((uint)key.Key.Length);
            writer.Write(key.Key);
            writer.WriteUInt32((uint)key.Records.Length);
            for (int i = 0; i < key.Records.Length; i++)
            {
                writer.WriteInt64(key.Records[i].ModRevision);
                writer.WriteInt32(key.Records[i].SubRevision);
                writer.WriteInt64(key.Records[i].CreateRevision);
                writer.WriteInt64(key.Records[i].Version);
                writer.WriteInt64(key.Records[i].Lease);
                writer.WriteUInt32((uint)key.Values[i].Length);
                writer.Write(key.Values[i]);
            }

            records += key.Records.Length;
        }

        writer.WriteUInt32(SnapshotFormat.EndOfKeys);
        writer.WriteInt64(backend.Keys.Count);
        writer.WriteInt64(records);
        writer.WriteInt64(writer.Position + 8 + 4 + 4 + 8);
        writer.WriteUInt32(0);
        writer.WriteUInt32(writer.Crc);
        writer.Write(SnapshotFormat.FooterMagic);
        writer.FlushBuffer();
        return records;
    }
}
