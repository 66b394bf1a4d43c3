using Cairn.Configuration.Schema.Types;

namespace Cairn.Configuration.Schema;

/// <summary>
/// Every configuration key, in the order <c>config show</c> and <c>configs/cairn.toml</c> list them (a table's own
/// keys before its sub-tables, so the output is valid TOML). Defaults live in the model's initialisers.
/// </summary>
internal static class ConfigSchema
{
    private const long KiB = 1024, MiB = KiB * 1024, GiB = MiB * 1024, TiB = GiB * 1024;

    // Initialised in this order (textual order of static fields); nothing else in this class is static state.

    /// <summary>All settings.</summary>
    public static readonly IReadOnlyList<ConfigSetting> Settings = Build();

    private static readonly Dictionary<string, ConfigSetting> ByKey = Settings.ToDictionary(s => s.Key, StringComparer.Ordinal);

    private static readonly HashSet<string> Sections = Settings.SelectMany(s => Prefixes(s.Key)).ToHashSet(StringComparer.Ordinal);

    /// <summary>The setting with <paramref name="key"/>, or null.</summary>
    public static ConfigSetting? Find(string key) => ByKey.GetValueOrDefault(key);

    /// <summary>True when <paramref name="key"/> is a table that holds settings (e.g. <c>client</c>, <c>client.tls</c>).</summary>
    public static bool IsSection(string key) => Sections.Contains(key);

    private static IEnumerable<string> Prefixes(string key)
    {
        for (int dot = key.IndexOf('.'); dot >= 0; dot = key.IndexOf('.', dot + 1))
        {
            yield return key[..dot];
        }
    }

    private static List<ConfigSetting> Build()
    {
        var settings = new List<ConfigSetting>();
        AddMember(settings);
        AddEndpoint(settings, "client", c => c.Client, (c, v) => c with { Client = v }, new EndpointFlags("--listen-client-urls",
            "--advertise-client-urls", "--cert-file", "--key-file", "--trusted-ca-file", "--client-cert-auth", "--auto-tls"));
        AddEndpoint(settings, "peer", c => c.Peer, (c, v) => c with { Peer = v }, new EndpointFlags("--listen-peer-urls",
            "--initial-advertise-peer-urls", "--peer-cert-file", "--peer-key-file", "--peer-trusted-ca-file", "--peer-client-cert-auth", "--peer-auto-tls"));
        AddCluster(settings);
        AddStorageAndLimits(settings);
        AddAuthLogWatchBackup(settings);
        Invariant.Check(settings.Select(s => s.Key).Distinct().Count() == settings.Count, "configuration keys are unique");
        return settings;
    }

    private static ConfigSetting<T> Setting<T>(string key, SettingType<T> type, Func<CairnConfig, T> get, Func<CairnConfig, T, CairnConfig> set, string? flag = null) =>
        new(key, type, get, set, flag);

    private static void AddMember(List<ConfigSetting> settings)
    {
        settings.Add(Setting("name", new StringSetting("a member name (non-empty, without '=' or ',')", ValidateMemberName),
            c => c.Name, (c, v) => c with { Name = v }, "--name"));
        settings.Add(Setting("data_dir", StringSetting.RequiredPath, c => c.DataDir, (c, v) => c with { DataDir = v }, "--data-dir"));
    }

    private static string? ValidateMemberName(string name) =>
        name.Length == 0 || name.AsSpan().IndexOfAny("=,") >= 0 || name.Trim() != name
            ? "must be non-empty, without '=', ',' or surrounding spaces (it is used in name=url lists)"
            : null;

    private sealed record EndpointFlags(string Listen, string Advertise, string Cert, string Key, string Ca, string ClientCertAuth, string AutoTls);

    private static void AddEndpoint(List<ConfigSetting> settings, string side, Func<CairnConfig, EndpointConfig> get,
        Func<CairnConfig, EndpointConfig, CairnConfig> set, EndpointFlags flags)
    {
        settings.Add(Setting($"{side}.listen_urls", UrlListSetting.Listen, c => get(c).ListenUrls,
            (c, v) => set(c, get(c) with { ListenUrls = v }), flags.Listen));
        settings.Add(Setting($"{side}.advertise_urls", UrlListSetting.Advertise, c => get(c).AdvertiseUrls,
            (c, v) => set(c, get(c) with { AdvertiseUrls = v }), flags.Advertise));
        Func<CairnConfig, TlsConfig, CairnConfig> setTls = (c, tls) => set(c, get(c) with { Tls = tls });
        settings.Add(Setting($"{side}.tls.cert_file", StringSetting.OptionalPath, c => get(c).Tls.CertFile,
            (c, v) => setTls(c, get(c).Tls with { CertFile = v }), flags.Cert));
        settings.Add(Setting($"{side}.tls.key_file", StringSetting.OptionalPath, c => get(c).Tls.KeyFile,
            (c, v) => setTls(c, get(c).Tls with { KeyFile = v }), flags.Key));
        settings.Add(Setting($"{side}.tls.trusted_ca_file", StringSetting.OptionalPath, c => get(c).Tls.TrustedCaFile,
            (c, v) => setTls(c, get(c).Tls with { TrustedCaFile = v }), flags.Ca));
        settings.Add(Setting($"{side}.tls.client_cert_auth", BoolSetting.Instance, c => get(c).Tls.ClientCertAuth,
            (c, v) => setTls(c, get(c).Tls with { ClientCertAuth = v }), flags.ClientCertAuth));
        settings.Add(Setting($"{side}.tls.auto_tls", BoolSetting.Instance, c => get(c).Tls.AutoTls,
            (c, v) => setTls(c, get(c).Tls with { AutoTls = v }), flags.AutoTls));
    }

