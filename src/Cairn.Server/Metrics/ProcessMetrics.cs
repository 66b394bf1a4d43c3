using System.Diagnostics;

namespace Cairn.Server.Metrics;

/// <summary>The standard <c>process_*</c> metrics of the Prometheus client, read from /proc at scrape time.</summary>
public static class ProcessMetrics
{
    private static readonly double StartTimeSeconds = ReadStartTimeSeconds();

    /// <summary>Writes process_cpu_seconds_total, process_open_fds, process_resident_memory_bytes, process_start_time_seconds and process_virtual_memory_bytes.</summary>
    public static void WriteTo(PrometheusTextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Single("process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.",
            Environment.CpuUsage.TotalTime.TotalSeconds);
        if (CountOpenFileDescriptors() is int openFds)
        {
            writer.Single("process_open_fds", "gauge", "Number of open file descriptors.", openFds);
        }
        if (ReadMemoryBytes() is var (virtualBytes, residentBytes))
        {
            writer.Single("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.", residentBytes);
            writer.Single("process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.", virtualBytes);
        }
        writer.Single("process_start_time_seconds", "gauge", "Start time of the process since unix epoch in seconds.", StartTimeSeconds);
    }

    private static double ReadStartTimeSeconds()
    {
        using Process self = Process.GetCurrentProcess();
        return (self.StartTime.ToUniversalTime() - DateTime.UnixEpoch).TotalSeconds;
    }

    /// <summary>/proc/self/statm: total and resident size in pages; null where /proc is absent.</summary>
    private static (long VirtualBytes, long ResidentBytes)? ReadMemoryBytes()
    {
        try
        {
            string[] fields = File.ReadAllText("/proc/self/statm").Split(' ');
            long pageBytes = Environment.SystemPageSize;
            return (long.Parse(fields[0], System.Globalization.CultureInfo.InvariantCulture) * pageBytes,
                long.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture) * pageBytes);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static int? CountOpenFileDescriptors()
    {
        try
        {
            int count = 0;
            foreach (string _ in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
            {
                count++;
            }
            return count;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
