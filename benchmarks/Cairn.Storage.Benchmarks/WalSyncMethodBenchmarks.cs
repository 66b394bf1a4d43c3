using BenchmarkDotNet.Attributes;
using Cairn.Storage.Wal;

namespace Cairn.Storage.Benchmarks;

/// <summary>
/// One writer, synchronous API (a Raft loop persisting one 300-byte entry per step): compares the sync
/// method (fdatasync vs msync of the batch's range) and the preallocation mode (zero-filled vs fallocated
/// segments, i.e. written vs unwritten extents).
/// </summary>
[MemoryDiagnoser]
public class WalSyncMethodBenchmarks
{
    private readonly WalEntry[] _entry = new WalEntry[1];
    private readonly byte[] _data = new byte[300];
    private string _directory = string.Empty;
    private WriteAheadLog _wal = null!;
    private ulong _nextIndex;

    [Params(WalSyncMethod.Fdatasync, WalSyncMethod.MsyncRange)]
    public WalSyncMethod SyncMethod { get; set; }

    [Params(WalPreallocation.ZeroFill, WalPreallocation.Fallocate)]
    public WalPreallocation Preallocation { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _directory = BenchmarkDirectory.Create("wal-sync");
        _wal = WriteAheadLog.Open(_directory, new WalOptions { SyncMethod = SyncMethod, Preallocation = Preallocation });
        _nextIndex = _wal.LastIndex + 1;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _wal.Dispose();
        BenchmarkDirectory.Delete(_directory);
    }

    [Benchmark]
    public void AppendOneEntryAndSync()
    {
        _entry[0] = new WalEntry(_nextIndex++, 1, 0, _data);
        _wal.Append(_entry);
    }
}
