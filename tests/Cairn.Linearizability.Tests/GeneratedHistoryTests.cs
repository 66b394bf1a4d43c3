using System.Diagnostics;
using Cairn.Linearizability;

namespace Cairn.Linearizability.Tests;

public sealed class GeneratedHistoryTests
{
    private const int Seeds = 60;

    [Fact]
    public void Simulated_linearizable_histories_with_unknown_outcomes_always_pass()
    {
        for (int seed = 0; seed < Seeds; seed++)
        {
            SimulatedHistory history = SimulatedHistory.Generate(seed, clients: 1 + (seed % 6), keys: 1 + (seed % 3), operationCount: 300, unknownRate: 0.05);
            CheckResult result = LinearizabilityChecker.Check(history.Operations);
            Assert.True(result.Verdict == Verdict.Linearizable, $"seed {seed}: {result}");
        }
    }

    [Fact]
    public void Histories_where_a_third_of_the_outcomes_are_unknown_still_pass_quickly()
    {
        var stopwatch = Stopwatch.StartNew();
        for (int seed = 0; seed < 10; seed++)
        {
            SimulatedHistory history = SimulatedHistory.Generate(seed, clients: 5, keys: 2, operationCount: 400, unknownRate: 0.3);
            CheckResult result = LinearizabilityChecker.Check(history.Operations);
            Assert.True(result.Verdict == Verdict.Linearizable, $"seed {seed}: {result}");
        }

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(30), $"took {stopwatch.Elapsed}");
    }

    [Theory]
    [InlineData("stale read")]
    [InlineData("lost write")]
    [InlineData("non-monotonic revision")]
    [InlineData("duplicated unknown write")]
    public void Planted_anomalies_are_always_caught(string anomaly)
    {
        int planted = 0;
        for (int seed = 0; planted < 25 && seed < 1000; seed++)
        {
            SimulatedHistory history = SimulatedHistory.Generate(seed, clients: 4, keys: 2, operationCount: 200, unknownRate: 0.1);
            var random = new Random(seed);
            bool done = anomaly switch
            {
                "stale read" => AnomalyPlanter.StaleRead(history, random),
                "lost write" => AnomalyPlanter.LostWrite(history, random),
                "non-monotonic revision" => AnomalyPlanter.NonMonotonicRevision(history, random),
                _ => AnomalyPlanter.DuplicatedUnknownWrite(history, random),
            };
            if (!done)
            {
                continue;
            }

            planted++;
            CheckResult result = LinearizabilityChecker.Check(history.Operations);
            Assert.True(result.Verdict == Verdict.Violation, $"{anomaly}, seed {seed}: {result}");
        }

        Assert.True(planted >= 25, $"only {planted} {anomaly} anomalies could be planted");
    }

    [Fact]
    public void Ten_thousand_operations_on_eight_keys_check_in_seconds()
    {
        SimulatedHistory history = SimulatedHistory.Generate(seed: 7, clients: 8, keys: 8, operationCount: 10_000, unknownRate: 0.01);
        var stopwatch = Stopwatch.StartNew();
        CheckResult result = LinearizabilityChecker.Check(history.Operations);
        stopwatch.Stop();
        Assert.True(result.Verdict == Verdict.Linearizable, result.ToString());
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(20), $"took {stopwatch.Elapsed}: {result}");
    }
}
