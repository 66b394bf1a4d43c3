using System.Globalization;
using Cairn.Storage.Durability;
using Microsoft.Win32.SafeHandles;

namespace Cairn.Storage.Wal;

/// <summary>
/// Names and creation of segment files. A segment is named after its sequence number in 16 hex digits,
/// <c>0000000000000001.wal</c>; a segment being prepared is <c>&lt;sequence&gt;.wal.tmp</c> until it is
/// activated (header written and synced, then renamed, then the directory synced).
/// </summary>
internal static class WalSegmentFiles
{
    internal const string Extension = ".wal";
    internal const string PreparingExtension = ".wal.tmp";
    internal const string LockFileName = "wal.lock";

    internal static string PathOf(string directory, ulong sequence) =>
        Path.Combine(directory, sequence.ToString("x16", CultureInfo.InvariantCulture) + Extension);

    internal static string PreparingPathOf(string directory, ulong sequence) =>
        Path.Combine(directory, sequence.ToString("x16", CultureInfo.InvariantCulture) + PreparingExtension);

    /// <summary>The segment files in <paramref name="directory"/>, by ascending sequence number.</summary>
    internal static List<(ulong Sequence, string Path)> List(string directory)
    {
        var segments = new List<(ulong Sequence, string Path)>();
        foreach (string path in Directory.EnumerateFiles(directory, "*" + Extension))
        {
            string name = Path.GetFileNameWithoutExtension(path);
            if (name.Length != 16 || !ulong.TryParse(name, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong sequence))
            {
                throw new WalCorruptionException(path, 0, "a file with the segment extension has a name that is not a 16-digit hexadecimal sequence number; move it out of the WAL directory");
            }

            segments.Add((sequence, path));
        }

        segments.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
        return segments;
    }

    /// <summary>Creates <paramref name="path"/> with its full size reserved (and zero-filled), synced.</summary>
    internal static void CreatePreallocated(string path, int segmentBytes, WalPreallocation preallocation)
    {
        File.Delete(path);
        using SafeFileHandle handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
        DurableFile.Preallocate(handle, segmentBytes, path);
        if (preallocation == WalPreallocation.ZeroFill)
        {
            DurableFile.ZeroFill(handle, segmentBytes);
        }

        // Full fsync: the size and the block allocation must be durable before the file is used.
        DurableFile.SyncAll(handle, path);
    }

    /// <summary>
    /// Turns a prepared file into segment <paramref name="header"/>.Sequence: writes and syncs the header,
    /// renames the file to its final name and syncs the directory. Returns the mapped segment.
    /// </summary>
    internal static WalSegment Activate(string directory, string preparedPath, WalSegmentHeader header)
    {
        byte[] headerBytes = new byte[WalFormat.SegmentHeaderBytes];
        header.Write(headerBytes);
        using (SafeFileHandle handle = File.OpenHandle(preparedPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            Invariant.Check(RandomAccess.GetLength(handle) == header.SegmentBytes, $"{preparedPath}: a prepared segment does not have the configured size");
            RandomAccess.Write(handle, headerBytes, 0);
            DurableFile.SyncData(handle, preparedPath);
        }

        string path = PathOf(directory, header.Sequence);
        File.Move(preparedPath, path, overwrite: false);
        DurableFile.SyncDirectory(directory);
        return new WalSegment(path, MappedFile.Open(path, writable: true), header);
    }
}
