namespace Cairn.Configuration;

/// <summary>
/// The typed configuration of the whole product: server, cluster, storage, limits, TLS, auth, logging and backup.
/// Immutable; build variants with <c>with</c> expressions. <see cref="ConfigLoader"/> fills it from flags,
/// environment, a TOML file and these defaults (which <c>configs/cairn.toml</c> documents, key by key).
/// </summary>
public sealed record CairnConfig
{
    /// <summary>Every setting at its built-in default: a single-node server on 127.0.0.1:2379 with data in ./cairn.data.</summary>
    public static CairnConfig Default { get; } = new();

    /// <summary>Human-readable name of this member (<c>name</c>, etcd <c>--name</c>); unique within the cluster.</summary>
    public string Name { get; init; } = "default";

    /// <summary>Directory holding the WAL, snapshots and member state (<c>data_dir</c>, etcd <c>--data-dir</c>).</summary>
    public string DataDir { get; init; } = "./cairn.data";

    /// <summary>Client-facing endpoint: gRPC, JSON gateway, /health, /metrics, /version.</summary>
    public EndpointConfig Client { get; init; } = new()
    {
        ListenUrls = [new Uri("http://127.0.0.1:2379")],
        AdvertiseUrls = [new Uri("http://127.0.0.1:2379")],
    };

    /// <summary>Peer-facing endpoint: raft traffic between members.</summary>
    public EndpointConfig Peer { get; init; } = new()
    {
        ListenUrls = [new Uri("http://127.0.0.1:2380")],
        AdvertiseUrls = [new Uri("http://127.0.0.1:2380")],
    };

    /// <summary>Extra listeners that serve only /metrics and /health.</summary>
    public MetricsConfig Metrics { get; init; } = new();

    /// <summary>How this member bootstraps or joins a cluster.</summary>
    public ClusterConfig Cluster { get; init; } = new();

    /// <summary>Raft timing.</summary>
    public RaftConfig Raft { get; init; } = new();

    /// <summary>WAL, snapshots, quota and compaction.</summary>
    public StorageConfig Storage { get; init; } = new();

    /// <summary>Limits on requests and connections.</summary>
    public LimitsConfig Limits { get; init; } = new();

    /// <summary>Authentication tokens and password hashing.</summary>
    public AuthConfig Auth { get; init; } = new();

    /// <summary>Log level, format and output.</summary>
    public LogConfig Log { get; init; } = new();

    /// <summary>Watch behaviour.</summary>
    public WatchConfig Watch { get; init; } = new();

    /// <summary>Backup destinations, schedule and retention (used by <c>cairn backup</c>).</summary>
    public BackupConfig Backup { get; init; } = new();

    /// <summary>The WAL directory: <see cref="StorageConfig.WalDir"/> if set, else <c>wal</c> under <see cref="DataDir"/>.</summary>
    public string WalDirectory => Storage.WalDir.Length > 0 ? Storage.WalDir : Path.Combine(DataDir, "wal");

    /// <summary>
    /// The members to bootstrap with: <see cref="ClusterConfig.InitialCluster"/> if set, else this member alone
    /// (its <see cref="Name"/> at its advertised peer URLs).
    /// </summary>
    public IReadOnlyList<ClusterMember> EffectiveInitialCluster =>
        Cluster.InitialCluster.Count > 0
            ? Cluster.InitialCluster
            : Peer.AdvertiseUrls.Select(url => new ClusterMember(Name, url)).ToArray();
}
