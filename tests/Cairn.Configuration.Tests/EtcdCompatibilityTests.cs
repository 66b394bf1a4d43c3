using Cairn.Configuration.Flags;
using Cairn.Configuration.Schema;

namespace Cairn.Configuration.Tests;

/// <summary>etcd's flags and ETCD_* variables carry over: mapped, ignored with a warning, or rejected by name.</summary>
public class EtcdCompatibilityTests
{
    /// <summary>Every server flag `etcd --help` of etcd 3.4.23 lists.</summary>
    private static readonly string[] Etcd34Flags =
    [
        "--name", "--data-dir", "--wal-dir", "--snapshot-count", "--heartbeat-interval", "--election-timeout",
        "--initial-election-tick-advance", "--listen-peer-urls", "--listen-client-urls", "--max-snapshots", "--max-wals",
        "--quota-backend-bytes", "--backend-batch-interval", "--backend-batch-limit", "--max-txn-ops", "--max-request-bytes",
        "--max-concurrent-streams", "--grpc-keepalive-min-time", "--grpc-keepalive-interval", "--grpc-keepalive-timeout",
        "--initial-advertise-peer-urls", "--initial-cluster", "--initial-cluster-state", "--initial-cluster-token",
        "--advertise-client-urls", "--discovery", "--discovery-fallback", "--discovery-proxy", "--discovery-srv",
        "--discovery-srv-name", "--strict-reconfig-check", "--pre-vote", "--auto-compaction-retention", "--auto-compaction-mode",
        "--enable-v2", "--cert-file", "--key-file", "--client-cert-auth", "--client-crl-file", "--client-cert-allowed-hostname",
        "--trusted-ca-file", "--auto-tls", "--peer-cert-file", "--peer-key-file", "--peer-client-cert-auth",
        "--peer-trusted-ca-file", "--peer-cert-allowed-cn", "--peer-cert-allowed-hostname", "--peer-auto-tls", "--peer-crl-file",
        "--cipher-suites", "--cors", "--host-whitelist", "--auth-token", "--bcrypt-cost", "--auth-token-ttl", "--enable-pprof",
        "--metrics", "--listen-metrics-urls", "--logger", "--log-outputs", "--log-level", "--proxy", "--proxy-failure-wait",
        "--proxy-refresh-interval", "--proxy-dial-timeout", "--proxy-write-timeout", "--proxy-read-timeout",
        "--experimental-initial-corrupt-check", "--experimental-corrupt-check-time", "--experimental-enable-v2v3",
        "--experimental-backend-bbolt-freelist-type", "--experimental-enable-lease-checkpoint",
        "--experimental-compaction-batch-limit", "--experimental-peer-skip-client-san-verification",
        "--experimental-watch-progress-notify-interval", "--experimental-warning-apply-duration", "--force-new-cluster",
        "--debug", "--log-package-levels", "--config-file",
    ];

    [Fact]
    public void Every_etcd_34_server_flag_is_known()
    {
        string[] missing = Etcd34Flags.Where(flag => FlagCatalog.Find(flag) is not { IsEtcdFlag: true }).ToArray();

        Assert.Empty(missing);
    }

