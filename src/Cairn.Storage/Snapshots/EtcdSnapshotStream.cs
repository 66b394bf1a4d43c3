using System.Security.Cryptography;
using Cairn.Protocol.Etcd;
using Google.Protobuf;

namespace Cairn.Storage.Snapshots;

/// <summary>
/// The Maintenance.Snapshot byte stream (reference §8): a database file padded with zeros to a multiple of 512 bytes
/// (a bbolt file already is one), followed by the 32-byte SHA-256 of those bytes, which <c>etcdctl snapshot
/// restore</c> checks.
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
}
