namespace Cairn.Configuration;

/// <summary>Cluster bootstrap: the initial members, the cluster token and whether the cluster is new.</summary>
public sealed record ClusterConfig
{
    /// <summary>
    /// The initial members as name and peer URL pairs (a name may appear once per URL). Empty means this member
    /// alone; see <see cref="CairnConfig.EffectiveInitialCluster"/>.
    /// </summary>
    public IReadOnlyList<ClusterMember> InitialCluster { get; init; } = [];

    /// <summary>Token that keeps two clusters bootstrapped from the same member list apart.</summary>
    public string InitialClusterToken { get; init; } = "etcd-cluster";

    /// <summary>Whether this member bootstraps a new cluster or joins an existing one.</summary>
    public ClusterState InitialClusterState { get; init; } = ClusterState.New;

    /// <summary>Compare this member's HashKV with its peers' once, soon after it starts serving.</summary>
    public bool InitialCorruptCheck { get; init; }

    /// <summary>How often the leader compares HashKV across members; null turns the periodic check off.</summary>
    public TimeSpan? CorruptCheckInterval { get; init; }
}

/// <summary>One <c>name=peer-url</c> entry of the initial cluster.</summary>
/// <param name="Name">The member's name.</param>
/// <param name="PeerUrl">One of the member's advertised peer URLs.</param>
public sealed record ClusterMember(string Name, Uri PeerUrl)
{
    /// <summary>Formats as etcd does: <c>name=url</c>.</summary>
    public override string ToString() => $"{Name}={ConfigUrls.Format(PeerUrl)}";
}

/// <summary>Initial cluster state (etcd <c>--initial-cluster-state</c>).</summary>
public enum ClusterState
{
    /// <summary>Bootstrap a new cluster from the initial members.</summary>
    New,

    /// <summary>Join a cluster that already runs (the member was added with <c>member add</c>).</summary>
    Existing,
}
