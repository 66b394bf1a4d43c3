using Cairn.Storage.Durability;
using System.Security.Cryptography;
using Cairn.Protocol.Etcd;
using Google.Protobuf;

namespace Cairn.Storage.Snapshots;

/// <summary>
/// The Maintenance.Snapshot byte stream (reference §8): the snapshot file padded with zeros to a multiple of 512
/// bytes, followed by the 32-byte SHA-256 of those padded bytes. <c>etcdctl snapshot save</c> only checks that the
/// received size is 32 more than a multiple of 512, so it saves a Cairn snapshot like an etcd one; the loader here
/// (for <c>cairn snapshot restore</c>) checks the hash and the snapshot's own checksum.
/// </summary>
public static class EtcdSnapshotStream
{
    /// <summary>etcd's snapshot chunk size.</summary>
    public const int DefaultChunkBytes = 32 * 1024;

    private const int PaddingUnit = 512;
    private const int HashBytes = 32;

    /// <summary>Length of the padded snapshot bytes for a file of <paramref name="fileBytes"/>.</summary>
    public static long PaddedLength(long fileBytes) => (fileBytes + PaddingUnit - 1) / PaddingUnit * PaddingUnit;

    /// <summary>
    /// The stream's messages, as etcd sends them: data chunks of <paramref name="chunkBytes"/> with
    /// remaining_bytes = bytes still to come after the chunk, then one message whose blob is the SHA-256; no header.
    /// </summary>
    public static IEnumerable<SnapshotResponse> Responses(string snapshotPath, int chunkBytes = DefaultChunkBytes)
    {
        using var file = new FileStream(snapshotPath, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 0);
        long total = PaddedLength(file.Length);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long sent = 0;
        byte[] chunk = new byte[chunkBytes];
        while (sent < total)
        {
            int length = (int)Math.Min(chunkBytes, total - sent);
            int read = file.ReadAtLeast(chunk.AsSpan(0, length), length, throwOnEndOfStream: false);
            chunk.AsSpan(read, length - read).Clear();
            sha.AppendData(chunk, 0, length);
            sent += length;
            yield return new SnapshotResponse { RemainingBytes = (ulong)(total - sent), Blob = ByteString.CopyFrom(chunk, 0, length) };
        }

        yield return new SnapshotResponse { RemainingBytes = 0, Blob = ByteString.CopyFrom(sha.GetHashAndReset()) };
    }

    /// <summary>Writes the whole stream (what <c>etcdctl snapshot save</c> stores) to <paramref name="destination"/>.</summary>
    public static void WriteTo(string snapshotPath, Stream destination)
    {
        foreach (SnapshotResponse response in Responses(snapshotPath))
        {
            response.Blob.WriteTo(destination);
        }
    }

    /// <summary>
    /// Checks a saved stream (size, SHA-256) and writes the snapshot it carries to <paramref name="outputPath"/>
    /// atomically, verified. Throws <see cref="InvalidDataException"/> saying what is wrong.
    /// </summary>
    public static SnapshotFileInfo Extract(string streamPath, string outputPath)
    {
        using var input = new FileStream(streamPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        long length = input.Length;
        if (length < HashBytes + PaddingUnit || (length - HashBytes) % PaddingUnit != 0)
        {
            throw new InvalidDataException($"'{streamPath}' is not a snapshot saved from Cairn or etcd: its size {length} " +
                "is not a multiple of 512 plus the 32-byte SHA-256 trailer. Save it again with 'cairn snapshot save'.");
        }

        string tempPath = outputPath + ".tmp";
        CopyCheckingHash(input, streamPath, length - HashBytes, tempPath);
        try
        {
            TruncateToSnapshotLength(tempPath, streamPath);
            (ulong index, ulong term, _) = SnapshotFiles.Verify(tempPath);
            File.Move(tempPath, outputPath, overwrite: true);
            DurableFile.SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(outputPath))!);
            return new SnapshotFileInfo(outputPath, index, term, new FileInfo(outputPath).Length);
        }
        catch
        {
            File.Delete(tempPath);
            throw;
        }
    }

    private static void CopyCheckingHash(FileStream input, string streamPath, long dataBytes, string tempPath)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] buffer = new byte[1 << 20];
        using (var output = new FileStream(tempPath, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
        {
            long left = dataBytes;
            while (left > 0)
            {
                int read = input.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
                sha.AppendData(buffer, 0, read);
                output.Write(buffer, 0, read);
                left -= read;
            }

            output.Flush(flushToDisk: true);
        }

        byte[] expected = new byte[HashBytes];
        input.ReadExactly(expected);
        if (!sha.GetHashAndReset().AsSpan().SequenceEqual(expected))
        {
            File.Delete(tempPath);
            throw new InvalidDataException($"'{streamPath}' is damaged: its SHA-256 does not match the trailer. " +
                "Use another copy of the snapshot.");
        }
    }

    /// <summary>Drops the zero padding: the real length is in the snapshot's footer, found by its end magic.</summary>
    private static void TruncateToSnapshotLength(string tempPath, string streamPath)
    {
        using var file = new FileStream(tempPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None, bufferSize: 0);
        long end = file.Length;
        byte[] window = new byte[PaddingUnit + SnapshotFormat.FooterBytes];
        long start = Math.Max(0, end - window.Length);
        file.Position = start;
        int read = file.ReadAtLeast(window, (int)(end - start), throwOnEndOfStream: false);
        int magicAt = window.AsSpan(0, read).LastIndexOf(SnapshotFormat.FooterMagic);
        if (magicAt < 0)
        {
            throw new InvalidDataException($"'{streamPath}' carries no Cairn state snapshot (no \"CAIRNEND\" footer); " +
                "an etcd (bbolt) snapshot cannot be restored into Cairn.");
        }

        file.SetLength(start + magicAt + SnapshotFormat.FooterMagic.Length);
        file.Flush(flushToDisk: true);
    }
}
