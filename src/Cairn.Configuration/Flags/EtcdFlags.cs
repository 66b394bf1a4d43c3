namespace Cairn.Configuration.Flags;

/// <summary>
/// etcd 3.4's server flags (from <c>etcd --help</c> of 3.4.23), so that etcd unit files, kubeadm manifests and
/// <c>ETCD_*</c> environments carry over. Each flag is mapped to a Cairn key, accepted but ignored with a
/// warning (harmless: Cairn already behaves that way or has no such knob), or rejected by name (Cairn lacks the
/// feature and ignoring it would be wrong). A flag given at its etcd default value is always accepted silently.
/// </summary>
internal static partial class EtcdFlags
{
    public static IReadOnlyList<FlagDefinition> All { get; } = [.. Member(), .. Clustering(), .. Security(), .. AuthAndMonitoring(), .. Logging(), .. ProxyAndExperimental()];

    private static IEnumerable<FlagDefinition> Member()
    {
        yield return Mapped("--name", "name", "Human-readable name of this member");
        yield return Mapped("--data-dir", "data_dir", "Path to the data directory");
        yield return Mapped("--wal-dir", "storage.wal_dir", "Path to a dedicated WAL directory (default: wal under the data directory)");
        yield return Mapped("--snapshot-count", "storage.snapshot_count", "Committed entries between snapshots");
        yield return Mapped("--heartbeat-interval", "raft.heartbeat_interval_ms", "Heartbeat interval in milliseconds");
        yield return Mapped("--election-timeout", "raft.election_timeout_ms", "Election timeout in milliseconds");
        yield return Ignored("--initial-election-tick-advance", "Cairn's raft start-up timing is fixed", IsTrue, isBoolean: true);
        yield return Mapped("--listen-peer-urls", "peer.listen_urls", "URLs to listen on for peer traffic (comma-separated)");
        yield return Mapped("--listen-client-urls", "client.listen_urls", "URLs to listen on for client traffic (comma-separated)");
        yield return Mapped("--max-snapshots", "storage.max_snapshots", "Snapshot files to keep (0 keeps all)");
        yield return Mapped("--max-wals", "storage.max_wal_files", "WAL files to keep (0 keeps all)");
        yield return Custom("--quota-backend-bytes", "Backend size at which the NOSPACE alarm is raised (0 = default, 2 GiB)",
            (value, context) => context.Assign("storage.quota_backend_bytes", value.Trim() == "0" ? "2GiB" : value));
        yield return Ignored("--backend-batch-interval", "Cairn has no bbolt backend", value => value.Length == 0);
        yield return Ignored("--backend-batch-limit", "Cairn has no bbolt backend", value => value is "" or "0");
        yield return Mapped("--max-txn-ops", "limits.max_txn_ops", "Maximum operations in one transaction");
        yield return Mapped("--max-request-bytes", "limits.max_request_bytes", "Maximum client request size in bytes");
        yield return Mapped("--max-concurrent-streams", "limits.max_concurrent_streams", "Maximum concurrent streams per client connection");
        yield return Ignored("--grpc-keepalive-min-time", "Cairn uses its HTTP/2 server's keep-alive handling", value => value == "5s");
        yield return Ignored("--grpc-keepalive-interval", "Cairn uses its HTTP/2 server's keep-alive handling", value => value == "2h");
        yield return Ignored("--grpc-keepalive-timeout", "Cairn uses its HTTP/2 server's keep-alive handling", value => value == "20s");
    }

