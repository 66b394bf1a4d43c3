using System.IO.MemoryMappedFiles;

namespace Cairn.Storage.Mvcc;

/// <summary>
/// One memory-mapped file that holds value bytes: a value-log segment (appended with positional writes, never
/// fsynced: it is rebuilt from the snapshot and the WAL after a restart) or a loaded snapshot file (read-only; its
/// values are used where they lie instead of being copied).
/// </summary>
/// <remarks>
/// Values are written with <c>pwrite</c> and read through a read-only shared mapping of the same file: Linux serves
/// both from one page cache, and pages only count towards the process RSS once a reader touches them (clean file
/// pages the kernel can drop under memory pressure), unlike heap memory.
/// </remarks>
internal sealed unsafe class ValueSpace : IDisposable
{
    private readonly FileStream _file;
    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _base;
    private bool _disposed;

    private ValueSpace(ushort id, string path, FileStream file, long capacityBytes, bool isLogSegment)
    {
        Id = id;
        Path = path;
        _file = file;
        CapacityBytes = capacityBytes;
        IsLogSegment = isLogSegment;
        _map = MemoryMappedFile.CreateFromFile(
            file, mapName: null, capacityBytes, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: true);
        _view = _map.CreateViewAccessor(0, capacityBytes, MemoryMappedFileAccess.Read);
        byte* pointer = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        _base = pointer + _view.PointerOffset;
    }

    /// <summary>The space's ID (the top 16 bits of a value reference).</summary>
    public ushort Id { get; }

    /// <summary>The file behind the mapping.</summary>
    public string Path { get; }

    /// <summary>True for a value-log segment, false for a loaded snapshot file.</summary>
    public bool IsLogSegment { get; }

    /// <summary>Mapped size.</summary>
    public long CapacityBytes { get; }

    /// <summary>Bytes appended so far (log segments) or the file size (snapshots).</summary>
    public long UsedBytes { get; internal set; }

    /// <summary>Bytes still referenced by live records (kept by the apply thread; drives value-space compaction).</summary>
    public long LiveBytes { get; internal set; }

    /// <summary>Creates a sparse segment file of the given capacity and maps it.</summary>
    public static ValueSpace CreateSegment(ushort id, string path, long capacityBytes)
    {
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0);
        try
        {
            file.SetLength(capacityBytes);
            return new ValueSpace(id, path, file, capacityBytes, isLogSegment: true);
        }
        catch
        {
            file.Dispose();
            File.Delete(path);
            throw;
        }
    }

    /// <summary>Maps an existing file read-only (a snapshot whose values stay where they are).</summary>
    public static ValueSpace OpenReadOnly(ushort id, string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 0);
        try
        {
            long length = file.Length;
            return new ValueSpace(id, path, file, Math.Max(1, length), isLogSegment: false) { UsedBytes = length };
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>The mapped bytes at <paramref name="offset"/>.</summary>
    public ReadOnlySpan<byte> Read(long offset, int length)
    {
        Invariant.Check(offset >= 0 && offset + length <= UsedBytes, "value reference outside its value space");
        return new ReadOnlySpan<byte>(_base + offset, length);
    }

    /// <summary>Writes bytes at the end of a log segment (positional write, no fsync).</summary>
    public void Write(long offset, ReadOnlySpan<byte> bytes)
    {
        Invariant.Check(IsLogSegment && offset + bytes.Length <= CapacityBytes, "value write outside its segment");
        RandomAccess.Write(_file.SafeFileHandle, bytes, offset);
    }

    /// <summary>Takes the mapping's pages out of the resident set (see <see cref="PageAdvice"/>). Safe while readers
    /// read: this is a shared, read-only file mapping.</summary>
    public void DropResidentPages()
    {
        if (!_disposed)
        {
            PageAdvice.DontNeedPages(_base, CapacityBytes);
        }
    }

    /// <summary>Unmaps and closes the file; deletes it if it is a log segment.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _map.Dispose();
        _file.Dispose();
        if (IsLogSegment)
        {
            File.Delete(Path);
        }
    }
}
