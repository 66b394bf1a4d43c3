using BenchmarkDotNet.Attributes;
using Cairn.Storage.Wal;

namespace Cairn.Storage.Benchmarks;

/// <summary>
/// Group-commit throughput: <see cref="Writers"/> concurrent callers each append 300-byte entries (the
/// size of a small put) through <see cref="WriteAheadLog.AppendAsync(ulong, byte, ReadOnlyMemory{byte})"/>
/// and wait for durability. One operation is one append; the time per operation is 1 / throughput.
/// </summary>
[MemoryDiagnoser]
public class WalAppendBenchmarks
{
    private const int AppendsPerInvocation = 4096;
    private readonly byte[] _data = new byte[300];
    private string _directory = string.Empty;
    private WriteAheadLog _wal = null!;

    [Params(1, 16, 256)]
    public int Writers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _directory = BenchmarkDirectory.Create("wal-append");
        _wal = WriteAheadLog.Open(_directory);
        Random.Shared.NextBytes(_data);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        WalStatistics statistics = _wal.Statistics;
        Console.WriteLine($"// {Writers} writers: {statistics.Records} appends, {statistics.Syncs} syncs, {(double)statistics.Records / statistics.Syncs:F1} appends per sync, mean sync {(double)statistics.SyncMicrosecondsTotal / statistics.Syncs:F0} us");
        _wal.Dispose();
        BenchmarkDirectory.Delete(_directory);
    }

    [IterationCleanup]
    public void ReleaseOldSegments()
    {
        // Keeps the disk footprint bounded over a long run, as a server does after snapshots.
        ulong last = _wal.LastIndex;
        if (last > 0)
        {
            _wal.MarkSnapshot(last, 1);
            _wal.ReleaseSegments();
        }
    }

    [Benchmark(OperationsPerInvoke = AppendsPerInvocation)]
    public async Task Append300Bytes()
    {
        var writers = new Task[Writers];
        int appendsPerWriter = AppendsPerInvocation / Writers;
        for (int writer = 0; writer < Writers; writer++)
        {
            writers[writer] = AppendManyAsync(appendsPerWriter);
        }

        await Task.WhenAll(writers);
    }

    private async Task AppendManyAsync(int count)
    {
        for (int i = 0; i < count; i++)
        {
            await _wal.AppendAsync(1, 0, _data);
        }
    }
}
