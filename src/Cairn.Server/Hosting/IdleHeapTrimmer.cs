namespace Cairn.Server.Hosting;

/// <summary>
/// Gives memory back to the system once the server goes quiet after a burst. The workstation GC sizes its budgets from
/// the burst (a million puts leave ~330 MiB committed for ~170 MiB of live data) and, with no allocations afterwards,
/// never collects again, so the resident size stays at the peak. When the process has allocated almost nothing for a
/// few seconds and the committed heap grew since the last trim, one aggressive, compacting collection returns the
/// slack. It only runs when no requests arrive, so its pause (tens of ms per 100 MiB) meets no caller; under steady
/// load it never runs.
/// </summary>
public sealed class IdleHeapTrimmer : IDisposable
{
    /// <summary>How often the process is looked at.</summary>
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(2);

    /// <summary>Allocation per check below which the process counts as quiet (a few idle timers and lease ticks).</summary>
    public const long QuietAllocationBytes = 1024 * 1024;

    /// <summary>Quiet checks in a row before a trim.</summary>
    public const int QuietChecksBeforeTrim = 2;

    /// <summary>Growth of the committed heap since the last trim that makes a trim worth its pause.</summary>
    public const long MinCommittedGrowthBytes = 32 * 1024 * 1024;

    /// <summary>
    /// Above this committed heap the trim is skipped: a blocking full collection of that much memory could take long
    /// enough to delay raft heartbeats past a follower's election timeout.
    /// </summary>
    public const long MaxTrimmedHeapBytes = 768L * 1024 * 1024;

    private readonly Timer _timer;
    private long _allocatedAtLastCheck;
    private int _quietChecks;
    private long _committedAfterLastTrim;

    /// <summary>Starts checking.</summary>
    public IdleHeapTrimmer()
    {
        _allocatedAtLastCheck = GC.GetTotalAllocatedBytes();
        _committedAfterLastTrim = GC.GetGCMemoryInfo().TotalCommittedBytes;
        _timer = new Timer(_ => Check(), null, CheckInterval, CheckInterval);
    }

    /// <summary>Trims done so far.</summary>
    public int Trims { get; private set; }

    /// <summary>
    /// The decision, apart from the clock: trim when quiet for <see cref="QuietChecksBeforeTrim"/> checks in a row and
    /// the committed heap grew by <see cref="MinCommittedGrowthBytes"/> since the last trim, unless the heap is larger
    /// than <see cref="MaxTrimmedHeapBytes"/>.
    /// </summary>
    public static bool ShouldTrim(int quietChecks, long committedBytes, long committedAfterLastTrim) =>
        quietChecks >= QuietChecksBeforeTrim
        && committedBytes - committedAfterLastTrim >= MinCommittedGrowthBytes
        && committedBytes <= MaxTrimmedHeapBytes;

    /// <inheritdoc />
    public void Dispose() => _timer.Dispose();

    private void Check()
    {
        long allocated = GC.GetTotalAllocatedBytes();
        bool quiet = allocated - _allocatedAtLastCheck < QuietAllocationBytes;
        _allocatedAtLastCheck = allocated;
        _quietChecks = quiet ? _quietChecks + 1 : 0;
        long committed = GC.GetGCMemoryInfo().TotalCommittedBytes;
        if (!ShouldTrim(_quietChecks, committed, _committedAfterLastTrim))
        {
            if (committed < _committedAfterLastTrim)
            {
                _committedAfterLastTrim = committed; // the GC shrank on its own: measure growth from here
            }

            return;
        }

        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        _committedAfterLastTrim = GC.GetGCMemoryInfo().TotalCommittedBytes;
        _allocatedAtLastCheck = GC.GetTotalAllocatedBytes();
        _quietChecks = 0;
        Trims++;
    }
}
