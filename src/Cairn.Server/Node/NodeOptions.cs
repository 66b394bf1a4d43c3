using Cairn.Configuration;

namespace Cairn.Server.Node;

/// <summary>
/// Everything the node loop needs to know: where its data lives, its identity inputs, raft timing, and a named
/// limit for every queue and batch. Built from the product configuration with <see cref="FromConfig"/>; tests
/// adjust single settings with <c>with</c>.
/// </summary>
public sealed record NodeOptions
{
    /// <summary>This member's name (published in MemberList).</summary>
    public string Name { get; init; } = "default";

    /// <summary>The data directory: member identity, state snapshots, value files.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>The WAL directory (by default <c>wal</c> under the data directory).</summary>
    public required string WalDirectory { get; init; }

    /// <summary>This member's advertised peer URLs (its member ID derives from them and the cluster token).</summary>
    public IReadOnlyList<string> PeerUrls { get; init; } = ["http://127.0.0.1:2380"];

    /// <summary>This member's advertised client URLs (published in MemberList).</summary>
    public IReadOnlyList<string> ClientUrls { get; init; } = ["http://127.0.0.1:2379"];

    /// <summary>The initial cluster as (name, peer URL) pairs; empty means this member alone.</summary>
    public IReadOnlyList<(string Name, string PeerUrl)> InitialCluster { get; init; } = [];

    /// <summary>True to join a running cluster (etcd <c>--initial-cluster-state existing</c>) instead of bootstrapping one.</summary>
    public bool JoinExistingCluster { get; init; }

    /// <summary>The cluster token (etcd's <c>--initial-cluster-token</c>), an input of the member and cluster IDs.</summary>
    public string ClusterToken { get; init; } = "etcd-cluster";

    /// <summary>Length of one raft tick, the heartbeat interval (etcd <c>--heartbeat-interval</c>).</summary>
    public TimeSpan TickInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Ticks without a leader before a follower campaigns (etcd election timeout / heartbeat).</summary>
    public int ElectionTicks { get; init; } = 10;

    /// <summary>Proposals accepted but not yet applied (queued, in the log, or being applied). Beyond it a new
    /// write fails at once with "etcdserver: too many requests" (ResourceExhausted) instead of queueing without bound;
    /// etcd's equivalent is its hard-coded 5,000-entry commit/apply gap.</summary>
    public int MaxPendingProposals { get; init; } = 20_000;

    /// <summary>Most proposals the loop hands to raft in one batch (one WAL append, one fsync).</summary>
    public int MaxProposalBatch { get; init; } = 4096;

    /// <summary>Most payload bytes the loop hands to raft in one batch.</summary>
    public int MaxProposalBatchBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Linearizable reads waiting for one ReadIndex round (more wait for the next round).</summary>
    public int MaxPendingReads { get; init; } = 100_000;

    /// <summary>How long a proposal or a linearizable read may wait before failing with "etcdserver: request timed
    /// out" (etcd: 5 s + 2 × election timeout).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(7);

    /// <summary>Largest replicated request (etcd <c>--max-request-bytes</c>); larger ones fail with "request is too large".</summary>
    public int MaxRequestBytes { get; init; } = 1_572_864;

    /// <summary>Most operations in each list of a txn (etcd <c>--max-txn-ops</c>).</summary>
    public int MaxTxnOps { get; init; } = 128;

    /// <summary>Space quota on live data (etcd <c>--quota-backend-bytes</c>).</summary>
    public long QuotaBackendBytes { get; init; } = 2L * 1024 * 1024 * 1024;

    /// <summary>Applied entries between state snapshots (etcd <c>--snapshot-count</c>).</summary>
    public long SnapshotCount { get; init; } = 100_000;

    /// <summary>Snapshot files kept; older ones are deleted (0 keeps all).</summary>
    public int MaxSnapshots { get; init; } = 5;

    /// <summary>Log entries kept before a snapshot's index when the WAL is compacted, so a slightly lagging
    /// follower catches up from the log instead of a snapshot (etcd: 5,000).</summary>
    public ulong SnapshotCatchUpEntries { get; init; } = 5000;

    /// <summary>WAL segment file size.</summary>
    public int WalSegmentBytes { get; init; } = 64 * 1024 * 1024;

    /// <summary>Leases revoked per expiry pass (one proposal each).</summary>
    public int MaxLeaseRevokesPerTick { get; init; } = 500;

