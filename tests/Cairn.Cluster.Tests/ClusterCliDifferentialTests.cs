using System.Text.Json;
using System.Text.RegularExpressions;
using Cairn.Testing;

namespace Cairn.Cluster.Tests;

/// <summary>
/// Stock etcdctl against a real 3-member etcd 3.4 cluster and a 3-member Cairn cluster, same question to both:
/// <c>member list</c>, <c>endpoint status|health|hashkv --cluster</c>. What legitimately differs (IDs, URLs, ports,
/// sizes, versions, raft positions, durations, the order of members) is normalized away; field names, row counts,
/// leader and learner flags and texts must be the same.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed partial class ClusterCliDifferentialTests(ClusterCliDifferentialTests.Fixture fixture)
    : IClassFixture<ClusterCliDifferentialTests.Fixture>
{
    /// <summary>An etcd and a Cairn cluster, each holding the same three keys (an empty store has no sizes).</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        public LocalCluster Etcd { get; private set; } = null!;

        public LocalCluster Cairn { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Etcd = await LocalCluster.StartAsync(3, MemberCommands.Etcd, new LoopbackNetwork(3));
            Cairn = await LocalCluster.StartAsync(3, MemberCommands.Cairn, new LoopbackNetwork(3));
            foreach (LocalCluster cluster in new[] { Etcd, Cairn })
            {
                for (int i = 0; i < 3; i++)
                {
                    (await Etcdctl.RunAsync(cluster.Endpoints[i], "put", $"diff/{i}", $"value-{i}")).EnsureSuccess("put");
                }
            }
        }

        public async Task DisposeAsync()
        {
            await Etcd.DisposeAsync();
            await Cairn.DisposeAsync();
        }
    }

    public static TheoryData<string> MemberListFormats => new() { "table", "json", "simple" };

    [Theory]
    [MemberData(nameof(MemberListFormats))]
    public async Task Member_list_has_the_same_shape(string format)
    {
        (string etcd, string cairn) = await BothAsync("member", "list", "-w", format);
        Assert.Equal(etcd, cairn);
        Assert.Equal(3, Regex.Matches(cairn, "started").Count + Regex.Matches(cairn, "\"name\"").Count);
    }

    [Theory]
    [InlineData("table")]
    [InlineData("json")]
    public async Task Endpoint_status_cluster_has_the_same_shape_and_one_leader(string format)
    {
        (string etcd, string cairn) = await BothAsync("endpoint", "status", "--cluster", "-w", format);
        Assert.Equal(etcd, cairn);
        if (format == "table")
        {
            // Columns: endpoint, ID, version, size, IS LEADER, IS LEARNER, ...
            Assert.Single(Regex.Matches(cairn, @"\| SIZE \| true \| false \|"));
            Assert.Equal(2, Regex.Matches(cairn, @"\| SIZE \| false \| false \|").Count);
        }
    }

    [Fact]
    public async Task Endpoint_status_json_names_one_leader_that_is_a_member()
    {
        foreach (LocalCluster cluster in new[] { fixture.Etcd, fixture.Cairn })
        {
            ProcessResult result = (await Etcdctl.RunAsync(cluster.Endpoints[0], "endpoint", "status", "--cluster", "-w", "json"))
                .EnsureSuccess("endpoint status");
            using JsonDocument document = JsonDocument.Parse(result.Stdout);
            var statuses = document.RootElement.EnumerateArray().Select(e => e.GetProperty("Status")).ToList();
            var ids = statuses.Select(s => s.GetProperty("header").GetProperty("member_id").GetUInt64()).ToList();
            var leaders = statuses.Select(s => s.GetProperty("leader").GetUInt64()).Distinct().ToList();
            Assert.Equal(3, ids.Distinct().Count());
            Assert.Single(leaders);
            Assert.Contains(leaders[0], ids);
            Assert.All(statuses, s => Assert.False(s.TryGetProperty("isLearner", out _)));
        }
    }

    [Theory]
    [InlineData("simple")]
    [InlineData("json")]
    [InlineData("table")]
    public async Task Endpoint_health_cluster_has_the_same_shape(string format)
    {
        (string etcd, string cairn) = await BothAsync("endpoint", "health", "--cluster", "-w", format);
        Assert.Equal(etcd, cairn);
        Assert.Equal(3, Regex.Matches(cairn, "healthy: successfully committed proposal|\"health\":true|\\| true \\|").Count);
    }

    [Theory]
    [InlineData("simple")]
    [InlineData("json")]
    [InlineData("table")]
    public async Task Endpoint_hashkv_cluster_has_the_same_shape_and_members_agree(string format)
    {
        (string etcd, string cairn) = await BothAsync("endpoint", "hashkv", "--cluster", "-w", format);
        Assert.Equal(etcd, cairn);
        // Each member hashes at its own current revision: a follower may still be applying the last write.
        await Poll.UntilAsync(async () =>
        {
            ProcessResult simple = (await Etcdctl.RunAsync(fixture.Cairn.Endpoints[1], "endpoint", "hashkv", "--cluster"))
                .EnsureSuccess("hashkv");
            var hashes = simple.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(", ")[1]).ToList();
            return hashes.Count == 3 && hashes.Distinct().Count() == 1;
        }, TestCluster.Deadline, "three Cairn members with one hash");
    }

    [Fact]
    public async Task Alarm_list_is_empty_on_both()
    {
        (string etcd, string cairn) = await BothAsync("alarm", "list");
        Assert.Equal("", etcd);
        Assert.Equal(etcd, cairn);
    }

    [Fact]
    public async Task With_a_follower_down_health_and_hashkv_report_the_same_errors()
    {
        int etcdDown = await KillFollowerAsync(fixture.Etcd);
        int cairnDown = await KillFollowerAsync(fixture.Cairn);
        try
        {
            // The dead member costs a command timeout each; 5 s instead of the helper's 20 s.
            foreach (string[] command in new[]
            {
                new[] { "endpoint", "health", "--cluster", "--command-timeout=5s" },
                ["endpoint", "hashkv", "--cluster", "-w", "table", "--command-timeout=5s"],
            })
            {
                ProcessResult etcd = await Etcdctl.RunAsync(fixture.Etcd.Endpoints[0], command);
                ProcessResult cairn = await Etcdctl.RunAsync(fixture.Cairn.Endpoints[0], command);
                Assert.Equal(etcd.ExitCode, cairn.ExitCode);
                Assert.NotEqual(0, cairn.ExitCode);
                Assert.Equal(ClusterOutput.Normalize(etcd.Stdout + etcd.Stderr), ClusterOutput.Normalize(cairn.Stdout + cairn.Stderr));
            }
        }
        finally
        {
            await fixture.Etcd.RestartAsync(etcdDown);
            await fixture.Cairn.RestartAsync(cairnDown);
        }
    }

    [Fact]
    public async Task With_a_corrupt_alarm_both_refuse_writes_serve_reads_and_disarm_alike()
    {
        foreach (LocalCluster cluster in new[] { fixture.Etcd, fixture.Cairn })
        {
            await RaiseCorruptAlarmAsync(cluster);
        }

        try
        {
            string[][] commands =
            [
                ["alarm", "list"], ["put", "diff/corrupt", "x"], ["get", "diff/0"], ["get", "diff/0", "--consistency=s"],
                ["del", "diff/0"], ["lease", "grant", "10"], ["compaction", "1"], ["endpoint", "status", "--cluster"],
                ["endpoint", "health"], ["alarm", "disarm"], ["alarm", "list"], ["put", "diff/after", "x"],
            ];
            foreach (string[] command in commands)
            {
                ProcessResult etcd = await Etcdctl.RunAsync(fixture.Etcd.Endpoints[1], command);
                ProcessResult cairn = await Etcdctl.RunAsync(fixture.Cairn.Endpoints[1], command);
                string what = string.Join(' ', command);
                Assert.True(etcd.ExitCode == cairn.ExitCode, $"{what}: etcd exit {etcd.ExitCode} ({etcd.Stderr}), cairn exit {cairn.ExitCode} ({cairn.Stderr})");
                Assert.Equal(ClusterOutput.Normalize(etcd.Stdout + etcd.Stderr), ClusterOutput.Normalize(cairn.Stdout + cairn.Stderr));
                if (what == "put diff/corrupt x")
                {
                    Assert.Contains("etcdserver: corrupt cluster", cairn.Stderr, StringComparison.Ordinal);
                }
            }
        }
        finally
        {
            foreach (LocalCluster cluster in new[] { fixture.Etcd, fixture.Cairn })
            {
                await Etcdctl.RunAsync(cluster.Endpoints[0], "alarm", "disarm");
            }
        }
    }

    /// <summary>Activates CORRUPT for member 0 through the JSON gateway (etcdctl has no verb that raises alarms).</summary>
    private static async Task RaiseCorruptAlarmAsync(LocalCluster cluster)
    {
        ProcessResult result = (await Etcdctl.RunAsync(cluster.Endpoints[0], "endpoint", "status", "-w", "json")).EnsureSuccess("status");
        using JsonDocument document = JsonDocument.Parse(result.Stdout);
        ulong id = document.RootElement[0].GetProperty("Status").GetProperty("header").GetProperty("member_id").GetUInt64();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        using var body = new StringContent($"{{\"action\":\"ACTIVATE\",\"memberID\":\"{id}\",\"alarm\":\"CORRUPT\"}}");
        using HttpResponseMessage response = await http.PostAsync($"{cluster.Members[0].ClientUrl}/v3/maintenance/alarm", body);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Kills a member that is neither the leader nor member 0 (which the tests query); returns its index.</summary>
    private static async Task<int> KillFollowerAsync(LocalCluster cluster)
    {
        ProcessResult result = (await Etcdctl.RunAsync(cluster.Endpoints[0], "endpoint", "status", "-w", "json")).EnsureSuccess("status");
        using JsonDocument document = JsonDocument.Parse(result.Stdout);
        JsonElement status = document.RootElement[0].GetProperty("Status");
        bool memberZeroLeads = status.GetProperty("leader").GetUInt64() == status.GetProperty("header").GetProperty("member_id").GetUInt64();
        int victim = 2;
        if (!memberZeroLeads)
        {
            // Member 1 or 2 leads; kill the other one.
            ProcessResult second = (await Etcdctl.RunAsync(cluster.Endpoints[2], "endpoint", "status", "-w", "json")).EnsureSuccess("status");
            using JsonDocument other = JsonDocument.Parse(second.Stdout);
            JsonElement otherStatus = other.RootElement[0].GetProperty("Status");
            victim = otherStatus.GetProperty("leader").GetUInt64() == otherStatus.GetProperty("header").GetProperty("member_id").GetUInt64() ? 1 : 2;
        }

        await cluster.KillAsync(victim);
        return victim;
    }

    /// <summary>Runs etcdctl with <paramref name="arguments"/> against member 0 of each cluster; both must succeed.
    /// Returns both outputs normalized.</summary>
    private async Task<(string Etcd, string Cairn)> BothAsync(params string[] arguments)
    {
        ProcessResult etcd = await Etcdctl.RunAsync(fixture.Etcd.Endpoints[0], arguments);
        ProcessResult cairn = await Etcdctl.RunAsync(fixture.Cairn.Endpoints[0], arguments);
        Assert.True(etcd.ExitCode == 0, $"etcd: {etcd.Stderr}");
        Assert.True(cairn.ExitCode == 0, $"cairn: {cairn.Stderr}\n{fixture.Cairn.Output()}");
        // etcdctl prints some results (endpoint health) to stderr.
        return (ClusterOutput.Normalize(etcd.Stdout + etcd.Stderr), ClusterOutput.Normalize(cairn.Stdout + cairn.Stderr));
    }
}
