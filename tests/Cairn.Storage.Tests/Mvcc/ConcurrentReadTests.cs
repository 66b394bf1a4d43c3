using Cairn.Protocol.Etcd;
using Cairn.Storage.Tests.Support;
using static Cairn.Storage.Tests.Support.Kv;

namespace Cairn.Storage.Tests.Mvcc;

/// <summary>Lock-free readers against one writer: every read sees one consistent revision.</summary>
public sealed class ConcurrentReadTests
{
    [Fact]
    public async Task Readers_always_see_whole_transactions_and_monotonic_revisions()
    {
        using var fixture = new StoreFixture(o => new Cairn.Storage.Mvcc.MvccOptions
        {
            ValueDirectory = o.ValueDirectory, ValueSegmentBytes = 64 * 1024, MaintenanceBatchKeys = 50,
        });
        var store = fixture.Store;
        const int pairs = 50;
        using var stop = new CancellationTokenSource();
        var failures = new List<string>();
        long reads = 0;

        Task[] readers = Enumerable.Range(0, 3).Select(_ => Task.Run(() =>
        {
            long lastRevision = 0;
            while (!stop.IsCancellationRequested)
            {
                RangeResponse response = store.Range(Get("\0", "\0"));
                if (response.Header.Revision < lastRevision)
                {
                    lock (failures) { failures.Add("revision went backwards"); }
                }

                lastRevision = response.Header.Revision;
                CheckPairs(response, failures);
                Interlocked.Increment(ref reads);
            }
        })).ToArray();

        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (int round = 1; round <= 2000 || (Interlocked.Read(ref reads) < 300 && clock.Elapsed.TotalSeconds < 20); round++)
        {
            var txn = new TxnRequest();
            int pair = round % pairs;
            string value = round.ToString() + new string('x', round % 300);
            txn.Success.Add(OpPut($"a{pair:D3}", value));
            txn.Success.Add(OpPut($"b{pair:D3}", value));
            store.Txn(txn);
            if (round % 50 == 0)
            {
                store.Compact(new CompactionRequest { Revision = store.CurrentRevision - 10 }, out _);
            }

            store.RunMaintenanceStep();
        }

        stop.Cancel();
        await Task.WhenAll(readers);
        Assert.Empty(failures);
        Assert.True(reads >= 300, $"only {reads} reads ran");
    }

    private static void CheckPairs(RangeResponse response, List<string> failures)
    {
        var values = response.Kvs.ToDictionary(kv => S(kv.Key), kv => S(kv.Value));
        foreach ((string key, string value) in values)
        {
            if (key[0] == 'a' && (!values.TryGetValue("b" + key[1..], out string? other) || other != value))
            {
                lock (failures) { failures.Add($"torn txn at {key}: {value} vs {other}"); }
            }
        }
    }
}
