namespace Cairn.StorageCrashTest;

/// <summary>Totals of a crash test run.</summary>
public sealed class CrashTestSummary
{
    /// <summary>Kill-and-verify cycles completed.</summary>
    public int Cycles { get; set; }

    /// <summary>Cycles in which the child was killed before it finished opening the WAL.</summary>
    public int KilledBeforeReady { get; set; }

    /// <summary>Acknowledged records checked present and intact, summed over cycles.</summary>
    public long AcknowledgedChecked { get; set; }

    /// <summary>Recoveries that found and repaired a torn tail.</summary>
    public int TornTailsRepaired { get; set; }

    /// <summary>Adds one cycle's verification result.</summary>
    public void Add(CrashCycleResult result)
    {
        AcknowledgedChecked += result.AcknowledgedChecked;
        TornTailsRepaired += result.TornTailRepaired ? 1 : 0;
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"{AcknowledgedChecked} acknowledged records checked, {TornTailsRepaired} torn tails repaired, {KilledBeforeReady} kills during start-up";
}

/// <summary>What one verification found.</summary>
public readonly record struct CrashCycleResult(long AcknowledgedChecked, bool TornTailRepaired);
