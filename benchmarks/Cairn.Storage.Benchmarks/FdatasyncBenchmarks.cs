using BenchmarkDotNet.Attributes;
using Cairn.Storage.Durability;
using Microsoft.Win32.SafeHandles;

namespace Cairn.Storage.Benchmarks;

/// <summary>
/// The physical floor under a durable append: write 300 bytes at the next position of a 64 MiB file and
/// make them durable, with no WAL code in between. Compares pwrite + fdatasync on a zero-filled file
/// (written extents), the same on a fallocated file (unwritten extents), and a write through a mapping +
/// msync of the touched page.
/// </summary>
public class FdatasyncBenchmarks
{
    private const int FileBytes = 64 * 1024 * 1024;
    private readonly byte[] _data = new byte[300];
    private string _directory = string.Empty;
    private SafeFileHandle _zeroFilled = null!;
    private SafeFileHandle _fallocated = null!;
    private MappedFile _mapped = null!;
    private long _offset;

    [GlobalSetup]
    public void Setup()
    {
        _directory = BenchmarkDirectory.Create("fdatasync");
        _zeroFilled = CreateFile("zero-filled", zeroFill: true);
        _fallocated = CreateFile("fallocated", zeroFill: false);
        CreateFile("mapped", zeroFill: true).Dispose();
        _mapped = MappedFile.Open(Path.Combine(_directory, "mapped"), writable: true);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _zeroFilled.Dispose();
        _fallocated.Dispose();
        _mapped.Dispose();
        BenchmarkDirectory.Delete(_directory);
    }

    [Benchmark(Baseline = true)]
    public void PwriteFdatasyncZeroFilled()
    {
        RandomAccess.Write(_zeroFilled, _data, NextOffset());
        DurableFile.SyncData(_zeroFilled, "zero-filled");
    }

    [Benchmark]
    public void PwriteFdatasyncFallocated()
    {
        RandomAccess.Write(_fallocated, _data, NextOffset());
        DurableFile.SyncData(_fallocated, "fallocated");
    }

    [Benchmark]
    public void MappedWriteMsync()
    {
        long offset = NextOffset();
        _data.CopyTo(_mapped.GetSpan(offset, _data.Length));
        _mapped.SyncRange(offset, _data.Length);
    }

    private long NextOffset()
    {
        // Wraps within the file; the fallocated file's extents become written as it goes, as a WAL segment's do.
        long offset = _offset;
        _offset = (_offset + _data.Length) % (FileBytes - _data.Length);
        return offset;
    }

    private SafeFileHandle CreateFile(string name, bool zeroFill)
    {
        string path = Path.Combine(_directory, name);
        SafeFileHandle handle = File.OpenHandle(path, FileMode.Create, FileAccess.ReadWrite);
        DurableFile.Preallocate(handle, FileBytes, path);
        if (zeroFill)
        {
            DurableFile.ZeroFill(handle, FileBytes);
        }

        DurableFile.SyncAll(handle, path);
        return handle;
    }
}
