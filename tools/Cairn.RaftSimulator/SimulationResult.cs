namespace Cairn.Raft.Simulation;

/// <summary>What to run: the seed decides everything else (see <see cref="SimulationProfile"/>).</summary>
internal sealed record SimulationOptions(ulong Seed, int Ticks = 5000, RaftMutation Mutations = RaftMutation.None, int TraceEvents = 300);

/// <summary>Counters of one run, for the summary line.</summary>
internal sealed class SimulationStats
{
    public long MessagesSent;
    public long MessagesDelivered;
    public long WritesProposed;
    public long WritesAcknowledged;
    public long ReadsStarted;
    public long ReadsServed;
    public int Crashes;
    public int Partitions;
    public int MembershipChanges;
    public int Transfers;
    public int SnapshotsSent;
    public int LeadersElected;
    public int CaretakerLeaders;
    public int Healings;

    /// <summary>Healings where a leader followed by a majority already existed when the faults stopped.</summary>
    public int HealingsWithLeader;
    public ulong CommittedIndex;

    /// <summary>A hash of every event of the run (kind, time, node, message type): equal for equal runs.</summary>
    public ulong Fingerprint;
}

/// <summary>The outcome of one run.</summary>
internal sealed record SimulationResult(
    SimulationOptions Options,
    SimulationProfile Profile,
    string? Failure,
    string Trace,
    IReadOnlyList<int> ElectionTicksAfterHeal,
    SimulationStats Stats)
{
    public bool Passed => Failure is null;

    /// <summary>The command that replays this run exactly.</summary>
    public string ReproduceCommand =>
        Options.Ticks == 5000 && Options.Mutations == RaftMutation.None
            ? $"./build.sh simulate 1 {Options.Seed}"
            : $"./build.sh simulate 1 {Options.Seed} --ticks {Options.Ticks}" +
              (Options.Mutations == RaftMutation.None ? "" : $" --mutation {Options.Mutations}");
}
