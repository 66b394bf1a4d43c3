using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Cairn.Storage.Durability;

/// <summary>
/// A whole file mapped into memory with mmap(MAP_SHARED), plus the calls that make its dirty pages durable
/// and that give resident pages back to the kernel. Writes through a writable mapping land in the page
/// cache and survive a process crash; they survive a power cut only after <see cref="SyncRange"/> or
/// <see cref="SyncData"/> returned. The file must not shrink while mapped (touching a page past the end
/// raises SIGBUS), which is why the WAL only maps preallocated files of a fixed size.
/// </summary>
public sealed unsafe class MappedFile : IDisposable
{
    /// <summary>The page size this code assumes for alignment of msync and madvise ranges.</summary>
    public const int PageBytes = 4096;

    private readonly SafeFileHandle _handle;
    private byte* _pointer;

    private MappedFile(SafeFileHandle handle, byte* pointer, long lengthBytes, string path, bool writable)
    {
        _handle = handle;
        _pointer = pointer;
        LengthBytes = lengthBytes;
        FilePath = path;
        IsWritable = writable;
    }

    /// <summary>The mapped file's path (for error messages).</summary>
    public string FilePath { get; }

    /// <summary>The length of the mapping, which is the file's length when it was mapped.</summary>
    public long LengthBytes { get; }

    /// <summary>Whether the mapping allows writes.</summary>
    public bool IsWritable { get; }

    /// <summary>The first byte of the mapping. Valid until <see cref="Dispose"/>.</summary>
    public byte* Pointer
    {
        get
        {
            ObjectDisposedException.ThrowIf(_pointer == null, this);
            return _pointer;
        }
    }

    /// <summary>The open file handle under the mapping (for fdatasync, reads and writes).</summary>
    public SafeFileHandle Handle => _handle;

    /// <summary>Maps the whole of an existing file. The file must not be empty.</summary>
    /// <param name="path">The file to map.</param>
    /// <param name="writable">Map for reading and writing (the file is opened read-write) or read-only.</param>
    /// <returns>The mapping; dispose it to unmap and close the file.</returns>
    public static MappedFile Open(string path, bool writable)
    {
        SafeFileHandle handle = File.OpenHandle(
            path, FileMode.Open, writable ? FileAccess.ReadWrite : FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        try
        {
            long lengthBytes = RandomAccess.GetLength(handle);
            if (lengthBytes <= 0)
            {
                throw new IOException($"{path}: cannot map an empty file");
            }

            return Map(handle, lengthBytes, path, writable);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static MappedFile Map(SafeFileHandle handle, long lengthBytes, string path, bool writable)
    {
        int protection = writable ? Libc.ProtRead | Libc.ProtWrite : Libc.ProtRead;
        void* address = Libc.MMap(null, (nuint)lengthBytes, protection, Libc.MapShared, (int)handle.DangerousGetHandle(), 0);
        if (address == Libc.MapFailed)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new IOException($"{path}: mmap of {lengthBytes} bytes failed ({Libc.Describe(errno)})");
        }

        return new MappedFile(handle, (byte*)address, lengthBytes, path, writable);
    }

    /// <summary>A writable view of <paramref name="lengthBytes"/> bytes at <paramref name="offset"/>.</summary>
    /// <param name="offset">Byte offset in the file.</param>
    /// <param name="lengthBytes">Number of bytes.</param>
    /// <returns>The bytes, valid until <see cref="Dispose"/>.</returns>
    public Span<byte> GetSpan(long offset, int lengthBytes)
    {
        CheckRange(offset, lengthBytes);
        Invariant.Check(IsWritable, "a writable span was requested from a read-only mapping");
        return new Span<byte>(Pointer + offset, lengthBytes);
    }

    /// <summary>A read-only view of <paramref name="lengthBytes"/> bytes at <paramref name="offset"/>.</summary>
    /// <param name="offset">Byte offset in the file.</param>
    /// <param name="lengthBytes">Number of bytes.</param>
    /// <returns>The bytes, valid until <see cref="Dispose"/>.</returns>
    public ReadOnlySpan<byte> GetReadOnlySpan(long offset, int lengthBytes)
    {
        CheckRange(offset, lengthBytes);
        return new ReadOnlySpan<byte>(Pointer + offset, lengthBytes);
    }

    /// <summary>
    /// Makes the pages overlapping [offset, offset + lengthBytes) durable with msync(MS_SYNC), which on Linux
    /// writes and waits for that range only (a data sync of the range: file size and times are not forced).
    /// A failure is fatal (<see cref="StorageFatalException"/>); see that type for why it is never retried.
    /// </summary>
    /// <param name="offset">First byte to make durable.</param>
    /// <param name="lengthBytes">Number of bytes.</param>
    public void SyncRange(long offset, long lengthBytes)
    {
        if (lengthBytes <= 0)
        {
            return;
        }

        CheckRange(offset, lengthBytes);
        long start = AlignDown(offset);
        long end = Math.Min(AlignUp(offset + lengthBytes), LengthBytes);
        if (Libc.MSync(Pointer + start, (nuint)(end - start), Libc.MsSync) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new StorageFatalException($"{FilePath}: msync of bytes [{start}, {end}) failed ({Libc.Describe(errno)}); the data written there may be lost");
        }
    }

    /// <summary>
    /// Makes every dirty page of the file durable with fdatasync. A failure is fatal
    /// (<see cref="StorageFatalException"/>).
    /// </summary>
    public void SyncData() => DurableFile.SyncData(_handle, FilePath);

    /// <summary>
    /// Unmaps the resident pages that lie wholly inside [offset, offset + lengthBytes) from this process
    /// (madvise MADV_DONTNEED) so they stop counting in its RSS. The data stays in the file and usually in
    /// the kernel's page cache; the next access faults it back in. Dirty pages are not lost: for a shared
    /// file mapping the kernel keeps them dirty in the page cache. Callers still only drop synced ranges,
    /// so that a later sync has nothing of theirs left to write.
    /// </summary>
    /// <param name="offset">First byte of the range.</param>
    /// <param name="lengthBytes">Number of bytes.</param>
    /// <returns>The number of bytes given back (whole pages only).</returns>
    public long DropResidentPages(long offset, long lengthBytes)
    {
        CheckRange(offset, lengthBytes);
        long start = AlignUp(offset);
        long end = AlignDown(offset + lengthBytes);
        if (end <= start)
        {
            return 0;
        }

        // Advice only: a failure costs memory, not data, so it is reported as "nothing dropped".
        return Libc.MAdvise(Pointer + start, (nuint)(end - start), Libc.MadvDontNeed) == 0 ? end - start : 0;
    }

    /// <summary>Unmaps the file and closes its handle.</summary>
    public void Dispose()
    {
        if (_pointer != null)
        {
            Libc.MUnmap(_pointer, (nuint)LengthBytes);
            _pointer = null;
        }

        _handle.Dispose();
    }

    /// <summary>Rounds <paramref name="offset"/> down to a page boundary.</summary>
    public static long AlignDown(long offset) => offset & ~(long)(PageBytes - 1);

    /// <summary>Rounds <paramref name="offset"/> up to a page boundary.</summary>
    public static long AlignUp(long offset) => (offset + PageBytes - 1) & ~(long)(PageBytes - 1);

    private void CheckRange(long offset, long lengthBytes)
    {
        if (offset < 0 || lengthBytes < 0 || offset > LengthBytes - lengthBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"[{offset}, {offset + lengthBytes}) is outside the mapping of {FilePath} ({LengthBytes} bytes)");
        }
    }
}
