namespace Cairn.Configuration.Tests;

/// <summary>Rules across keys, reported at the origin of the key to change.</summary>
public class ValidationTests
{
    [Fact]
    public void Initial_cluster_must_list_this_member()
    {
        string error = Load.SingleError("name = \"n1\"\n[cluster]\ninitial_cluster = [\"n2=http://127.0.0.1:2380\"]\n");

        Assert.EndsWith(":3: cluster.initial_cluster: does not list this member's name \"n1\"; add n1=<peer URL> or fix name", error);
    }

    [Fact]
    public void Initial_cluster_urls_of_this_member_must_match_its_advertised_peer_urls()
    {
        string error = Load.SingleError(environment: new() { ["ETCD_INITIAL_CLUSTER"] = "default=http://10.0.0.1:2380" });

        Assert.StartsWith("env ETCD_INITIAL_CLUSTER: cluster.initial_cluster: lists default at http://10.0.0.1:2380 but peer.advertise_urls is http://127.0.0.1:2380", error);
    }

    [Fact]
    public void Election_timeout_must_be_five_heartbeats()
    {
        string error = Load.SingleError(flags: [("--heartbeat-interval", "100"), ("--election-timeout", "400")]);

        Assert.StartsWith("flag --election-timeout: raft.election_timeout_ms: 400 ms must be at least 5 heartbeats", error);
    }

    [Fact]
    public void Tls_needs_certificate_and_key_together()
    {
        string error = Load.SingleError(flags: ("--cert-file", "/c.pem"));

        Assert.Equal("flag --cert-file: client.tls.cert_file: client.tls.key_file is missing; TLS needs both a certificate and its key", error);
    }

    [Fact]
    public void Https_listener_needs_tls_files()
    {
        string error = Load.SingleError(flags: ("--listen-peer-urls", "https://127.0.0.1:2380"));

        Assert.Equal("flag --listen-peer-urls: peer.listen_urls: an https:// URL needs peer.tls.cert_file and peer.tls.key_file", error);
    }

    [Fact]
    public void Client_cert_auth_needs_a_ca()
    {
        string error = Load.SingleError("[peer.tls]\nclient_cert_auth = true\n");

        Assert.EndsWith(":2: peer.tls.client_cert_auth: needs peer.tls.trusted_ca_file to verify certificates against", error);
    }

    [Fact]
    public void Auto_tls_is_rejected()
    {
        Assert.Contains("self-signed automatic TLS is not supported", Load.SingleError(flags: ("--auto-tls", null)));
    }

    [Fact]
    public void Tls_files_without_https_are_a_warning()
    {
        ConfigLoadResult result = Load.From(flags: [("--cert-file", "/c.pem"), ("--key-file", "/k.pem")]);

        Assert.True(result.Succeeded);
        Assert.Contains("TLS is not used", Assert.Single(result.Warnings).Message);
    }

    [Fact]
    public void Wal_segment_must_hold_the_largest_request()
    {
        string error = Load.SingleError("[storage]\nwal_segment_bytes = \"1MiB\"\n");

        Assert.EndsWith(":2: storage.wal_segment_bytes: 1 MiB must be larger than limits.max_request_bytes (1.5 MiB) so that any request fits in one segment", error);
    }

    [Theory]
    [InlineData("periodic", "1000", true)]
    [InlineData("periodic", "1h30m", true)]
    [InlineData("revision", "1000", true)]
    [InlineData("revision", "1h", false)]
    public void Auto_compaction_retention_must_fit_the_mode(string mode, string retention, bool valid)
    {
        ConfigLoadResult result = Load.From($"[storage]\nauto_compaction_mode = \"{mode}\"\nauto_compaction_retention = \"{retention}\"\n");

        Assert.Equal(valid, result.Succeeded);
        if (valid && mode == "periodic")
        {
            Assert.True(result.Config!.Storage.AutoCompactionPeriod > TimeSpan.Zero);
        }
    }

    [Fact]
    public void Jwt_needs_key_files()
    {
        Assert.Contains("jwt tokens need auth.jwt_public_key_file", Load.SingleError(flags: ("--auth-token", "jwt")));
    }

    [Fact]
    public void Listeners_must_not_share_an_address()
    {
        string error = Load.SingleError(flags: ("--listen-metrics-urls", "http://127.0.0.1:2379"));

        Assert.Equal("flag --listen-metrics-urls: metrics.listen_urls: http://127.0.0.1:2379 is also in client.listen_urls; each listener needs its own address and port", error);
    }

    [Fact]
    public void Member_name_cannot_break_name_url_lists()
    {
        Assert.Contains("without '='", Load.SingleError(flags: ("--name", "a=b")));
    }
}
