namespace Cairn.Storage.Benchmarks.Mvcc;

/// <summary>Resident memory of this process from /proc/self/status (Linux), and the managed heap.</summary>
public readonly record struct ProcessMemory(long RssBytes, long RssAnonBytes, long RssFileBytes, long ManagedHeapBytes, long GcCommittedBytes)
{
    public static ProcessMemory Measure(bool aggressive = false)
    {
        for (int i = 0; i < 2; i++)
        {
            GC.Collect(GC.MaxGeneration, aggressive ? GCCollectionMode.Aggressive : GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        long managed = GC.GetTotalMemory(forceFullCollection: true);
        GCMemoryInfo info = GC.GetGCMemoryInfo();
        long rss = 0, anon = 0, file = 0;
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            rss = line.StartsWith("VmRSS:", StringComparison.Ordinal) ? Kilobytes(line) : rss;
            anon = line.StartsWith("RssAnon:", StringComparison.Ordinal) ? Kilobytes(line) : anon;
            file = line.StartsWith("RssFile:", StringComparison.Ordinal) ? Kilobytes(line) : file;
        }

        return new ProcessMemory(rss, anon, file, managed, info.TotalCommittedBytes);
    }

    private static long Kilobytes(string line) =>
        long.Parse(line.Split(':', StringSplitOptions.TrimEntries)[1].Split(' ')[0]) * 1024;

    public static string Mb(long bytes) => $"{bytes / (1024.0 * 1024.0):F1} MiB";

    public override string ToString() =>
        $"RSS {Mb(RssBytes)} (anon {Mb(RssAnonBytes)}, file {Mb(RssFileBytes)}), managed heap {Mb(ManagedHeapBytes)}, GC committed {Mb(GcCommittedBytes)}";
}