    /// <summary>How often the leader checkpoints the remaining TTL of long leases.</summary>
    public TimeSpan LeaseCheckpointInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Minimum lease TTL in seconds: ceil(1.5 × election timeout), as etcd.</summary>
    public long MinLeaseTtlSeconds { get; init; } = 2;

    /// <summary>Automatic compaction: a time window to keep (periodic), or zero.</summary>
    public TimeSpan AutoCompactionPeriod { get; init; }

    /// <summary>Automatic compaction: revisions to keep (revision mode), or zero.</summary>
    public long AutoCompactionRevisions { get; init; }

    /// <summary>Receives the duration of every WAL sync (for the fsync histogram of /metrics), or null.</summary>
    public Action<TimeSpan>? WalSyncObserver { get; init; }

    /// <summary>The effective initial cluster: the configured one, or this member alone at its peer URLs.</summary>
    public IReadOnlyList<(string Name, string PeerUrl)> EffectiveInitialCluster =>
        InitialCluster.Count > 0 ? InitialCluster : PeerUrls.Select(url => (Name, url)).ToArray();

    /// <summary>The node options a configuration asks for.</summary>
    public static NodeOptions FromConfig(CairnConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        double electionMs = config.Raft.ElectionTimeoutMs;
        return new NodeOptions
        {
            Name = config.Name,
            DataDirectory = Path.GetFullPath(config.DataDir),
            WalDirectory = Path.GetFullPath(config.WalDirectory),
            PeerUrls = config.Peer.AdvertiseUrls.Select(ConfigUrls.Format).ToArray(),
            ClientUrls = config.Client.AdvertiseUrls.Select(ConfigUrls.Format).ToArray(),
            InitialCluster = config.Cluster.InitialCluster.Select(m => (m.Name, ConfigUrls.Format(m.PeerUrl))).ToArray(),
            ClusterToken = config.Cluster.InitialClusterToken,
            JoinExistingCluster = config.Cluster.InitialClusterState == Cairn.Configuration.ClusterState.Existing,
            TickInterval = TimeSpan.FromMilliseconds(config.Raft.HeartbeatIntervalMs),
            ElectionTicks = Math.Max(2, config.Raft.ElectionTimeoutTicks),
            RequestTimeout = TimeSpan.FromMilliseconds(5000 + (2 * electionMs)),
            MaxRequestBytes = config.Limits.MaxRequestBytes,
            MaxTxnOps = config.Limits.MaxTxnOps,
            QuotaBackendBytes = config.Storage.QuotaBackendBytes,
            SnapshotCount = config.Storage.SnapshotCount,
            MaxSnapshots = config.Storage.MaxSnapshots,
            WalSegmentBytes = (int)Math.Clamp(config.Storage.WalSegmentBytes, 16 * 1024, 1024 * 1024 * 1024),
            MinLeaseTtlSeconds = (long)Math.Ceiling(1.5 * electionMs / 1000.0),
            AutoCompactionPeriod = config.Storage.AutoCompactionPeriod,
            AutoCompactionRevisions = config.Storage.AutoCompactionRevisions,
        };
    }

    /// <summary>Checks the limits; throws <see cref="ArgumentException"/> naming the one that is wrong.</summary>
    public void Validate()
    {
        Check(MaxPendingProposals > 0, nameof(MaxPendingProposals));
        Check(MaxProposalBatch > 0, nameof(MaxProposalBatch));
        Check(MaxProposalBatchBytes > 0, nameof(MaxProposalBatchBytes));
        Check(MaxPendingReads > 0, nameof(MaxPendingReads));
        Check(RequestTimeout > TimeSpan.Zero, nameof(RequestTimeout));
        Check(TickInterval > TimeSpan.Zero, nameof(TickInterval));
        Check(ElectionTicks >= 2, nameof(ElectionTicks));
        Check(MaxRequestBytes > 0, nameof(MaxRequestBytes));
        Check(SnapshotCount > 0, nameof(SnapshotCount));
        Check(MaxSnapshots >= 0, nameof(MaxSnapshots));
        Check(MaxLeaseRevokesPerTick > 0, nameof(MaxLeaseRevokesPerTick));
        Check(PeerUrls.Count > 0, nameof(PeerUrls));
    }

    private static void Check(bool condition, string name)
    {
        if (!condition)
        {
            throw new ArgumentException($"node option {name} is out of range; use a positive value", name);
        }
    }
}
