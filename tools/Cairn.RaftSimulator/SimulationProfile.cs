namespace Cairn.Raft.Simulation;

/// <summary>
/// The knobs of one simulation run, all derived from its seed so that a seed alone reproduces the run. Rates are
/// probabilities per tick (one tick = <see cref="Simulation.UnitsPerTick"/> units of simulated time).
/// </summary>
internal sealed record SimulationProfile
{
    public int InitialNodes { get; init; }
    public int ElectionTick { get; init; }
    public int HeartbeatTick { get; init; }
    public bool PreVote { get; init; }
    public bool CheckQuorum { get; init; }
    public ReadOnlyOption ReadOnlyOption { get; init; }
    public int MaxClockDriftPercent { get; init; }
    public int ClockSkewPercent { get; init; }
    public ulong MaxSizePerMsg { get; init; }
    public int MaxInflightMsgs { get; init; }
    public ulong MaxInflightBytes { get; init; }
    public double LossRate { get; init; }
    public double DuplicateRate { get; init; }
    public long MaxDelayUnits { get; init; }
    public long MaxDiskLatencyUnits { get; init; }
    public double CrashRate { get; init; }
    public double CrashBetweenPersistAndSendRate { get; init; }
    public double PartitionRate { get; init; }
    public double MembershipRate { get; init; }
    public double TransferRate { get; init; }
    public double WritesPerTick { get; init; }
    public double ReadsPerTick { get; init; }
    public int MaxPaddingBytes { get; init; }
    public int SnapshotEveryEntries { get; init; }
    public int KeepEntriesAfterSnapshot { get; init; }
    public bool SendEarlyWhenAllowed { get; init; }
    public int MaxDowntimeTicks { get; init; } = 150;
    public bool Hostile { get; init; }
    public RaftMutation Mutations { get; init; }

    public static SimulationProfile FromSeed(SeededRandom random, RaftMutation mutations)
    {
        int[] sizes = [1, 2, 3, 3, 3, 3, 4, 5, 5, 5, 6, 7, 7];
        bool lease = random.Next(5) == 0;
        int drift = 5 + random.Next(16);
        bool checkQuorum = lease || random.Next(5) != 0;
        return new SimulationProfile
        {
            InitialNodes = sizes[random.Next(sizes.Length)],
            ElectionTick = random.Next(4) == 0 ? 20 : 10,
            HeartbeatTick = random.Next(4) == 0 ? 2 : 1,
            PreVote = random.Next(5) != 0,
            CheckQuorum = checkQuorum,
            ReadOnlyOption = lease ? ReadOnlyOption.LeaseBased : ReadOnlyOption.Safe,
            MaxClockDriftPercent = drift,
            // Lease-based reads are only safe while the real skew stays within the configured bound.
            ClockSkewPercent = lease ? random.Next(drift + 1) : random.Next(26),
            MaxSizePerMsg = (ulong)(random.Next(3) switch { 0 => 256, 1 => 4096, _ => 64 * 1024 }),
            MaxInflightMsgs = random.Next(3) switch { 0 => 2, 1 => 8, _ => 64 },
            MaxInflightBytes = random.Next(3) == 0 ? 0 : 64UL * 1024,
            LossRate = random.Next(4) == 0 ? 0 : random.Next(16) / 100.0,
            DuplicateRate = random.Next(3) == 0 ? 0 : random.Next(6) / 100.0,
            MaxDelayUnits = 5 + random.Next(200),
            MaxDiskLatencyUnits = random.Next(3) == 0 ? 0 : random.Next(60),
            CrashRate = random.Next(4) == 0 ? 0 : (1 + random.Next(20)) / 1000.0,
            CrashBetweenPersistAndSendRate = random.Next(2) == 0 ? 0 : 0.002,
            PartitionRate = random.Next(4) == 0 ? 0 : (1 + random.Next(20)) / 1000.0,
            MembershipRate = random.Next(3) == 0 ? 0 : (1 + random.Next(20)) / 1000.0,
            TransferRate = random.Next(3) == 0 ? 0 : (1 + random.Next(10)) / 1000.0,
            WritesPerTick = (1 + random.Next(30)) / 10.0,
            ReadsPerTick = (0 + random.Next(21)) / 10.0,
            MaxPaddingBytes = random.Next(2) == 0 ? 0 : 200,
            SnapshotEveryEntries = 10 + random.Next(200),
            KeepEntriesAfterSnapshot = random.Next(20),
            SendEarlyWhenAllowed = random.Next(2) == 0,
            Mutations = mutations,
        };
    }

    /// <summary>
    /// The profile for hunting planted bugs: many leader changes in a short time. No pre-vote or check-quorum
    /// (elections are quick and disruptive), one entry per Append, frequent crashes with short downtime, lossy
    /// links, and leaders that may send before persisting. Every third seed uses it.
    /// </summary>
    public SimulationProfile MakeHostile(SeededRandom random) => this with
    {
        Hostile = true,
        InitialNodes = random.Next(4) == 0 ? 5 : 3,
        ElectionTick = 10,
        HeartbeatTick = 1,
        PreVote = false,
        CheckQuorum = ReadOnlyOption == ReadOnlyOption.LeaseBased,
        MaxSizePerMsg = 1,
        MaxInflightMsgs = 1,
        MaxInflightBytes = 0,
        LossRate = 0.2,
        MaxDelayUnits = 150,
        MaxDiskLatencyUnits = 60,
        CrashRate = 0.05,
        MaxDowntimeTicks = 20,
        PartitionRate = 0.02,
        WritesPerTick = 3,
        SendEarlyWhenAllowed = true,
    };

    public string Describe() =>
        $"nodes={InitialNodes} election={ElectionTick} heartbeat={HeartbeatTick} prevote={PreVote} checkquorum={CheckQuorum} " +
        $"reads={ReadOnlyOption}{(ReadOnlyOption == ReadOnlyOption.LeaseBased ? $"(drift {MaxClockDriftPercent}%)" : "")} skew={ClockSkewPercent}% " +
        $"msg={MaxSizePerMsg}B inflight={MaxInflightMsgs}/{MaxInflightBytes}B loss={LossRate:P0} dup={DuplicateRate:P0} " +
        $"delay<={MaxDelayUnits}u disk<={MaxDiskLatencyUnits}u crash={CrashRate:P1} partition={PartitionRate:P1} " +
        $"membership={MembershipRate:P1} transfer={TransferRate:P1} writes={WritesPerTick}/t reads={ReadsPerTick}/t " +
        $"snapshot every {SnapshotEveryEntries} keep {KeepEntriesAfterSnapshot} early-send={SendEarlyWhenAllowed}" +
        (Hostile ? " HOSTILE" : "") +
        (Mutations == RaftMutation.None ? "" : $" MUTATIONS={Mutations}");
}
