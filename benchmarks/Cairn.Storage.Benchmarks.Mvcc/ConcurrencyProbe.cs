using System.Diagnostics;
using Cairn.Protocol.Etcd;
using Google.Protobuf;

namespace Cairn.Storage.Benchmarks.Mvcc;

/// <summary>
/// The concurrency scheme under load: the apply thread writes while reader threads run serializable gets and
/// list pages. Reports put throughput and worst put latency with and without readers, and reader throughput.
/// </summary>
public static class ConcurrencyProbe
{
    public static int Run(int readers)
    {
        using var store = new BenchmarkStore(100_000, valueBytes: 256);
        (double alonePuts, double aloneWorstMs) = Write(store, TimeSpan.FromSeconds(3));
        Console.WriteLine($"writer alone: {alonePuts:F0} puts/s, worst put {aloneWorstMs:F2} ms");

        using var stop = new CancellationTokenSource();
        long gets = 0;
        long pages = 0;
        Thread[] threads = Enumerable.Range(0, readers).Select(r => new Thread(() =>
        {
            var random = new Random(r);
            while (!stop.IsCancellationRequested)
            {
                if (random.Next(10) == 0)
                {
                    ByteString prefix = ByteString.CopyFromUtf8($"/registry/pods/ns-{random.Next(100):D2}/");
                    store.Store.Range(new RangeRequest
                    {
                        Key = prefix, RangeEnd = ByteString.CopyFrom(Cairn.Storage.Mvcc.KeyRange.PrefixEnd(prefix.Span)), Limit = 500,
                    });
                    Interlocked.Increment(ref pages);
                }
                else
                {
                    store.Store.Range(new RangeRequest { Key = store.Key(random.Next(100_000)) });
                    Interlocked.Increment(ref gets);
                }
            }
        })).ToArray();
        foreach (Thread thread in threads)
        {
            thread.Start();
        }

        (double sharedPuts, double sharedWorstMs) = Write(store, TimeSpan.FromSeconds(5));
        stop.Cancel();
        foreach (Thread thread in threads)
        {
            thread.Join();
        }

        Console.WriteLine($"writer with {readers} readers: {sharedPuts:F0} puts/s, worst put {sharedWorstMs:F2} ms");
        Console.WriteLine($"readers: {gets / 5.0:F0} gets/s and {pages / 5.0:F0} list pages (limit 500 of ~1000 keys)/s in total");
        return 0;
    }

    private static (double PutsPerSecond, double WorstMs) Write(BenchmarkStore store, TimeSpan duration)
    {
        var clock = Stopwatch.StartNew();
        long worstTicks = 0;
        int count = 0;
        while (clock.Elapsed < duration)
        {
            long start = Stopwatch.GetTimestamp();
            store.Store.Put(new PutRequest { Key = store.Key(count % 100_000), Value = store.Value });
            worstTicks = Math.Max(worstTicks, Stopwatch.GetTimestamp() - start);
            count++;
        }

        return (count / clock.Elapsed.TotalSeconds, worstTicks * 1000.0 / Stopwatch.Frequency);
    }
}
