using System.Globalization;

namespace Cairn.Configuration;

/// <summary>Cluster membership, raft timing and storage rules.</summary>
internal static partial class ConfigValidator
{
    /// <summary>etcd's rule: an election timeout shorter than five heartbeats makes elections flap.</summary>
    private const int MinElectionTimeoutHeartbeats = 5;

    private static void ValidateCluster(CairnConfig config, RuleContext rules)
    {
        IReadOnlyList<ClusterMember> members = config.Cluster.InitialCluster;
        if (members.Count == 0)
        {
            return;
        }
        var ownUrls = members.Where(m => m.Name == config.Name).Select(m => ConfigUrls.Endpoint(m.PeerUrl)).ToHashSet(StringComparer.Ordinal);
        if (ownUrls.Count == 0)
        {
            rules.Error("cluster.initial_cluster", $"does not list this member's name \"{config.Name}\"; add {config.Name}=<peer URL> or fix name");
            return;
        }
        var advertised = config.Peer.AdvertiseUrls.Select(ConfigUrls.Endpoint).ToHashSet(StringComparer.Ordinal);
        if (!ownUrls.SetEquals(advertised))
        {
            rules.Error("cluster.initial_cluster",
                $"lists {config.Name} at {string.Join(",", ownUrls.Order())} but peer.advertise_urls is {string.Join(",", advertised.Order())}; they must match");
        }
    }

    private static void ValidateRaftAndStorage(CairnConfig config, RuleContext rules)
    {
        RaftConfig raft = config.Raft;
        if (raft.ElectionTimeoutMs < MinElectionTimeoutHeartbeats * raft.HeartbeatIntervalMs)
        {
            rules.Error("raft.election_timeout_ms", string.Create(CultureInfo.InvariantCulture,
                $"{raft.ElectionTimeoutMs} ms must be at least {MinElectionTimeoutHeartbeats} heartbeats ({MinElectionTimeoutHeartbeats * raft.HeartbeatIntervalMs} ms with raft.heartbeat_interval_ms = {raft.HeartbeatIntervalMs})"));
        }
        StorageConfig storage = config.Storage;
        if (storage.WalSegmentBytes <= config.Limits.MaxRequestBytes)
        {
            rules.Error("storage.wal_segment_bytes",
                $"{ConfigSizes.Describe(storage.WalSegmentBytes)} must be larger than limits.max_request_bytes ({ConfigSizes.Describe(config.Limits.MaxRequestBytes)}) so that any request fits in one segment");
        }
        string retention = storage.AutoCompactionRetention;
        bool valid = storage.AutoCompactionMode == AutoCompactionMode.Periodic
            ? ConfigDurations.TryParseRetentionPeriod(retention, out _)
            : long.TryParse(retention, NumberStyles.None, CultureInfo.InvariantCulture, out _);
        if (!valid)
        {
            string expected = storage.AutoCompactionMode == AutoCompactionMode.Periodic
                ? "a duration such as \"1h\" or a number of hours"
                : "a number of revisions such as \"1000\"";
            rules.Error("storage.auto_compaction_retention",
                $"\"{retention}\" does not fit auto_compaction_mode = \"{(storage.AutoCompactionMode == AutoCompactionMode.Periodic ? "periodic" : "revision")}\" (expected {expected})");
        }
    }
}
