using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Cairn.Storage.Durability;

/// <summary>
/// The small set of file operations that durable storage is built from: data sync, full sync, directory
/// sync, preallocation, and atomic replacement of a whole file. Every failure to make data durable throws
/// <see cref="StorageFatalException"/> (fail-stop, never retried).
/// </summary>
public static class DurableFile
{
    /// <summary>Suffix of the temporary file that <see cref="ReplaceAtomically(string, Action{FileStream})"/> writes before renaming.</summary>
    public const string TemporarySuffix = ".tmp";

    private const int ZeroFillChunkBytes = 1 << 20;

    /// <summary>
    /// fdatasync: makes the file's written data (and the metadata needed to read it back, such as its size)
    /// durable. Retried only when interrupted by a signal before it did anything (EINTR).
    /// </summary>
    /// <param name="handle">The open file.</param>
    /// <param name="path">The file's path, for the error message.</param>
    public static void SyncData(SafeFileHandle handle, string path) => Sync(handle, path, dataOnly: true);

    /// <summary>fsync: makes the file's data and all its metadata durable.</summary>
    /// <param name="handle">The open file.</param>
    /// <param name="path">The file's path, for the error message.</param>
    public static void SyncAll(SafeFileHandle handle, string path) => Sync(handle, path, dataOnly: false);

    /// <summary>
    /// fsync on a directory: makes the directory's entries durable, i.e. file creations, renames and
    /// deletions inside it. Without it a renamed or new file can vanish in a power cut.
    /// </summary>
    /// <param name="directory">The directory.</param>
    public static void SyncDirectory(string directory)
    {
        int fd = Libc.Open(directory, Libc.ORdOnly | Libc.OCloExec);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new StorageFatalException($"{directory}: cannot open the directory to sync it ({Libc.Describe(errno)})");
        }

        try
        {
            int result;
            do
            {
                result = Libc.FSync(fd);
            }
            while (result != 0 && Marshal.GetLastPInvokeError() == Libc.Eintr);

            if (result != 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                throw new StorageFatalException($"{directory}: fsync of the directory failed ({Libc.Describe(errno)}); recent file creations, renames or deletions in it may be lost");
            }
        }
        finally
        {
            Libc.Close(fd);
        }
    }

    /// <summary>
    /// Reserves disk blocks for the first <paramref name="lengthBytes"/> bytes of the file (posix_fallocate) and
    /// extends it to that length, so that writes into that range, including writes through a memory mapping,
    /// cannot fail for lack of space later. The reserved range reads as zeros.
    /// </summary>
    /// <param name="handle">The open file.</param>
    /// <param name="lengthBytes">The length to reserve.</param>
    /// <param name="path">The file's path, for the error message.</param>
    public static void Preallocate(SafeFileHandle handle, long lengthBytes, string path)
    {
        int errno = Libc.PosixFAllocate((int)handle.DangerousGetHandle(), 0, lengthBytes);
        if (errno != 0)
        {
            throw new IOException($"{path}: cannot reserve {lengthBytes} bytes of disk space ({Libc.Describe(errno)}); free disk space or lower the segment size");
        }
    }

    /// <summary>
    /// Writes zeros over the first <paramref name="lengthBytes"/> bytes. On ext4 and XFS, blocks reserved with
    /// fallocate are "unwritten extents": the first write into each one changes file-system metadata, which
    /// makes every fdatasync that covers it commit the journal too. Writing zeros once, ahead of time,
    /// converts them, so later data syncs only write data. (Whether that is faster depends on the disk:
    /// docs/BENCHMARKS.md, "Storage: WAL".)
    /// </summary>
    /// <param name="handle">The open file.</param>
    /// <param name="lengthBytes">The number of bytes to zero from the start of the file.</param>
    public static void ZeroFill(SafeFileHandle handle, long lengthBytes)
    {
        byte[] zeros = new byte[Math.Min(ZeroFillChunkBytes, lengthBytes)];
        for (long offset = 0; offset < lengthBytes; offset += zeros.Length)
        {
            int chunkBytes = (int)Math.Min(zeros.Length, lengthBytes - offset);
            RandomAccess.Write(handle, zeros.AsSpan(0, chunkBytes), offset);
        }
    }

    /// <summary>Replaces (or creates) <paramref name="path"/> with <paramref name="content"/> atomically; see the other overload.</summary>
    /// <param name="path">The file to replace.</param>
    /// <param name="content">Its new content.</param>
    public static void ReplaceAtomically(string path, ReadOnlySpan<byte> content)
    {
        string temporaryPath = path + TemporarySuffix;
        using (SafeFileHandle handle = File.OpenHandle(temporaryPath, FileMode.Create, FileAccess.ReadWrite, FileShare.None))
        {
            RandomAccess.Write(handle, content, 0);
            SyncAll(handle, temporaryPath);
        }

        CommitReplacement(temporaryPath, path);
    }

    /// <summary>
    /// Replaces (or creates) <paramref name="path"/> atomically and durably: writes the new content to
    /// <c>path.tmp</c>, fsyncs it, renames it over <paramref name="path"/>, and fsyncs the directory. After a
    /// crash at any point a reader sees either the complete old file or the complete new one (rename is
    /// atomic); once this method returned, the new one survives a power cut. A stale <c>.tmp</c> left by a
    /// crash is simply overwritten by the next call.
    /// </summary>
    /// <param name="path">The file to replace.</param>
    /// <param name="write">Writes the new content to the stream it is given (do not dispose the stream).</param>
    public static void ReplaceAtomically(string path, Action<FileStream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        string temporaryPath = path + TemporarySuffix;
        using (var stream = new FileStream(temporaryPath, FileMode.Create, FileAccess.ReadWrite, FileShare.None, bufferSize: 1 << 16))
        {
            write(stream);
            stream.Flush(flushToDisk: false);
            SyncAll(stream.SafeFileHandle, temporaryPath);
        }

        CommitReplacement(temporaryPath, path);
    }

    /// <summary>Renames a synced temporary file over its target and syncs the directory.</summary>
    /// <param name="temporaryPath">The synced file.</param>
    /// <param name="path">The name it gets.</param>
    public static void CommitReplacement(string temporaryPath, string path)
    {
        File.Move(temporaryPath, path, overwrite: true);
        SyncDirectory(DirectoryOf(path));
    }

    /// <summary>Deletes a file and syncs its directory, so the deletion survives a power cut.</summary>
    /// <param name="path">The file to delete; nothing happens if it does not exist.</param>
    public static void DeleteDurably(string path)
    {
        if (File.Exists(path))
        {
            File.Delete(path);
            SyncDirectory(DirectoryOf(path));
        }
    }

    /// <summary>The directory that holds <paramref name="path"/> (the current directory for a bare file name).</summary>
    /// <param name="path">A file path.</param>
    /// <returns>The directory path.</returns>
    public static string DirectoryOf(string path)
    {
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        return string.IsNullOrEmpty(directory) ? "." : directory;
    }

    private static void Sync(SafeFileHandle handle, string path, bool dataOnly)
    {
        int fd = (int)handle.DangerousGetHandle();
        int result;
        do
        {
            result = dataOnly ? Libc.FDataSync(fd) : Libc.FSync(fd);
        }
        while (result != 0 && Marshal.GetLastPInvokeError() == Libc.Eintr);

        if (result != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            string call = dataOnly ? "fdatasync" : "fsync";
            throw new StorageFatalException($"{path}: {call} failed ({Libc.Describe(errno)}); data written to this file since its last successful sync may be lost");
        }

        GC.KeepAlive(handle);
    }
}
