using System.Runtime.InteropServices;

namespace Cairn.Storage.Mvcc;

/// <summary>
/// madvise(MADV_DONTNEED) for the read-only shared file mappings of value files: it removes the pages from this
/// process's resident set (they stay in the page cache, and a later read faults them back in from there). Used after
/// full scans (snapshot write, hashing) so that reading every value once does not leave the whole value file
/// counted in RSS.
/// </summary>
internal static unsafe partial class PageAdvice
{
    private const int DontNeed = 4;

    /// <summary>Drops the resident pages of a mapping; failures are ignored (this is only a memory hint).</summary>
    public static void DontNeedPages(byte* address, long length)
    {
        if (OperatingSystem.IsLinux() && length > 0)
        {
            _ = Madvise(address, (nuint)length, DontNeed);
        }
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(byte* address, nuint length, int advice);
}
