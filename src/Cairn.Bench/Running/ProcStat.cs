using System.Globalization;
using System.Runtime.InteropServices;

namespace Cairn.Bench.Running;

/// <summary>
/// Process figures from Linux's /proc: CPU time (utime + stime of every thread, dead ones included, from
/// /proc/PID/stat) and resident memory (VmRSS from /proc/PID/status).
/// </summary>
internal static partial class ProcStat
{
    private static readonly double s_ticksPerSecond = ReadClockTicks();

    /// <summary>CPU time (user + system) the process has used so far, in seconds; null if the process is gone.</summary>
    public static double? CpuSeconds(int pid)
    {
        string? stat = ReadOrNull($"/proc/{pid}/stat");
        if (stat is null)
        {
            return null;
        }

        // The command name (field 2) is in parentheses and may contain spaces; fields are counted after it.
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        long utime = long.Parse(fields[11], CultureInfo.InvariantCulture); // field 14 overall
        long stime = long.Parse(fields[12], CultureInfo.InvariantCulture); // field 15 overall
        return (utime + stime) / s_ticksPerSecond;
    }

    /// <summary>Resident memory (VmRSS) in bytes; null if the process is gone.</summary>
    public static long? RssBytes(int pid) => StatusKilobytes(pid, "VmRSS:") * 1024;

    /// <summary>Peak resident memory (VmHWM) in bytes; null if the process is gone.</summary>
    public static long? PeakRssBytes(int pid) => StatusKilobytes(pid, "VmHWM:") * 1024;

    /// <summary>The CPU time of this process, in seconds.</summary>
    public static double SelfCpuSeconds() => CpuSeconds(Environment.ProcessId) ?? 0;

    private static long? StatusKilobytes(int pid, string field)
    {
        string? status = ReadOrNull($"/proc/{pid}/status");
        if (status is null)
        {
            return null;
        }

        foreach (string line in status.Split('\n'))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                string number = line[field.Length..].Trim().Split(' ')[0];
                return long.Parse(number, CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    private static string? ReadOrNull(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static double ReadClockTicks()
    {
        const int ScClkTck = 2; // _SC_CLK_TCK on Linux
        long ticks = OperatingSystem.IsLinux() ? SysConf(ScClkTck) : -1;
        return ticks > 0 ? ticks : 100;
    }

    [LibraryImport("libc", EntryPoint = "sysconf")]
    private static partial long SysConf(int name);
}