    [Fact]
    public void A_kubeadm_style_etcd_command_line_is_accepted()
    {
        ConfigLoadResult result = Load.From(flags:
        [
            ("--advertise-client-urls", "https://10.0.0.11:2379"),
            ("--cert-file", "/etc/kubernetes/pki/etcd/server.crt"),
            ("--client-cert-auth", "true"),
            ("--data-dir", "/var/lib/etcd"),
            ("--experimental-initial-corrupt-check", "true"),
            ("--experimental-watch-progress-notify-interval", "5s"),
            ("--initial-advertise-peer-urls", "https://10.0.0.11:2380"),
            ("--initial-cluster", "cp1=https://10.0.0.11:2380"),
            ("--key-file", "/etc/kubernetes/pki/etcd/server.key"),
            ("--listen-client-urls", "https://127.0.0.1:2379,https://10.0.0.11:2379"),
            ("--listen-metrics-urls", "http://127.0.0.1:2381"),
            ("--listen-peer-urls", "https://10.0.0.11:2380"),
            ("--name", "cp1"),
            ("--peer-cert-file", "/etc/kubernetes/pki/etcd/peer.crt"),
            ("--peer-client-cert-auth", "true"),
            ("--peer-key-file", "/etc/kubernetes/pki/etcd/peer.key"),
            ("--peer-trusted-ca-file", "/etc/kubernetes/pki/etcd/ca.crt"),
            ("--snapshot-count", "10000"),
            ("--trusted-ca-file", "/etc/kubernetes/pki/etcd/ca.crt"),
        ]);

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        CairnConfig config = result.Config!;
        Assert.Equal("cp1", config.Name);
        Assert.Equal(2, config.Client.ListenUrls.Count);
        Assert.True(config.Client.Tls.ClientCertAuth);
        Assert.Equal("/etc/kubernetes/pki/etcd/peer.key", config.Peer.Tls.KeyFile);
        Assert.Equal(10_000, config.Storage.SnapshotCount);
        Assert.Equal(5_000, config.Watch.ProgressNotifyIntervalMs);
        Assert.Equal("http://127.0.0.1:2381", ConfigUrls.Format(Assert.Single(config.Metrics.ListenUrls)));
        Assert.True(config.Cluster.InitialCorruptCheck);
    }

    [Fact]
    public void Etcd_variables_are_read_with_etcds_names()
    {
        var environment = new Dictionary<string, string>
        {
            ["ETCD_NAME"] = "infra0",
            ["ETCD_INITIAL_CLUSTER"] = "infra0=http://10.0.0.10:2380,infra1=http://10.0.0.11:2380",
            ["ETCD_INITIAL_ADVERTISE_PEER_URLS"] = "http://10.0.0.10:2380",
            ["ETCD_INITIAL_CLUSTER_STATE"] = "existing",
            ["ETCD_AUTO_COMPACTION_MODE"] = "revision",
            ["ETCD_AUTO_COMPACTION_RETENTION"] = "1000",
            ["ETCD_QUOTA_BACKEND_BYTES"] = "8589934592",
        };

        CairnConfig config = Load.Valid(environment: environment);

        Assert.Equal("infra0", config.Name);
        Assert.Equal(2, config.Cluster.InitialCluster.Count);
        Assert.Equal(ClusterState.Existing, config.Cluster.InitialClusterState);
        Assert.Equal(1000, config.Storage.AutoCompactionRevisions);
        Assert.Equal(8L << 30, config.Storage.QuotaBackendBytes);
    }

    [Theory]
    [InlineData("--enable-v2", "true", "the etcd v2 API is not supported")]
    [InlineData("--proxy", "on", "the etcd v2 proxy is not supported")]
    [InlineData("--discovery", "https://discovery.etcd.io/abc", "discovery bootstrap is not supported")]
    [InlineData("--force-new-cluster", null, "cairn snapshot restore")]
    [InlineData("--client-crl-file", "/etc/crl.pem", "revocation lists")]
    [InlineData("--config-file", "/etc/etcd.yml", "use --config FILE")]
    public void Unsupported_etcd_flag_is_an_error_that_says_so_by_name(string flag, string? value, string reason)
    {
        string error = Load.SingleError(flags: (flag, value));

        Assert.StartsWith($"flag {flag}: {flag} is an etcd flag that Cairn does not support: ", error);
        Assert.Contains(reason, error);
    }

    [Fact]
    public void Unsupported_etcd_variable_is_an_error_naming_the_variable()
    {
        string error = Load.SingleError(environment: new() { ["ETCD_ENABLE_V2"] = "true" });

        Assert.StartsWith("env ETCD_ENABLE_V2: --enable-v2 is an etcd flag that Cairn does not support", error);
    }

