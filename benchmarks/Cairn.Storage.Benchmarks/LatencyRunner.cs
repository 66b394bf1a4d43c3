using System.Diagnostics;
using System.Globalization;
using Cairn.Storage.Wal;

namespace Cairn.Storage.Benchmarks;

/// <summary>
/// Per-append latency percentiles, throughput, appends per sync and CPU per append for 1, 16 and 256
/// concurrent writers of 300-byte entries (BenchmarkDotNet reports means per invocation, not per-append
/// percentiles). Usage: <c>dotnet run -c Release --project benchmarks/Cairn.Storage.Benchmarks -- latency [seconds]</c>.
/// </summary>
internal static class LatencyRunner
{
    private static readonly int[] WriterCounts = [1, 16, 256];

    internal static void Run(int seconds, string rows)
    {
        WalOptions options = Options();
        Console.WriteLine($"WAL append latency, 300-byte entries, {seconds} s per row, {Environment.ProcessorCount} CPUs, sync {options.SyncMethod}, preallocation {options.Preallocation}");
        Console.WriteLine("writers | appends/s | p50 us | p90 us | p99 us | p99.9 us | appends/sync | mean sync us | CPU us/append (user+kernel)");
        foreach (int writers in WriterCounts)
        {
            if (rows == "all" || rows == writers.ToString(CultureInfo.InvariantCulture))
            {
                RunOne(writers, seconds, synchronous: false);
            }
        }

        if (rows is "all" or "sync")
        {
            RunOne(1, seconds, synchronous: true);
        }

        Console.WriteLine("(the last row: one thread calling the synchronous Append with one entry per call, as a Raft loop does)");
    }

    private static void RunOne(int writers, int seconds, bool synchronous)
    {
        string directory = BenchmarkDirectory.Create("wal-latency");
        try
        {
            using WriteAheadLog wal = WriteAheadLog.Open(directory, Options());

            // Let the background preparation of the next segment finish first: it is a one-off burst of
            // writes per segment (64 MiB), measured separately, and would otherwise dominate a 5 s run.
            Thread.Sleep(SettleMilliseconds);
            Func<WriteAheadLog, int, TimeSpan, List<double>> measure = synchronous ? MeasureSynchronous : Measure;
            measure(wal, writers, TimeSpan.FromSeconds(1));
            WalStatistics before = wal.Statistics;
            using Process process = Process.GetCurrentProcess();
            TimeSpan userBefore = process.UserProcessorTime;
            TimeSpan kernelBefore = process.PrivilegedProcessorTime;
            var stopwatch = Stopwatch.StartNew();
            List<double> latencies = measure(wal, writers, TimeSpan.FromSeconds(seconds));
            double elapsedSeconds = stopwatch.Elapsed.TotalSeconds;
            process.Refresh();
            double userMicroseconds = (process.UserProcessorTime - userBefore).TotalMicroseconds;
            double kernelMicroseconds = (process.PrivilegedProcessorTime - kernelBefore).TotalMicroseconds;
            WalStatistics after = wal.Statistics;
            long syncs = after.Syncs - before.Syncs;
            latencies.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{(synchronous ? "1 sync" : writers.ToString(CultureInfo.InvariantCulture)),7} | {latencies.Count / elapsedSeconds,9:F0} | {Percentile(latencies, 0.50),6:F0} | {Percentile(latencies, 0.90),6:F0} | {Percentile(latencies, 0.99),6:F0} | {Percentile(latencies, 0.999),8:F0} | {(double)latencies.Count / syncs,12:F1} | {(double)(after.SyncMicrosecondsTotal - before.SyncMicrosecondsTotal) / syncs,12:F0} | {(userMicroseconds + kernelMicroseconds) / latencies.Count,6:F1} ({userMicroseconds / latencies.Count:F1}+{kernelMicroseconds / latencies.Count:F1})"));
        }
        finally
        {
            BenchmarkDirectory.Delete(directory);
        }
    }

    private static int SettleMilliseconds =>
        int.Parse(Environment.GetEnvironmentVariable("CAIRN_BENCH_SETTLE_MS") ?? "3000", CultureInfo.InvariantCulture);

    /// <summary>Default WAL options, except what CAIRN_BENCH_SYNC (Fdatasync|MsyncRange) and CAIRN_BENCH_PREALLOCATION (ZeroFill|Fallocate) say.</summary>
    internal static WalOptions Options() => new()
    {
        SyncMethod = Enum.Parse<WalSyncMethod>(Environment.GetEnvironmentVariable("CAIRN_BENCH_SYNC") ?? new WalOptions().SyncMethod.ToString()),
        Preallocation = Enum.Parse<WalPreallocation>(Environment.GetEnvironmentVariable("CAIRN_BENCH_PREALLOCATION") ?? new WalOptions().Preallocation.ToString()),
    };

    private static List<double> Measure(WriteAheadLog wal, int writers, TimeSpan duration)
    {
        byte[] data = new byte[300];
        long deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var perWriter = new List<double>[writers];
        var tasks = new Task[writers];
        for (int writer = 0; writer < writers; writer++)
        {
            var latencies = perWriter[writer] = new List<double>(1 << 16);
            tasks[writer] = Task.Run(async () =>
            {
                while (Stopwatch.GetTimestamp() < deadline)
                {
                    long started = Stopwatch.GetTimestamp();
                    await wal.AppendAsync(1, 0, data);
                    latencies.Add(Stopwatch.GetElapsedTime(started).TotalMicroseconds);
                }
            });
        }

        Task.WaitAll(tasks);
        return perWriter.SelectMany(list => list).ToList();
    }

    private static List<double> MeasureSynchronous(WriteAheadLog wal, int writers, TimeSpan duration)
    {
        byte[] data = new byte[300];
        var entry = new WalEntry[1];
        var latencies = new List<double>(1 << 16);
        long deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        ulong index = wal.LastIndex;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            long started = Stopwatch.GetTimestamp();
            entry[0] = new WalEntry(++index, 1, 0, data);
            wal.Append(entry);
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMicroseconds);
        }

        return latencies;
    }

    private static double Percentile(List<double> sorted, double quantile) =>
        sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)(quantile * sorted.Count))];
}
