using BenchmarkDotNet.Attributes;
using Cairn.Protocol.Etcd;

namespace Cairn.Storage.Benchmarks.Mvcc;

/// <summary>Put of a 256-byte value into a store of 100k keys: overwriting an existing key, and creating a new one.</summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 8)]
public class MvccPutBenchmarks
{
    private BenchmarkStore _store = null!;
    private int _next;

    [Params(100_000)]
    public int Keys { get; set; }

    [GlobalSetup]
    public void Setup() => _store = new BenchmarkStore(Keys, valueBytes: 256);

    [GlobalCleanup]
    public void Cleanup() => _store.Dispose();

    [Benchmark]
    public long PutExistingKey() =>
        _store.Store.Put(new PutRequest { Key = _store.Key(_next++ % Keys), Value = _store.Value }).Header.Revision;

    [Benchmark]
    public long PutNewKey() =>
        _store.Store.Put(new PutRequest { Key = _store.Key(Keys + _next++), Value = _store.Value }).Header.Revision;

    [Benchmark]
    public long TxnCompareAndPut()
    {
        int key = _next++ % Keys;
        var txn = new TxnRequest();
        txn.Compare.Add(new Compare
        {
            Key = _store.Key(key), Target = Compare.Types.CompareTarget.Mod, Result = Compare.Types.CompareResult.Greater, ModRevision = 0,
        });
        txn.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = _store.Key(key), Value = _store.Value } });
        txn.Failure.Add(new RequestOp { RequestRange = new RangeRequest { Key = _store.Key(key) } });
        return _store.Store.Txn(txn).Header.Revision;
    }
}
