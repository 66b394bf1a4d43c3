namespace Cairn.Raft.Simulation;

/// <summary>
/// A deterministic, single-threaded simulation of a Raft cluster: nodes, a faulty network, disks with latency,
/// crashes, clock skew, membership changes and clients, all driven by one seeded random source and an event
/// queue ordered by (time, sequence). The same seed always produces the same run. Safety is checked after every
/// event (<see cref="SafetyChecker"/>); liveness after every healing (see Simulation.Driver.cs).
/// </summary>
internal sealed partial class Simulation
{
    /// <summary>Simulated time units per nominal tick; node clocks tick every 100 ± skew units.</summary>
    public const long UnitsPerTick = 100;

    private readonly SimulationOptions options;
    private readonly SimulationProfile profile;
    private readonly SeededRandom random;
    private readonly SortedDictionary<ulong, SimNode> nodes = [];
    private readonly PriorityQueue<SimEvent, (long Time, long Sequence)> events = new();
    private readonly SafetyChecker checker = new();
    private readonly EventTrace trace;
    private readonly SimulationStats stats = new();
    private long now;
    private long sequence;
    private ulong fingerprint = 0xCBF29CE484222325UL;

    public Simulation(SimulationOptions options)
    {
        this.options = options;
        random = new SeededRandom(options.Seed * 0x9E3779B97F4A7C15UL + 1);
        profile = SimulationProfile.FromSeed(random, options.Mutations);
        if (options.Seed % 3 == 0)
        {
            profile = profile.MakeHostile(random);
        }

        trace = new EventTrace(options.TraceEvents);
        livenessBoundTicks = 20 * profile.ElectionTick;
    }

    public static SimulationResult Run(SimulationOptions options) => new Simulation(options).Run();

    private SimulationResult Run()
    {
        string? failure = null;
        try
        {
            Bootstrap();
            long end = options.Ticks * UnitsPerTick;
            while (events.TryDequeue(out SimEvent next, out (long Time, long Sequence) at) && at.Time <= end)
            {
                now = at.Time;
                Handle(next);
            }
        }
        catch (SimulationViolation violation)
        {
            failure = violation.Message;
        }
        catch (RaftInvariantException invariant)
        {
            failure = $"raft invariant violated inside a node: {invariant.Message}";
        }
        catch (Exception crash) when (crash is InvalidOperationException or ArgumentException or IndexOutOfRangeException or NullReferenceException or KeyNotFoundException)
        {
            failure = $"unexpected exception: {crash}";
        }

        stats.Fingerprint = fingerprint ^ checker.CommittedIndex;
        stats.LeadersElected = checker.LeadersElected;
        stats.CaretakerLeaders = checker.CaretakerLeaders;
        stats.Healings = healings;
        stats.HealingsWithLeader = healingsWithLeader;
        stats.CommittedIndex = checker.CommittedIndex;
        string traceText = failure is null ? "" : trace.Format();
        return new SimulationResult(options, profile, failure, traceText, electionTicks, stats);
    }

    private void Schedule(long time, in SimEvent simEvent) => events.Enqueue(simEvent, (time, sequence++));

    private void Handle(SimEvent e)
    {
        // Everything that happens is folded into the fingerprint: equal fingerprints mean equal runs.
        fingerprint = (fingerprint ^ (ulong)now ^ ((ulong)e.Kind << 56) ^ (e.Node << 40) ^ (e.Message is null ? 0 : (ulong)e.Message.Type << 32)) * 0x100000001B3UL;
        switch (e.Kind)
        {
            case EventKind.Driver: Drive(); break;
            case EventKind.Tick: TickNode(e); break;
            case EventKind.Deliver: Deliver(e.Message!); break;
            case EventKind.PersistDone: OnPersistDone(e); break;
            case EventKind.Restart: Restart(nodes[e.Node]); break;
            case EventKind.Stop: StopNode(nodes[e.Node]); break;
            case EventKind.SnapshotReport: ReportToNode(e, snapshot: true); break;
            case EventKind.UnreachableReport: ReportToNode(e, snapshot: false); break;
        }
    }

    private void Bootstrap()
    {
        trace.Add(0, "profile", 0, profile.Describe());
        var voters = new List<ulong>();
        for (ulong id = 1; id <= (ulong)profile.InitialNodes; id++)
        {
            voters.Add(id);
        }

        nextNodeId = (ulong)profile.InitialNodes + 1;
        foreach (ulong id in voters)
        {
            SimNode node = CreateNode(id);
            node.Raw!.Bootstrap(voters);
            AfterNodeEvent(node);
        }

        Schedule(UnitsPerTick, new SimEvent(EventKind.Driver, 0, 0));
    }

    private RaftConfig NodeConfig(SimNode node, ulong applied) => new()
    {
        Id = node.Id,
        Storage = node.Storage,
        Applied = applied,
        ElectionTick = profile.ElectionTick,
        HeartbeatTick = profile.HeartbeatTick,
        PreVote = profile.PreVote,
        CheckQuorum = profile.CheckQuorum,
        ReadOnlyOption = profile.ReadOnlyOption,
        MaxClockDriftPercent = profile.MaxClockDriftPercent,
        MaxSizePerMsg = profile.MaxSizePerMsg,
        MaxInflightMsgs = profile.MaxInflightMsgs,
        MaxInflightBytes = profile.MaxInflightBytes,
        MaxUncommittedEntriesSize = 64 * 1024,
        Random = new SeededRandom((options.Seed << 20) ^ (node.Id << 8) ^ (ulong)node.Incarnation),
        Mutations = profile.Mutations,
    };

    private long RandomTickInterval()
    {
        int skew = profile.ClockSkewPercent;
        return UnitsPerTick - skew + random.Next((2 * skew) + 1);
    }

    private bool Chance(double probability) => probability > 0 && random.Next(1_000_000) < probability * 1_000_000;
}