    private static IEnumerable<FlagDefinition> Clustering()
    {
        yield return Mapped("--initial-advertise-peer-urls", "peer.advertise_urls", "This member's peer URLs to advertise (comma-separated)");
        yield return Mapped("--initial-cluster", "cluster.initial_cluster", "Initial cluster: name=peer-url,... (default: this member alone)");
        yield return Mapped("--initial-cluster-state", "cluster.initial_cluster_state", "Initial cluster state: new or existing");
        yield return Mapped("--initial-cluster-token", "cluster.initial_cluster_token", "Initial cluster token");
        yield return Mapped("--advertise-client-urls", "client.advertise_urls", "This member's client URLs to advertise (comma-separated)");
        const string NoDiscovery = "discovery bootstrap is not supported; list the members with --initial-cluster";
        yield return Unsupported("--discovery", NoDiscovery, IsEmpty);
        yield return Unsupported("--discovery-fallback", NoDiscovery, value => value is "proxy" or "exit");
        yield return Unsupported("--discovery-proxy", NoDiscovery, IsEmpty);
        yield return Unsupported("--discovery-srv", NoDiscovery, IsEmpty);
        yield return Unsupported("--discovery-srv-name", NoDiscovery, IsEmpty);
        yield return Ignored("--strict-reconfig-check", "Cairn always rejects membership changes that would lose quorum", IsTrue, isBoolean: true);
        yield return Ignored("--pre-vote", "Cairn always runs the pre-vote phase", IsTrue, isBoolean: true);
        yield return Mapped("--auto-compaction-retention", "storage.auto_compaction_retention", "Auto compaction retention (0 = off; e.g. 1h or 1000)");
        yield return Mapped("--auto-compaction-mode", "storage.auto_compaction_mode", "Auto compaction mode: periodic or revision");
        yield return Unsupported("--enable-v2", "the etcd v2 API is not supported; Cairn serves the v3 API", IsFalse, isBoolean: true);
    }

    private static IEnumerable<FlagDefinition> Security()
    {
        yield return Mapped("--cert-file", "client.tls.cert_file", "Client TLS certificate file");
        yield return Mapped("--key-file", "client.tls.key_file", "Client TLS key file");
        yield return Mapped("--client-cert-auth", "client.tls.client_cert_auth", "Require client certificates", isBoolean: true);
        yield return Unsupported("--client-crl-file", "certificate revocation lists are not supported", IsEmpty);
        yield return Unsupported("--client-cert-allowed-hostname", "host name checks of client certificates are not supported", IsEmpty);
        yield return Mapped("--trusted-ca-file", "client.tls.trusted_ca_file", "Client TLS trusted CA file");
        yield return Mapped("--auto-tls", "client.tls.auto_tls", "Self-signed client TLS (not supported: must be false)", isBoolean: true);
        yield return Mapped("--peer-cert-file", "peer.tls.cert_file", "Peer TLS certificate file");
        yield return Mapped("--peer-key-file", "peer.tls.key_file", "Peer TLS key file");
        yield return Mapped("--peer-client-cert-auth", "peer.tls.client_cert_auth", "Require peer client certificates", isBoolean: true);
        yield return Mapped("--peer-trusted-ca-file", "peer.tls.trusted_ca_file", "Peer TLS trusted CA file");
        yield return Unsupported("--peer-cert-allowed-cn", "CN checks of peer certificates are not supported", IsEmpty);
        yield return Unsupported("--peer-cert-allowed-hostname", "host name checks of peer certificates are not supported", IsEmpty);
        yield return Mapped("--peer-auto-tls", "peer.tls.auto_tls", "Self-signed peer TLS (not supported: must be false)", isBoolean: true);
        yield return Unsupported("--peer-crl-file", "certificate revocation lists are not supported", IsEmpty);
        yield return Unsupported("--cipher-suites", "Cairn uses the platform's TLS 1.2/1.3 cipher suites", IsEmpty);
        yield return Unsupported("--cors", "CORS headers are not supported", value => value is "" or "*");
        yield return Unsupported("--host-whitelist", "host name allow-lists are not supported", value => value is "" or "*");
    }

    private static IEnumerable<FlagDefinition> AuthAndMonitoring()
    {
        yield return Custom("--auth-token", "Auth token type: simple, or jwt,pub-key=FILE,priv-key=FILE,sign-method=RS256[,ttl=5m]", ApplyAuthToken);
        yield return Mapped("--bcrypt-cost", "auth.bcrypt_cost", "bcrypt cost of password hashes (4-31)");
        yield return Mapped("--auth-token-ttl", "auth.token_ttl_seconds", "Token lifetime in seconds");
        yield return Ignored("--enable-pprof", "Cairn has no pprof endpoint", IsFalse, isBoolean: true);
        yield return Ignored("--metrics", "Cairn exports one fixed set of metrics", value => value == "basic");
        yield return Mapped("--listen-metrics-urls", "metrics.listen_urls", "Extra URLs serving only /metrics and /health (comma-separated)");
    }
}
