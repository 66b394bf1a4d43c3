using System.Diagnostics;
using System.Text;

namespace Cairn.Raft.Simulation;

/// <summary>Runs many seeds (in parallel; each run is single-threaded and deterministic) and summarizes them.</summary>
internal static class SimulationRunner
{
    public static IReadOnlyList<SimulationResult> RunSeeds(ulong firstSeed, int seedCount, int ticks, RaftMutation mutations,
        int maxParallelism, Action<SimulationResult>? onResult = null)
    {
        var results = new SimulationResult[seedCount];
        var gate = new object();
        Parallel.For(0, seedCount, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, maxParallelism) }, i =>
        {
            SimulationResult result = Simulation.Run(new SimulationOptions(firstSeed + (ulong)i, ticks, mutations));
            results[i] = result;
            if (onResult is not null)
            {
                lock (gate)
                {
                    onResult(result);
                }
            }
        });
        return results;
    }

    /// <summary>Runs seeds one after another until one fails; returns how many seeds it took, or null.</summary>
    public static SimulationResult? FirstFailure(ulong firstSeed, int maxSeeds, int ticks, RaftMutation mutations, int maxParallelism)
    {
        // Batches keep the search parallel while still reporting the lowest failing seed of a batch.
        int batch = Math.Max(1, maxParallelism) * 2;
        for (int start = 0; start < maxSeeds; start += batch)
        {
            int count = Math.Min(batch, maxSeeds - start);
            IReadOnlyList<SimulationResult> results = RunSeeds(firstSeed + (ulong)start, count, ticks, mutations, maxParallelism);
            foreach (SimulationResult result in results)
            {
                if (!result.Passed)
                {
                    return result;
                }
            }
        }

        return null;
    }

    public static string FormatFailure(SimulationResult result)
    {
        var text = new StringBuilder();
        text.Append($"seed {result.Options.Seed} FAILED: {result.Failure}\n");
        text.Append($"  profile: {result.Profile.Describe()}\n");
        text.Append($"  last {result.Options.TraceEvents} events:\n");
        text.Append(result.Trace);
        text.Append($"  reproduce: {result.ReproduceCommand}\n");
        return text.ToString();
    }

    /// <summary>
    /// Min/median/p99/max of the ticks from healing to a leader followed by a majority, over the healings where no
    /// such leader existed when the faults stopped (the others are counted, not measured).
    /// </summary>
    public static string FormatLiveness(IReadOnlyList<SimulationResult> results)
    {
        int[] ticks = results.SelectMany(r => r.ElectionTicksAfterHeal).Order().ToArray();
        int healings = results.Sum(r => r.Stats.Healings);
        int withLeader = results.Sum(r => r.Stats.HealingsWithLeader);
        if (ticks.Length == 0)
        {
            return $"liveness: {healings} healings, {withLeader} with a leader already in place; no election needed";
        }

        int Percentile(double p) => ticks[Math.Min(ticks.Length - 1, (int)Math.Ceiling(p * ticks.Length) - 1)];
        return $"liveness: {healings} healings ({withLeader} with a leader already in place); the other {ticks.Length} elected one in " +
            $"min {ticks[0]} / median {Percentile(0.5)} / p99 {Percentile(0.99)} / max {ticks[^1]} ticks (bound: 20 election timeouts)";
    }

    public static string FormatTotals(IReadOnlyList<SimulationResult> results, TimeSpan elapsed, int ticks)
    {
        long delivered = results.Sum(r => r.Stats.MessagesDelivered);
        long writes = results.Sum(r => r.Stats.WritesAcknowledged);
        long reads = results.Sum(r => r.Stats.ReadsServed);
        long crashes = results.Sum(r => r.Stats.Crashes);
        long partitions = results.Sum(r => r.Stats.Partitions);
        long membership = results.Sum(r => r.Stats.MembershipChanges);
        long transfers = results.Sum(r => r.Stats.Transfers);
        long snapshots = results.Sum(r => r.Stats.SnapshotsSent);
        long leaders = results.Sum(r => r.Stats.LeadersElected);
        long caretakers = results.Sum(r => r.Stats.CaretakerLeaders);
        return $"{results.Count} seeds x {ticks} ticks in {elapsed.TotalSeconds:F1}s: {delivered:N0} messages delivered, " +
            $"{leaders:N0} leaders elected ({caretakers:N0} removed members as caretakers), {writes:N0} writes acknowledged, {reads:N0} linearizable reads checked, {crashes:N0} crashes, " +
            $"{partitions:N0} partitions, {membership:N0} membership changes, {transfers:N0} leader transfers, {snapshots:N0} snapshots sent";
    }

    public static Stopwatch StartTimer() => Stopwatch.StartNew();
}
