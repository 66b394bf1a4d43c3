using System.Diagnostics;
using System.Globalization;
using Cairn.Storage.Durability;
using Microsoft.Win32.SafeHandles;

namespace Cairn.Storage.Benchmarks;

/// <summary>
/// Raw write+sync latency of the variants a WAL can choose between, measured side by side (no WAL code):
/// pwrite or a write through a mapping; 300-byte appends (consecutive appends rewrite the same page) or a
/// fresh 4 KiB page per sync; a zero-filled (written extents) or fallocated (unwritten extents) file;
/// fdatasync or msync. Usage: <c>-- probe [operations]</c>.
/// </summary>
internal static class SyncProbe
{
    private const int FileBytes = 64 * 1024 * 1024;

    internal static void Run(int operations)
    {
        Console.WriteLine($"raw write + sync, {operations} operations per variant (us)");
        Console.WriteLine("variant                                   |   p50 |   p90 |   p99 |  mean");
        foreach (bool zeroFilled in new[] { true, false })
        {
            foreach (bool mapped in new[] { false, true })
            {
                foreach (int stepBytes in new[] { 300, 4096 })
                {
                    RunVariant(operations, zeroFilled, mapped, stepBytes, msync: false);
                    if (mapped)
                    {
                        RunVariant(operations, zeroFilled, mapped, stepBytes, msync: true);
                    }
                }
            }
        }
    }

    private static void RunVariant(int operations, bool zeroFilled, bool mapped, int stepBytes, bool msync)
    {
        string directory = BenchmarkDirectory.Create("probe");
        string path = Path.Combine(directory, "file");
        try
        {
            using (SafeFileHandle handle = File.OpenHandle(path, FileMode.Create, FileAccess.ReadWrite))
            {
                DurableFile.Preallocate(handle, FileBytes, path);
                if (zeroFilled)
                {
                    DurableFile.ZeroFill(handle, FileBytes);
                }

                DurableFile.SyncAll(handle, path);
            }

            Thread.Sleep(1000);
            using MappedFile file = MappedFile.Open(path, writable: true);
            double[] latencies = Measure(file, operations, mapped, stepBytes, msync);
            Array.Sort(latencies);
            string name = $"{(zeroFilled ? "zero-filled" : "fallocated")} {(mapped ? "mmap" : "pwrite")} {(stepBytes == 300 ? "300 B appends" : "4 KiB pages")} {(msync ? "msync" : "fdatasync")}";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-41} | {latencies[latencies.Length / 2],5:F0} | {latencies[latencies.Length * 9 / 10],5:F0} | {latencies[latencies.Length * 99 / 100],5:F0} | {latencies.Average(),5:F0}"));
        }
        finally
        {
            BenchmarkDirectory.Delete(directory);
        }
    }

    private static double[] Measure(MappedFile file, int operations, bool mapped, int stepBytes, bool msync)
    {
        byte[] data = new byte[stepBytes];
        Random.Shared.NextBytes(data);
        double[] latencies = new double[operations];
        long offset = 0;
        for (int i = 0; i < operations; i++)
        {
            long started = Stopwatch.GetTimestamp();
            if (mapped)
            {
                data.CopyTo(file.GetSpan(offset, data.Length));
            }
            else
            {
                RandomAccess.Write(file.Handle, data, offset);
            }

            if (msync)
            {
                file.SyncRange(offset, data.Length);
            }
            else
            {
                file.SyncData();
            }

            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
            offset += stepBytes;
        }

        return latencies;
    }
}