    private static void AddCluster(List<ConfigSetting> settings)
    {
        settings.Add(Setting("metrics.listen_urls", UrlListSetting.Listen, c => c.Metrics.ListenUrls,
            (c, v) => c with { Metrics = c.Metrics with { ListenUrls = v } }, "--listen-metrics-urls"));
        settings.Add(Setting("cluster.initial_cluster", ClusterSetting.Instance, c => c.Cluster.InitialCluster,
            (c, v) => c with { Cluster = c.Cluster with { InitialCluster = v } }, "--initial-cluster"));
        settings.Add(Setting("cluster.initial_cluster_token", new StringSetting("a non-empty string", t => t.Length == 0 ? "must not be empty" : null),
            c => c.Cluster.InitialClusterToken, (c, v) => c with { Cluster = c.Cluster with { InitialClusterToken = v } }, "--initial-cluster-token"));
        settings.Add(Setting("cluster.initial_cluster_state", ConfigChoices.ClusterStates, c => c.Cluster.InitialClusterState,
            (c, v) => c with { Cluster = c.Cluster with { InitialClusterState = v } }, "--initial-cluster-state"));
        settings.Add(Setting("cluster.initial_corrupt_check", BoolSetting.Instance, c => c.Cluster.InitialCorruptCheck,
            (c, v) => c with { Cluster = c.Cluster with { InitialCorruptCheck = v } }, "--experimental-initial-corrupt-check"));
        settings.Add(Setting("cluster.corrupt_check_interval", new DurationSetting(TimeSpan.FromSeconds(1)), c => c.Cluster.CorruptCheckInterval,
            (c, v) => c with { Cluster = c.Cluster with { CorruptCheckInterval = v } }, "--experimental-corrupt-check-time"));
        settings.Add(Setting("raft.heartbeat_interval_ms", new IntegerSetting(1, 10_000), c => c.Raft.HeartbeatIntervalMs,
            (c, v) => c with { Raft = c.Raft with { HeartbeatIntervalMs = (int)v } }, "--heartbeat-interval"));
        settings.Add(Setting("raft.election_timeout_ms", new IntegerSetting(1, 50_000), c => c.Raft.ElectionTimeoutMs,
            (c, v) => c with { Raft = c.Raft with { ElectionTimeoutMs = (int)v } }, "--election-timeout"));
    }

    private static void AddStorageAndLimits(List<ConfigSetting> settings)
    {
        settings.Add(Setting("storage.wal_dir", StringSetting.OptionalPath, c => c.Storage.WalDir,
            (c, v) => c with { Storage = c.Storage with { WalDir = v } }, "--wal-dir"));
        settings.Add(Setting("storage.wal_segment_bytes", new SizeSetting(1 * MiB, 1 * GiB), c => c.Storage.WalSegmentBytes,
            (c, v) => c with { Storage = c.Storage with { WalSegmentBytes = v } }, "--wal-segment-bytes"));
        settings.Add(Setting("storage.snapshot_count", new IntegerSetting(1, long.MaxValue), c => c.Storage.SnapshotCount,
            (c, v) => c with { Storage = c.Storage with { SnapshotCount = v } }, "--snapshot-count"));
        settings.Add(Setting("storage.max_snapshots", new IntegerSetting(0, int.MaxValue), c => c.Storage.MaxSnapshots,
            (c, v) => c with { Storage = c.Storage with { MaxSnapshots = (int)v } }, "--max-snapshots"));
        settings.Add(Setting("storage.max_wal_files", new IntegerSetting(0, int.MaxValue), c => c.Storage.MaxWalFiles,
            (c, v) => c with { Storage = c.Storage with { MaxWalFiles = (int)v } }, "--max-wals"));
        settings.Add(Setting("storage.quota_backend_bytes", new SizeSetting(1 * MiB, 1 * TiB), c => c.Storage.QuotaBackendBytes,
            (c, v) => c with { Storage = c.Storage with { QuotaBackendBytes = v } }, "--quota-backend-bytes"));
        settings.Add(Setting("storage.auto_compaction_mode", ConfigChoices.CompactionModes, c => c.Storage.AutoCompactionMode,
            (c, v) => c with { Storage = c.Storage with { AutoCompactionMode = v } }, "--auto-compaction-mode"));
        settings.Add(Setting("storage.auto_compaction_retention", RetentionSetting.Instance, c => c.Storage.AutoCompactionRetention,
            (c, v) => c with { Storage = c.Storage with { AutoCompactionRetention = v } }, "--auto-compaction-retention"));
        settings.Add(Setting("limits.max_request_bytes", new SizeSetting(1, 512 * MiB), c => c.Limits.MaxRequestBytes,
            (c, v) => c with { Limits = c.Limits with { MaxRequestBytes = (int)v } }, "--max-request-bytes"));
        settings.Add(Setting("limits.max_txn_ops", new IntegerSetting(1, 1_000_000), c => c.Limits.MaxTxnOps,
            (c, v) => c with { Limits = c.Limits with { MaxTxnOps = (int)v } }, "--max-txn-ops"));
        settings.Add(Setting("limits.max_concurrent_streams", new IntegerSetting(1, int.MaxValue), c => c.Limits.MaxConcurrentStreams,
            (c, v) => c with { Limits = c.Limits with { MaxConcurrentStreams = (int)v } }, "--max-concurrent-streams"));
    }

