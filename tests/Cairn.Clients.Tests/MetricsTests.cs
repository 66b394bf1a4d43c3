using System.Text;
using Cairn.Testing;

namespace Cairn.Clients.Tests;

/// <summary>/metrics end to end: the format parses, the counters move with traffic, and the names match etcd's.</summary>
public class MetricsTests
{
    /// <summary>The etcd metric names Cairn promises (docs/GATEWAY.md); each must also be in real etcd's /metrics.</summary>
    private static readonly string[] EtcdNames =
    [
        "etcd_server_has_leader", "etcd_server_is_leader", "etcd_server_leader_changes_seen_total",
        "etcd_server_proposals_committed_total", "etcd_server_proposals_applied_total", "etcd_server_proposals_pending",
        "etcd_server_proposals_failed_total", "etcd_disk_wal_fsync_duration_seconds", "etcd_mvcc_db_total_size_in_bytes",
        "etcd_debugging_mvcc_keys_total", "etcd_server_version", "grpc_server_started_total", "grpc_server_handled_total",
        "grpc_server_msg_received_total", "grpc_server_msg_sent_total", "process_resident_memory_bytes",
        "process_start_time_seconds", "process_cpu_seconds_total", "process_open_fds", "process_virtual_memory_bytes",
    ];

    [Fact]
    public async Task Metrics_parse_and_move_with_grpc_and_gateway_traffic()
    {
        await using var cairn = await CairnServer.StartAsync();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        var before = PrometheusText.Parse(await ScrapeAsync(http, cairn.ClientUrl));

        for (int i = 0; i < 5; i++)
        {
            (await Etcdctl.RunAsync(cairn.Endpoint, "put", $"metrics-{i}", "v")).EnsureSuccess("etcdctl put");
        }
        for (int i = 0; i < 3; i++)
        {
            using var gatewayPut = await http.PostAsync($"{cairn.ClientUrl}/v3/kv/put",
                new StringContent($"{{\"key\":\"{Convert.ToBase64String(Encoding.UTF8.GetBytes($"gw-{i}"))}\",\"value\":\"eA==\"}}"));
            gatewayPut.EnsureSuccessStatusCode();
        }
        Assert.NotEqual(0, (await Etcdctl.RunAsync(cairn.Endpoint, "get", "metrics-0", "--rev", "999")).ExitCode);
        var after = PrometheusText.Parse(await ScrapeAsync(http, cairn.ClientUrl));

        (string, string) put = ("grpc_method", "Put");
        Assert.True(Delta(before, after, "grpc_server_handled_total", put, ("grpc_code", "OK")) >= 8, "Put calls (gRPC and gateway) counted");
        Assert.True(Delta(before, after, "grpc_server_started_total", put) >= 8);
        Assert.True(Delta(before, after, "grpc_server_msg_received_total", put) >= 8);
        Assert.True(Delta(before, after, "grpc_server_msg_sent_total", put) >= 8);
        Assert.Equal(1, Delta(before, after, "grpc_server_handled_total", ("grpc_method", "Range"), ("grpc_code", "OutOfRange")));
        Assert.Equal("unary", after.First(s => s.Name == "grpc_server_started_total" && s.Labels["grpc_method"] == "Put").Labels["grpc_type"]);
        Assert.True(Delta(before, after, "etcd_server_proposals_applied_total") >= 8);
        Assert.True(Delta(before, after, "etcd_server_proposals_committed_total") >= 8);
        Assert.True(Delta(before, after, "etcd_disk_wal_fsync_duration_seconds_count") >= 1, "WAL syncs observed");
        Assert.Equal(
            PrometheusText.Value(after, "etcd_disk_wal_fsync_duration_seconds_count"),
            PrometheusText.Value(after, "etcd_disk_wal_fsync_duration_seconds_bucket", ("le", "+Inf")));
        Assert.True(PrometheusText.Value(after, "etcd_debugging_mvcc_keys_total") >= 8);
        Assert.True(Delta(before, after, "etcd_mvcc_db_total_size_in_bytes") > 0);
        Assert.Equal(1, PrometheusText.Value(after, "etcd_server_has_leader"));
        Assert.Equal(1, PrometheusText.Value(after, "etcd_server_is_leader"));
        Assert.True(PrometheusText.Value(after, "etcd_server_leader_changes_seen_total") >= 1);
        Assert.Equal(0, PrometheusText.Value(after, "etcd_server_proposals_pending"));
        Assert.Equal(1, PrometheusText.Value(after, "etcd_server_version", ("server_version", Cairn.Protocol.EtcdCompatibility.ServerVersion)));
        Assert.True(PrometheusText.Value(after, "process_resident_memory_bytes") > 1 << 20);
        double started = PrometheusText.Value(after, "process_start_time_seconds");
        Assert.InRange(started, DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 600, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
    }

    [Fact]
    public async Task Metric_names_cairn_reports_are_etcd_names()
    {
        await using var cairn = await CairnServer.StartAsync();
        await using var etcd = await EtcdServer.StartAsync();
        (await Etcdctl.RunAsync(etcd.Endpoint, "put", "k", "v")).EnsureSuccess("etcdctl put on etcd");
        (await Etcdctl.RunAsync(cairn.Endpoint, "put", "k", "v")).EnsureSuccess("etcdctl put on cairn");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };

        string etcdText = await ScrapeAsync(http, etcd.ClientUrl, expectExactContentType: false);
        string cairnText = await ScrapeAsync(http, cairn.ClientUrl);
        IReadOnlySet<string> etcdNames = PrometheusText.FamilyNames(etcdText);
        IReadOnlySet<string> cairnNames = PrometheusText.FamilyNames(cairnText);

        var missingInEtcd = EtcdNames.Where(n => !etcdNames.Contains(n)).ToArray();
        var missingInCairn = EtcdNames.Where(n => !cairnNames.Contains(n)).ToArray();
        var inventedByCairn = cairnNames.Where(n => !etcdNames.Contains(n)).ToArray();
        Assert.True(missingInEtcd.Length == 0, $"not etcd names: {string.Join(", ", missingInEtcd)}");
        Assert.True(missingInCairn.Length == 0, $"missing in cairn: {string.Join(", ", missingInCairn)}");
        Assert.True(inventedByCairn.Length == 0, $"cairn reports names etcd does not have: {string.Join(", ", inventedByCairn)}");
        // The same label names on the gRPC counters, so dashboards written for etcd work unchanged.
        var etcdHandled = PrometheusText.Parse(etcdText).First(s => s.Name == "grpc_server_handled_total");
        var cairnHandled = PrometheusText.Parse(cairnText).First(s => s.Name == "grpc_server_handled_total");
        Assert.Equal(etcdHandled.Labels.Keys.Order(), cairnHandled.Labels.Keys.Order());
    }

    [Fact]
    public async Task Metrics_answers_only_get()
    {
        await using var cairn = await CairnServer.StartAsync();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };

        using var post = await http.PostAsync($"{cairn.ClientUrl}/metrics", new StringContent(""));

        Assert.Equal(System.Net.HttpStatusCode.MethodNotAllowed, post.StatusCode);
    }

    private static async Task<string> ScrapeAsync(HttpClient http, string url, bool expectExactContentType = true)
    {
        using var response = await http.GetAsync($"{url}/metrics");
        response.EnsureSuccessStatusCode();
        string? contentType = response.Content.Headers.ContentType?.ToString();
        Assert.StartsWith("text/plain", contentType, StringComparison.Ordinal);
        if (expectExactContentType)
        {
            Assert.Contains("version=0.0.4", contentType, StringComparison.Ordinal);
        }
        return await response.Content.ReadAsStringAsync();
    }

    private static double Delta(IReadOnlyList<PrometheusSample> before, IReadOnlyList<PrometheusSample> after, string name,
        params (string, string)[] labels) =>
        PrometheusText.Value(after, name, labels) - PrometheusText.Value(before, name, labels);
}
