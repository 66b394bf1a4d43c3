using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Cairn.Testing;

namespace Cairn.Cluster.Tests;

/// <summary>A new 3-member cluster from --initial-cluster: membership, one leader, writes and linearizable reads
/// through any member, per-peer transport counters on /metrics, and a peer of another cluster refused at the
/// handshake.</summary>
[Collection(ClusterCollection.Name)]
public sealed class BootstrapTests(BootstrapTests.Fixture fixture) : IClassFixture<BootstrapTests.Fixture>
{
    /// <summary>One cluster shared by the tests of this class (none of them kills a member).</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        public TestCluster Cluster { get; private set; } = null!;

        public async Task InitializeAsync() => Cluster = await TestCluster.StartAsync("bootstrap-test");

        public async Task DisposeAsync() => await Cluster.DisposeAsync();
    }

    private TestCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task Member_list_shows_the_three_initial_members_with_their_urls()
    {
        foreach (ClusterMember member in Cluster.Members)
        {
            ProcessResult result = (await Etcdctl.RunAsync(member.Endpoint, "member", "list", "-w", "json")).EnsureSuccess("member list");
            using JsonDocument document = JsonDocument.Parse(result.Stdout);
            var members = document.RootElement.GetProperty("members").EnumerateArray()
                .Select(m => (Name: m.GetProperty("name").GetString(), Peer: m.GetProperty("peerURLs")[0].GetString(),
                    Client: m.GetProperty("clientURLs")[0].GetString()))
                .OrderBy(m => m.Name, StringComparer.Ordinal)
                .ToList();
            Assert.Equal(3, members.Count);
            for (int i = 0; i < 3; i++)
            {
                MemberSpec spec = Cluster.Members[i].Spec;
                Assert.Equal((spec.Name, spec.PeerUrl, $"http://127.0.0.1:{spec.ClientPort}"), members[i]);
            }
        }
    }

    [Fact]
    public async Task Endpoint_status_of_all_members_shows_one_leader_that_every_member_agrees_on()
    {
        // All three endpoints named; the --cluster form (endpoints from the member list) is compared with real etcd in
        // ClusterCliDifferentialTests.
        ProcessResult result = (await Etcdctl.RunAsync(Cluster.AllEndpoints, "endpoint", "status", "-w", "json"))
            .EnsureSuccess("endpoint status");
        using JsonDocument document = JsonDocument.Parse(result.Stdout);
        var statuses = document.RootElement.EnumerateArray().Select(e => e.GetProperty("Status")).ToList();
        Assert.Equal(3, statuses.Count);
        var memberIds = statuses.Select(s => s.GetProperty("header").GetProperty("member_id").GetUInt64()).ToHashSet();
        var leaders = statuses.Select(s => s.GetProperty("leader").GetUInt64()).Distinct().ToList();
        var clusterIds = statuses.Select(s => s.GetProperty("header").GetProperty("cluster_id").GetUInt64()).Distinct().ToList();
        Assert.Equal(3, memberIds.Count);
        Assert.Single(clusterIds);
        Assert.Single(leaders);
        Assert.Contains(leaders[0], memberIds);
    }

    [Fact]
    public async Task A_put_through_member_1_is_read_linearizably_through_member_3_and_serializably_everywhere()
    {
        string value = $"v-{Guid.NewGuid():N}";
        await TestCluster.PutAsync(Cluster.Members[0], "bootstrap/key", value);
        // A linearizable read on a follower goes through ReadIndex at the leader: it must see the acknowledged write.
        Assert.Equal(value, await TestCluster.GetAsync(Cluster.Members[2], "bootstrap/key"));
        Assert.Equal(value, await TestCluster.GetAsync(Cluster.Members[1], "bootstrap/key"));
        // A serializable read is local; after the linearizable ones it may still lag briefly, so poll with a deadline.
        foreach (ClusterMember member in Cluster.Members)
        {
            await Poll.UntilAsync(async () => await TestCluster.GetAsync(member, "bootstrap/key", serializable: true) == value,
                TestCluster.Deadline, $"{member.Spec.Name} applied the write");
        }
    }

    [Fact]
    public async Task Writes_through_every_member_are_all_kept_in_order()
    {
        for (int i = 0; i < 6; i++)
        {
            await TestCluster.PutAsync(Cluster.Members[i % 3], $"each/{i}", $"value-{i}");
        }

        ProcessResult result = (await Etcdctl.RunAsync(Cluster.Members[1].Endpoint, "get", "each/", "--prefix", "-w", "json"))
            .EnsureSuccess("get --prefix");
        using JsonDocument document = JsonDocument.Parse(result.Stdout);
        var kvs = document.RootElement.GetProperty("kvs").EnumerateArray()
            .Select(kv => (Key: Encoding.UTF8.GetString(kv.GetProperty("key").GetBytesFromBase64()),
                Value: Encoding.UTF8.GetString(kv.GetProperty("value").GetBytesFromBase64()),
                Revision: kv.GetProperty("mod_revision").GetInt64()))
            .ToList();
        Assert.Equal(Enumerable.Range(0, 6).Select(i => ($"each/{i}", $"value-{i}")), kvs.Select(kv => (kv.Key, kv.Value)));
        Assert.True(kvs.Zip(kvs.Skip(1)).All(pair => pair.First.Revision < pair.Second.Revision), "revisions follow the write order");
    }

    [Theory]
    [InlineData("other-cluster", "belongs to cluster")]
    [InlineData("unknown-member", "is not a member of cluster")]
    [InlineData("not-cairn", "did not start with the Cairn peer handshake")]
    public async Task The_peer_port_refuses_a_bad_handshake_with_a_reason(string variant, string expectedReason)
    {
        ClusterMember target = Cluster.Members[0];
        (ulong clusterId, ulong memberId, ulong peerId) = await IdsAsync(target, Cluster.Members[1]);
        byte[] hello = new byte[32];
        "CAIRNPR"u8.CopyTo(hello);
        hello[7] = 1;
        BinaryPrimitives.WriteUInt64LittleEndian(hello.AsSpan(8), variant == "other-cluster" ? clusterId ^ 0x5a5a : clusterId);
        BinaryPrimitives.WriteUInt64LittleEndian(hello.AsSpan(16), variant == "unknown-member" ? 0xdead_beef_0000_0001 : peerId);
        BinaryPrimitives.WriteUInt64LittleEndian(hello.AsSpan(24), memberId);
        if (variant == "not-cairn")
        {
            "GET / HTTP/1.1\r\nHost: x\r\n\r\n12345"u8.CopyTo(hello);
        }

        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", target.Spec.PeerPort);
        NetworkStream stream = client.GetStream();
        await stream.WriteAsync(hello);
        byte[] head = new byte[3];
        await stream.ReadExactlyAsync(head).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        byte[] reason = new byte[BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(1))];
        await stream.ReadExactlyAsync(reason).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, head[0]);
        Assert.Contains(expectedReason, Encoding.UTF8.GetString(reason), StringComparison.Ordinal);
        await Poll.UntilAsync(() => Task.FromResult(target.Output.Contains("refused a peer connection", StringComparison.Ordinal)),
            TestCluster.Deadline, "the refusal is logged");
    }

    [Fact]
    public async Task Metrics_count_what_each_member_sent_to_and_received_from_each_peer()
    {
        for (int i = 0; i < 9; i++)
        {
            await TestCluster.PutAsync(Cluster.Members[i % 3], $"metrics/k{i}", "v");
        }

        var ids = new List<ulong>();
        foreach (ClusterMember member in Cluster.Members)
        {
            ids.Add((await IdsAsync(member, member)).MemberId);
        }

        ulong leader = await TestCluster.WaitForAgreedLeaderAsync(Cluster.Members, TestCluster.Deadline);
        for (int m = 0; m < Cluster.Members.Count; m++)
        {
            ClusterMember member = Cluster.Members[m];
            foreach (ulong peer in ids.Where(id => id != ids[m]))
            {
                string to = $"{{To=\"{peer:x}\"}}";
                // Raft messages flow between the leader and each follower only; every member dials every peer.
                string[] positive = ids[m] == leader || peer == leader
                    ? [$"etcd_network_peer_sent_bytes_total{to}", $"etcd_network_peer_received_bytes_total{{From=\"{peer:x}\"}}",
                        $"cairn_network_peer_messages_sent_total{to}", $"cairn_network_peer_connections_total{to}"]
                    : [$"cairn_network_peer_connections_total{to}"];
                string[] present = [$"etcd_network_peer_sent_failures_total{to}", $"cairn_network_peer_queue_depth{to}",
                    $"etcd_network_snapshot_send_success{to}", $"etcd_network_snapshot_send_failures{to}"];
                string metrics = "";
                await Poll.UntilAsync(async () =>
                {
                    metrics = await MetricsAsync(member);
                    return positive.All(series => SampleOf(metrics, series) > 0);
                }, TestCluster.Deadline, $"{member.Spec.Name}'s peer counters for {peer:x} above 0");
                Assert.All(present, series => Assert.True(SampleOf(metrics, series) >= 0, $"{series} in {member.Spec.Name}'s /metrics"));
                Assert.DoesNotContain($"{{To=\"{ids[m]:x}\"}}", metrics, StringComparison.Ordinal);
            }
        }
    }

    /// <summary>The value of one sample (name and labels exactly), or -1 when /metrics does not have it.</summary>
    private static double SampleOf(string metrics, string series)
    {
        string? line = metrics.Split('\n').FirstOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        return line is null ? -1 : double.Parse(line[(series.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<string> MetricsAsync(ClusterMember member)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        return await http.GetStringAsync(new Uri($"http://{member.Endpoint}/metrics"));
    }

    private static async Task<(ulong ClusterId, ulong MemberId, ulong PeerId)> IdsAsync(ClusterMember target, ClusterMember peer)
    {
        static async Task<(ulong, ulong)> Header(ClusterMember member)
        {
            ProcessResult result = (await Etcdctl.RunAsync(member.Endpoint, "endpoint", "status", "-w", "json")).EnsureSuccess("endpoint status");
            using JsonDocument document = JsonDocument.Parse(result.Stdout);
            JsonElement header = document.RootElement[0].GetProperty("Status").GetProperty("header");
            return (header.GetProperty("cluster_id").GetUInt64(), header.GetProperty("member_id").GetUInt64());
        }

        (ulong clusterId, ulong memberId) = await Header(target);
        (_, ulong peerId) = await Header(peer);
        return (clusterId, memberId, peerId);
    }
}
