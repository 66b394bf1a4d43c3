using System.Text.Json;
using Cairn.Testing;

namespace Cairn.Cluster.Tests;

/// <summary>
/// The example files in configs/cluster-3node start a working cluster: each member runs from its own file, with only
/// ports and data directories overridden by flags (names, token and cluster state come from the files).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ShippedConfigTests
{
    [Fact]
    public async Task The_three_example_files_elect_a_leader_and_replicate()
    {
        await using LocalCluster cluster = await LocalCluster.StartAsync(3, FromShippedFile, new LoopbackNetwork(3));
        for (int i = 0; i < 3; i++)
        {
            (await Etcdctl.RunAsync(cluster.Endpoints[i], "put", $"shipped/{i}", $"from-node{i + 1}")).EnsureSuccess("put");
        }

        ProcessResult members = (await Etcdctl.RunAsync(cluster.Endpoints[0], "member", "list", "-w", "json")).EnsureSuccess("member list");
        using (JsonDocument document = JsonDocument.Parse(members.Stdout))
        {
            var names = document.RootElement.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("name").GetString()).Order();
            Assert.Equal(["node1", "node2", "node3"], names);
        }

        var leaders = new HashSet<ulong>();
        for (int i = 0; i < 3; i++)
        {
            await Poll.UntilAsync(
                async () => (await Etcdctl.RunAsync(cluster.Endpoints[i], "get", "shipped/", "--prefix", "--consistency=s", "--keys-only"))
                    .Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length == 3,
                TestCluster.Deadline, $"node{i + 1} applied the three writes");
            ProcessResult status = (await Etcdctl.RunAsync(cluster.Endpoints[i], "endpoint", "status", "-w", "json")).EnsureSuccess("status");
            using JsonDocument document = JsonDocument.Parse(status.Stdout);
            leaders.Add(document.RootElement[0].GetProperty("Status").GetProperty("leader").GetUInt64());
        }

        Assert.Single(leaders);
        Assert.NotEqual(0UL, leaders.Single());
    }

    /// <summary>cairn serve --config configs/cluster-3node/node{i+1}.toml with the test's ports and data directory.</summary>
    private static MemberCommand FromShippedFile(ClusterMemberSpec spec)
    {
        string file = Path.Combine(RepositoryPaths.Root, "configs", "cluster-3node", $"node{spec.Index + 1}.toml");
        // The file names the members node1..node3; the test's spec names them m0..m2.
        string initialCluster = string.Join(',', spec.InitialCluster.Split(',')
            .Select(entry => entry.Split('=', 2))
            .Select(pair => $"node{int.Parse(pair[0][1..], System.Globalization.CultureInfo.InvariantCulture) + 1}={pair[1]}"));
        return new MemberCommand(RepositoryPaths.CairnBinary,
        [
            "serve", "--config", file, "--data-dir", spec.DataDirectory,
            "--listen-client-urls", spec.ClientUrl, "--advertise-client-urls", spec.ClientUrl,
            "--listen-peer-urls", spec.PeerUrl, "--initial-advertise-peer-urls", spec.PeerUrl,
            "--listen-metrics-urls", $"http://127.0.0.1:{FreePort.Next()}",
            "--initial-cluster", initialCluster,
        ]);
    }
}
