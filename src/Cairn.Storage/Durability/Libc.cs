using System.Runtime.InteropServices;

namespace Cairn.Storage.Durability;

/// <summary>
/// The libc calls the storage engine needs and .NET does not expose: data-only sync, range sync of a
/// mapping, preallocation, page residency advice and directory sync. All in one place so that every
/// syscall that can lose data on failure is easy to audit. Linux (glibc) only; constants are the x86-64
/// and arm64 values, which agree for everything used here.
/// </summary>
internal static unsafe partial class Libc
{
    private const string Library = "libc";

    internal const int ProtRead = 0x1;
    internal const int ProtWrite = 0x2;
    internal const int MapShared = 0x01;
    internal const int MsSync = 0x4;
    internal const int MadvDontNeed = 4;
    internal const int ORdOnly = 0x0;
    internal const int OCloExec = 0x80000;
    internal const int Eintr = 4;

    /// <summary>mmap's MAP_FAILED, ((void*)-1).</summary>
    internal static readonly void* MapFailed = (void*)-1;

    [LibraryImport(Library, EntryPoint = "fdatasync", SetLastError = true)]
    internal static partial int FDataSync(int fd);

    [LibraryImport(Library, EntryPoint = "fsync", SetLastError = true)]
    internal static partial int FSync(int fd);

    /// <summary>Returns 0 or an errno value (posix_fallocate does not set errno).</summary>
    [LibraryImport(Library, EntryPoint = "posix_fallocate")]
    internal static partial int PosixFAllocate(int fd, long offset, long length);

    [LibraryImport(Library, EntryPoint = "mmap", SetLastError = true)]
    internal static partial void* MMap(void* address, nuint length, int protection, int flags, int fd, long offset);

    [LibraryImport(Library, EntryPoint = "munmap", SetLastError = true)]
    internal static partial int MUnmap(void* address, nuint length);

    [LibraryImport(Library, EntryPoint = "msync", SetLastError = true)]
    internal static partial int MSync(void* address, nuint length, int flags);

    [LibraryImport(Library, EntryPoint = "madvise", SetLastError = true)]
    internal static partial int MAdvise(void* address, nuint length, int advice);

    [LibraryImport(Library, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Open(string path, int flags);

    [LibraryImport(Library, EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);

    /// <summary>The text of an errno value, for error messages.</summary>
    internal static string Describe(int errno) => $"errno {errno}: {Marshal.GetPInvokeErrorMessage(errno)}";
}
