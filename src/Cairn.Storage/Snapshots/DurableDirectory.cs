using System.Runtime.InteropServices;

namespace Cairn.Storage.Snapshots;

/// <summary>
/// fsync of a directory, so a rename inside it is durable. .NET has no API for it, so this calls libc directly.
/// </summary>
/// <remarks>Private stand-in until the WAL engineer's durable-file primitives land. A failed fsync is fatal for the
/// caller (page-cache state after a failed fsync is undefined): it throws and must not be retried.</remarks>
internal static partial class DurableDirectory
{
    private const int ReadOnly = 0;

    /// <summary>Flushes the directory's entries to stable storage.</summary>
    public static void Sync(string directory)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return;
        }

        int fd = Open(directory, ReadOnly);
        if (fd < 0)
        {
            throw new IOException($"cannot open directory '{directory}' to fsync it (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"fsync of directory '{directory}' failed (errno {Marshal.GetLastPInvokeError()}); " +
                    "the disk may be failing: stop and check it before restarting");
            }
        }
        finally
        {
            Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
