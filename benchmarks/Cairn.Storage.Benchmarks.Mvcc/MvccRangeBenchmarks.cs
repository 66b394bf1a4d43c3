using BenchmarkDotNet.Attributes;
using Cairn.Protocol.Etcd;
using Google.Protobuf;

namespace Cairn.Storage.Benchmarks.Mvcc;

/// <summary>Serializable reads from a store of 100k keys with 256-byte values.</summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 8)]
public class MvccRangeBenchmarks
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
    public int GetOneKey() => _store.Store.Range(new RangeRequest { Key = _store.Key(_next++ % Keys) }).Kvs.Count;

    /// <summary>A kube-apiserver style page: one namespace's pods, limit 100 (count covers the whole prefix).</summary>
    [Benchmark]
    public int ListPageOf100()
    {
        ByteString prefix = ByteString.CopyFromUtf8($"/registry/pods/ns-{_next++ % 100:D2}/");
        return _store.Store.Range(new RangeRequest
        {
            Key = prefix, RangeEnd = ByteString.CopyFrom(Cairn.Storage.Mvcc.KeyRange.PrefixEnd(prefix.Span)), Limit = 100,
        }).Kvs.Count;
    }

    [Benchmark]
    public long CountAllKeys() => _store.Store.Range(new RangeRequest
    {
        Key = ByteString.CopyFrom([0]), RangeEnd = ByteString.CopyFrom([0]), CountOnly = true,
    }).Count;
}