    [Theory]
    [InlineData("--enable-v2", "false")]
    [InlineData("--proxy", "off")]
    [InlineData("--cors", "*")]
    [InlineData("--pre-vote", "true")]
    [InlineData("--logger", "zap")]
    [InlineData("--enable-pprof", "false")]
    [InlineData("--log-outputs", "default")]
    public void Etcd_flags_at_harmless_values_are_accepted_silently(string flag, string value)
    {
        ConfigLoadResult result = Load.From(flags: (flag, value));

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Empty(result.Warnings);
    }

    [Theory]
    [InlineData("--enable-pprof", "true")]
    [InlineData("--pre-vote", "false")]
    [InlineData("--grpc-keepalive-interval", "1h")]
    [InlineData("--logger", "capnslog")]
    [InlineData("--metrics", "extensive")]
    public void Harmless_etcd_flags_are_accepted_with_a_warning(string flag, string value)
    {
        ConfigLoadResult result = Load.From(flags: (flag, value));

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.StartsWith($"flag {flag}: ", Assert.Single(result.Warnings).ToString());
    }

    [Fact]
    public void Auth_token_jwt_options_map_to_auth_keys()
    {
        CairnConfig config = Load.Valid(flags: ("--auth-token", "jwt,pub-key=/k/pub.pem,priv-key=/k/priv.pem,sign-method=ES256,ttl=10m"));

        Assert.Equal(AuthTokenType.Jwt, config.Auth.Token);
        Assert.Equal("/k/pub.pem", config.Auth.JwtPublicKeyFile);
        Assert.Equal("/k/priv.pem", config.Auth.JwtPrivateKeyFile);
        Assert.Equal("ES256", config.Auth.JwtSignMethod);
        Assert.Equal(600, config.Auth.TokenTtlSeconds);
    }

    [Fact]
    public void Etcd_translations_quota_zero_debug_log_outputs()
    {
        CairnConfig config = Load.Valid("[storage]\nquota_backend_bytes = \"1GiB\"\n", null,
            ("--quota-backend-bytes", "0"), ("--debug", null), ("--log-outputs", "stderr"));

        Assert.Equal(2L << 30, config.Storage.QuotaBackendBytes);
        Assert.Equal(LogSeverity.Debug, config.Log.Level);
        Assert.Equal(LogOutput.Stderr, config.Log.Output);
        Assert.Contains("Cairn logs to stdout or stderr", Load.SingleError(flags: ("--log-outputs", "/var/log/etcd.log")));
    }

    [Theory]
    [InlineData("5m", 300)]
    [InlineData("0s", null)]
    [InlineData("0", null)]
    public void Corrupt_check_time_sets_the_interval_and_zero_turns_it_off(string value, int? seconds)
    {
        CairnConfig config = Load.Valid(null, null, ("--experimental-corrupt-check-time", value), ("--experimental-initial-corrupt-check", "true"));

        Assert.Equal(seconds is int s ? TimeSpan.FromSeconds(s) : null, config.Cluster.CorruptCheckInterval);
        Assert.True(config.Cluster.InitialCorruptCheck);
    }

    [Fact]
    public void Each_key_with_a_flag_is_set_by_that_flag()
    {
        foreach (ConfigSetting setting in ConfigSchema.Settings.Where(s => s.Flag is not null))
        {
            string value = setting.FormatToml(CairnConfig.Default).Trim('"', '[', ']').Replace("\", \"", ",", StringComparison.Ordinal);
            value = setting.Flag == "--experimental-watch-progress-notify-interval" ? "10m" : value;
            ConfigLoadResult result = Load.From(flags: (setting.Flag!, value));
            Assert.True(result.Origins[setting.Key].ToString() == $"flag {setting.Flag}",
                $"{setting.Flag} did not set {setting.Key}: {string.Join("; ", result.Errors)}");
        }
    }
}
