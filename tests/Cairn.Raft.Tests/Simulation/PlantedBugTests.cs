extern alias Shipped;

using Cairn.Raft.Simulation;
using Xunit.Abstractions;

namespace Cairn.Raft.Tests.Simulation;

/// <summary>
/// Each planted bug (RaftMutation, compiled only into the simulator build) must be caught by the simulator within a
/// bounded number of seeds. If one stops being caught, the checks have lost their teeth.
/// </summary>
public sealed class PlantedBugTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(RaftMutation.VoteWithoutLogCheck, 20, "leader completeness")]
    [InlineData(RaftMutation.CommitOldTermByCounting, 300, "leader completeness")]
    [InlineData(RaftMutation.AcknowledgeBeforePersisting, 60, "")]
    [InlineData(RaftMutation.KeepConflictingSuffix, 20, "")]
    [InlineData(RaftMutation.ReadIndexWithoutQuorum, 20, "linearizable reads")]
    public void The_simulator_finds_the_planted_bug(RaftMutation mutation, int maxSeeds, string expectedProperty)
    {
        SimulationResult? failure = SimulationRunner.FirstFailure(1, maxSeeds, 5000, mutation, Environment.ProcessorCount);

        Assert.True(failure is not null, $"{mutation} was not caught in {maxSeeds} seeds");
        output.WriteLine($"{mutation}: caught at seed {failure.Options.Seed}: {failure.Failure}");
        Assert.Contains("violated", failure.Failure);
        Assert.Contains(expectedProperty, failure.Failure);
    }

    [Fact]
    public void The_shipped_assembly_contains_no_planted_bugs()
    {
        System.Reflection.Assembly shipped = typeof(Shipped::Cairn.Raft.RawNode).Assembly;

        Assert.Equal("Cairn.Raft", shipped.GetName().Name);
        Assert.Null(shipped.GetType("Cairn.Raft.RaftMutation"));
        Assert.Null(typeof(Shipped::Cairn.Raft.RaftConfig).GetProperty("Mutations"));
        Assert.NotNull(typeof(RaftConfig).GetProperty("Mutations")); // the simulator build has them
    }
}
