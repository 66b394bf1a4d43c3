using Cairn.Raft.Simulation;
using Xunit.Abstractions;
using Sim = Cairn.Raft.Simulation.Simulation;

namespace Cairn.Raft.Tests.Simulation;

/// <summary>The CI budget of the simulator: a fixed set of seeds, every safety check on every step, zero violations.</summary>
public sealed class SimulatorTests(ITestOutputHelper output)
{
    private const int CiSeeds = 200;
    private const int CiTicks = 5000;

    [Fact]
    public void Two_hundred_seeds_of_five_thousand_ticks_find_no_violation()
    {
        var timer = SimulationRunner.StartTimer();
        IReadOnlyList<SimulationResult> results = SimulationRunner.RunSeeds(1, CiSeeds, CiTicks, RaftMutation.None, Environment.ProcessorCount);

        output.WriteLine(SimulationRunner.FormatTotals(results, timer.Elapsed, CiTicks));
        output.WriteLine(SimulationRunner.FormatLiveness(results));
        string failures = string.Join("\n", results.Where(r => !r.Passed).Select(SimulationRunner.FormatFailure));
        Assert.True(failures.Length == 0, failures);

        // The runs must actually exercise what they claim to check.
        Assert.True(results.Sum(r => r.Stats.ReadsServed) > 10_000, "linearizable reads were checked");
        Assert.True(results.Sum(r => r.Stats.WritesAcknowledged) > 10_000, "writes were acknowledged");
        Assert.True(results.Sum(r => r.Stats.Crashes) > 1000, "nodes crashed and restarted");
        Assert.True(results.Sum(r => r.Stats.MembershipChanges) > 100, "membership changed");
        Assert.True(results.Sum(r => r.Stats.SnapshotsSent) > 100, "snapshots were sent");
        Assert.True(results.Sum(r => r.ElectionTicksAfterHeal.Count) > 100, "liveness was measured after healing");
    }

    [Fact]
    public void The_same_seed_gives_the_same_run()
    {
        SimulationResult first = Sim.Run(new SimulationOptions(Seed: 42, Ticks: 2000));
        SimulationResult second = Sim.Run(new SimulationOptions(Seed: 42, Ticks: 2000));
        SimulationResult other = Sim.Run(new SimulationOptions(Seed: 43, Ticks: 2000));

        Assert.Equal(first.Stats.Fingerprint, second.Stats.Fingerprint);
        Assert.Equal(first.Stats.MessagesDelivered, second.Stats.MessagesDelivered);
        Assert.Equal(first.ElectionTicksAfterHeal, second.ElectionTicksAfterHeal);
        Assert.NotEqual(first.Stats.Fingerprint, other.Stats.Fingerprint);
    }

    [Fact]
    public void A_failing_seed_prints_its_trace_and_the_command_that_replays_it()
    {
        SimulationResult? failure = SimulationRunner.FirstFailure(1, 20, 2000, RaftMutation.VoteWithoutLogCheck, Environment.ProcessorCount);

        Assert.NotNull(failure);
        string report = SimulationRunner.FormatFailure(failure);
        Assert.Contains($"seed {failure.Options.Seed} FAILED", report);
        Assert.Contains($"reproduce: ./build.sh simulate 1 {failure.Options.Seed} --ticks 2000 --mutation VoteWithoutLogCheck", report);
        Assert.Contains(" recv ", report); // trace lines of delivered messages
        Assert.True(report.Split('\n').Length > 100, "the report carries the last events");

        // Replaying the seed reproduces the same failure.
        SimulationResult replay = Sim.Run(failure.Options);
        Assert.Equal(failure.Failure, replay.Failure);
        Assert.Equal(failure.Stats.Fingerprint, replay.Stats.Fingerprint);
    }
}
