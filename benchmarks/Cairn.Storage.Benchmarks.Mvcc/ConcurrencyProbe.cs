using System.Diagnostics;
using Cairn.Protocol.Etcd;
using Google.Protobuf;

namespace Cairn.Storage.Benchmarks.Mvcc;

/// <summary>
/// The concurrency scheme under load: one writer (the apply thread's role) puts while reader threads run serializable
/// gets or list pages against the same 100k-key store. Reports throughput of both sides and the writer's put latency
/// percentiles, alone and beside the readers, plus GC pause time per phase.
/// </summary>
public static class ConcurrencyProbe
{
    private static readonly TimeSpan Phase = TimeSpan.FromSeconds(4);

    public static int Run(int readers)
    {
        using var store = new BenchmarkStore(100_000, valueBytes: 256);
        Report("writer alone", Write(store, Phase), reads: null);
        Report($"{readers} readers alone (gets)", null, WithReaders(store, readers, pages: false, writer: false));
        foreach (bool pages in new[] { false, true })
        {
            (WriteStats write, double reads) = WithReadersAndWriter(store, readers, pages);
            Report($"writer + {readers} readers ({(pages ? "list pages of 500" : "gets")})", write, reads);
        }

        return 0;
    }

    private static void Report(string phase, WriteStats? write, double? reads)
    {
        string w = write is { } s
            ? $"{s.PutsPerSecond:F0} puts/s, put latency p50 {s.P50Us:F1} µs p99 {s.P99Us:F1} µs p99.9 {s.P999Us:F0} µs max {s.MaxUs / 1000:F1} ms, GC pauses {s.GcPauseMs:F0} ms"
            : "";
        string r = reads is { } rate ? $"readers {rate:F0} ops/s" : "";
        Console.WriteLine($"{phase}: {w}{(w.Length > 0 && r.Length > 0 ? "; " : "")}{r}");
    }

    private static (WriteStats Write, double Reads) WithReadersAndWriter(BenchmarkStore store, int readers, bool pages)
    {
        WriteStats write = default;
        double reads = WithReaders(store, readers, pages, writer: true, onWriter: () => write = Write(store, Phase));
        return (write, reads);
    }

    private static double WithReaders(BenchmarkStore store, int readers, bool pages, bool writer, Action? onWriter = null)
    {
        using var stop = new CancellationTokenSource();
        long operations = 0;
        Thread[] threads = Enumerable.Range(0, readers).Select(r => new Thread(() =>
        {
            var random = new Random(r);
            while (!stop.IsCancellationRequested)
            {
                Read(store, random, pages);
                Interlocked.Increment(ref operations);
            }
        })).ToArray();
        var clock = Stopwatch.StartNew();
        foreach (Thread thread in threads)
        {
            thread.Start();
        }

        if (writer)
        {
            onWriter!();
        }
        else
        {
            Thread.Sleep(Phase);
        }

        stop.Cancel();
        foreach (Thread thread in threads)
        {
            thread.Join();
        }

        return operations / clock.Elapsed.TotalSeconds;
    }

    private static void Read(BenchmarkStore store, Random random, bool pages)
    {
        if (!pages)
        {
            store.Store.Range(new RangeRequest { Key = store.Key(random.Next(100_000)) });
            return;
        }

        ByteString prefix = ByteString.CopyFromUtf8($"/registry/pods/ns-{random.Next(100):D2}/");
        store.Store.Range(new RangeRequest
        {
            Key = prefix, RangeEnd = ByteString.CopyFrom(Cairn.Storage.Mvcc.KeyRange.PrefixEnd(prefix.Span)), Limit = 500,
        });
    }

    private static WriteStats Write(BenchmarkStore store, TimeSpan duration)
    {
        var latencies = new List<long>(1 << 20);
        TimeSpan pausesBefore = GC.GetTotalPauseDuration();
        var clock = Stopwatch.StartNew();
        int count = 0;
        while (clock.Elapsed < duration)
        {
            long start = Stopwatch.GetTimestamp();
            store.Store.Put(new PutRequest { Key = store.Key(count % 100_000), Value = store.Value });
            latencies.Add(Stopwatch.GetTimestamp() - start);
            count++;
        }

        double seconds = clock.Elapsed.TotalSeconds;
        latencies.Sort();
        double Us(double fraction) => latencies[(int)Math.Min(latencies.Count - 1, fraction * latencies.Count)] * 1e6 / Stopwatch.Frequency;
        return new WriteStats(count / seconds, Us(0.5), Us(0.99), Us(0.999), Us(1.0),
            (GC.GetTotalPauseDuration() - pausesBefore).TotalMilliseconds);
    }

    private readonly record struct WriteStats(double PutsPerSecond, double P50Us, double P99Us, double P999Us, double MaxUs, double GcPauseMs);
}
