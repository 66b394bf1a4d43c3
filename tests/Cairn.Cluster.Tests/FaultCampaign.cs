using System.Globalization;

namespace Cairn.Cluster.Tests;

/// <summary>
/// How long each fault scenario runs. CAIRN_FAULT_PHASE_SECONDS (default 4) is the length of each phase
/// (load before the fault, during it, after it); raise it for long campaigns, e.g. 60.
/// </summary>
internal static class FaultCampaign
{
    public static TimeSpan Phase { get; } = TimeSpan.FromSeconds(
        double.TryParse(Environment.GetEnvironmentVariable("CAIRN_FAULT_PHASE_SECONDS"), NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds > 0
            ? seconds
            : 4);

    /// <summary>Generous waits for elections and restarts on a loaded 2-core machine.</summary>
    public static TimeSpan ElectionTimeout { get; } = TimeSpan.FromSeconds(30);
}
