using Cairn.Storage.Durability;
using System.Buffers.Binary;
using System.Globalization;
using Cairn.Storage.Mvcc;

namespace Cairn.Storage.Snapshots;

/// <summary>A snapshot file on disk: where it is and which applied index/term it holds.</summary>
public readonly record struct SnapshotFileInfo(string Path, ulong AppliedIndex, ulong AppliedTerm, long Bytes);

/// <summary>
/// Snapshot files in a directory: atomic write (temp file, fsync, rename, fsync directory), listing, full
/// verification (header, footer, CRC-32C over the whole file) and choosing the newest valid one at startup.
/// File name: <c>state-&lt;applied index, 16 hex&gt;-&lt;applied term, 16 hex&gt;.snap</c>.
/// </summary>
public static class SnapshotFiles
{
    private const string Prefix = "state-";
    private const string Extension = ".snap";
    private const string TempExtension = ".snap.tmp";

    /// <summary>The file name for a snapshot at this index and term.</summary>
    public static string FileName(ulong appliedIndex, ulong appliedTerm) =>
        $"{Prefix}{appliedIndex:x16}-{appliedTerm:x16}{Extension}";

    /// <summary>
    /// Writes the snapshot into <paramref name="directory"/> atomically: a reader (or a crash) sees either no file or
    /// the whole, synced file. Leftover temp files from an interrupted write are removed first.
    /// </summary>
    public static SnapshotFileInfo Write(StateSnapshot snapshot, string directory)
    {
        Directory.CreateDirectory(directory);
        string finalPath = Path.Combine(directory, FileName(snapshot.AppliedIndex, snapshot.AppliedTerm));
        string tempPath = finalPath[..^Extension.Length] + TempExtension;
        File.Delete(tempPath);
        long bytes;
        using (var file = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0))
        {
            bytes = snapshot.WriteTo(file);
            file.Flush(flushToDisk: true);
        }

        File.Move(tempPath, finalPath, overwrite: true);
        DurableFile.SyncDirectory(directory);
        return new SnapshotFileInfo(finalPath, snapshot.AppliedIndex, snapshot.AppliedTerm, bytes);
    }

    /// <summary>Snapshot files in the directory (by name; not verified), newest applied index first.</summary>
    public static List<SnapshotFileInfo> List(string directory)
    {
        var found = new List<SnapshotFileInfo>();
        if (!Directory.Exists(directory))
        {
            return found;
        }

        foreach (string path in Directory.EnumerateFiles(directory, Prefix + "*" + Extension))
        {
            string name = Path.GetFileName(path);
            string[] parts = name[Prefix.Length..^Extension.Length].Split('-');
            if (parts.Length == 2
                && ulong.TryParse(parts[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong index)
                && ulong.TryParse(parts[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong term))
            {
                found.Add(new SnapshotFileInfo(path, index, term, new FileInfo(path).Length));
            }
        }

        found.Sort((a, b) => b.AppliedIndex.CompareTo(a.AppliedIndex));
        return found;
    }

    /// <summary>
    /// The newest snapshot that passes <see cref="Verify"/>; damaged ones are reported to
    /// <paramref name="onDamaged"/> (with the reason) and skipped. Null if there is none.
    /// </summary>
    public static SnapshotFileInfo? FindLatestValid(string directory, Action<string, string>? onDamaged = null)
    {
        foreach (SnapshotFileInfo candidate in List(directory))
        {
            try
            {
                Verify(candidate.Path);
                return candidate;
            }
            catch (InvalidDataException damaged)
            {
                onDamaged?.Invoke(candidate.Path, damaged.Message);
            }
        }

        return null;
    }

    /// <summary>
    /// Checks the whole file: magic, version, length, footer, and the CRC-32C over every byte. Throws
    /// <see cref="InvalidDataException"/> naming the file, the problem and what to do.
    /// </summary>
    public static (ulong AppliedIndex, ulong AppliedTerm, long Revision) Verify(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 0);
        long length = file.Length;
        if (length < SnapshotFormat.HeaderBytes + 4 + SnapshotFormat.FooterBytes)
        {
            throw SnapshotCorruptException.For(path, $"it is only {length} bytes long");
        }

        var reader = new SnapshotReadStream(file, path, 1 << 20);
        (ulong index, ulong term, long revision, _) = ReadHeader(reader);
        reader.Skip(length - SnapshotFormat.CrcOffsetFromEnd - reader.Position);
        uint computed = reader.Crc;
        Span<byte> tail = stackalloc byte[SnapshotFormat.CrcOffsetFromEnd];
        reader.ReadExactly(tail);
        CheckTail(reader, tail, computed, length);
        return (index, term, revision);
    }

    /// <summary>Reads and checks the fixed header; returns index, term, revision and compact revision.</summary>
    internal static (ulong Index, ulong Term, long Revision, long CompactRevision) ReadHeader(SnapshotReadStream reader)
    {
        Span<byte> header = stackalloc byte[SnapshotFormat.HeaderBytes];
        reader.ReadExactly(header);
        if (!header[..8].SequenceEqual(SnapshotFormat.HeaderMagic))
        {
            throw reader.Corrupt("it does not start with the snapshot magic \"CAIRNSNP\" (not a Cairn state snapshot)");
        }

        uint version = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        if (version != SnapshotFormat.Version)
        {
            throw reader.Corrupt($"format version {version} is not supported (this build reads version {SnapshotFormat.Version})");
        }

        return (BinaryPrimitives.ReadUInt64LittleEndian(header[16..]), BinaryPrimitives.ReadUInt64LittleEndian(header[24..]),
            BinaryPrimitives.ReadInt64LittleEndian(header[32..]), BinaryPrimitives.ReadInt64LittleEndian(header[40..]));
    }

    /// <summary>Checks the last 12 bytes (CRC, magic) against the computed CRC and the file length.</summary>
    internal static void CheckTail(SnapshotReadStream reader, ReadOnlySpan<byte> tail, uint computed, long length)
    {
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(tail);
        if (!tail[4..].SequenceEqual(SnapshotFormat.FooterMagic))
        {
            throw reader.Corrupt("it does not end with \"CAIRNEND\" (the file is truncated or was not completely written)");
        }

        if (stored != computed)
        {
            throw reader.Corrupt($"checksum mismatch (stored CRC-32C {stored:x8}, computed {computed:x8} over {length - 12} bytes)");
        }
    }
}