    private static void AddAuthLogWatchBackup(List<ConfigSetting> settings)
    {
        settings.Add(Setting("auth.token", ConfigChoices.AuthTokens, c => c.Auth.Token, (c, v) => c with { Auth = c.Auth with { Token = v } }, "--auth-token"));
        settings.Add(Setting("auth.token_ttl_seconds", new IntegerSetting(1, int.MaxValue), c => c.Auth.TokenTtlSeconds,
            (c, v) => c with { Auth = c.Auth with { TokenTtlSeconds = (int)v } }, "--auth-token-ttl"));
        settings.Add(Setting("auth.bcrypt_cost", new IntegerSetting(4, 31), c => c.Auth.BcryptCost,
            (c, v) => c with { Auth = c.Auth with { BcryptCost = (int)v } }, "--bcrypt-cost"));
        settings.Add(Setting("auth.jwt_public_key_file", StringSetting.OptionalPath, c => c.Auth.JwtPublicKeyFile,
            (c, v) => c with { Auth = c.Auth with { JwtPublicKeyFile = v } }));
        settings.Add(Setting("auth.jwt_private_key_file", StringSetting.OptionalPath, c => c.Auth.JwtPrivateKeyFile,
            (c, v) => c with { Auth = c.Auth with { JwtPrivateKeyFile = v } }));
        settings.Add(Setting("auth.jwt_sign_method", ConfigChoices.JwtSignMethods, c => c.Auth.JwtSignMethod,
            (c, v) => c with { Auth = c.Auth with { JwtSignMethod = v } }));
        settings.Add(Setting("log.level", ConfigChoices.LogLevels, c => c.Log.Level, (c, v) => c with { Log = c.Log with { Level = v } }, "--log-level"));
        settings.Add(Setting("log.format", ConfigChoices.LogFormats, c => c.Log.Format, (c, v) => c with { Log = c.Log with { Format = v } }, "--log-format"));
        settings.Add(Setting("log.output", ConfigChoices.LogOutputs, c => c.Log.Output, (c, v) => c with { Log = c.Log with { Output = v } }, "--log-outputs"));
        settings.Add(Setting("watch.progress_notify_interval_ms", new IntegerSetting(100, int.MaxValue), c => c.Watch.ProgressNotifyIntervalMs,
            (c, v) => c with { Watch = c.Watch with { ProgressNotifyIntervalMs = (int)v } }, "--experimental-watch-progress-notify-interval"));
        settings.Add(Setting("backup.schedule", new DurationSetting(TimeSpan.FromMinutes(1)), c => c.Backup.Schedule,
            (c, v) => c with { Backup = c.Backup with { Schedule = v } }));
        settings.Add(Setting("backup.retention_count", new IntegerSetting(0, 1_000_000), c => c.Backup.RetentionCount,
            (c, v) => c with { Backup = c.Backup with { RetentionCount = (int)v } }));
        settings.Add(Setting("backup.retention_max_age", new DurationSetting(TimeSpan.FromMinutes(1)), c => c.Backup.RetentionMaxAge,
            (c, v) => c with { Backup = c.Backup with { RetentionMaxAge = v } }));
        settings.Add(Setting("backup.destinations", DestinationsSetting.Instance, c => c.Backup.Destinations,
            (c, v) => c with { Backup = c.Backup with { Destinations = v } }));
    }
}
