using System.Collections.Concurrent;
using System.Text.Json;
using Cairn.Testing;

namespace Cairn.Cluster.Tests;

/// <summary>
/// Five members: kill -9 two of them, the leader among them, while writes go on. Three survivors are a quorum, so
/// they elect a leader and keep accepting writes; no acknowledged write is lost; the two killed members restart on
/// their data and catch up.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class FiveMemberTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Killing_the_leader_and_a_follower_under_writes_loses_no_acknowledged_write()
    {
        await using LocalCluster cluster = await LocalCluster.StartAsync(5, MemberCommands.Cairn, new LoopbackNetwork(5));
        int leader = await LeaderIndexAsync(cluster, [0, 1, 2, 3, 4]);
        int follower = (leader + 1) % 5;
        int[] survivors = Enumerable.Range(0, 5).Where(i => i != leader && i != follower).ToArray();

        var acknowledged = new ConcurrentDictionary<string, string>();
        using var stop = new CancellationTokenSource();
        Task writer = WriteUntilStoppedAsync(cluster, acknowledged, stop.Token);
        try
        {
            await Poll.UntilAsync(() => Task.FromResult(acknowledged.Count >= 10), Deadline, "10 writes acknowledged before the kill");
            await cluster.KillAsync(leader);
            await cluster.KillAsync(follower);
            int before = acknowledged.Count;

            int newLeader = await LeaderIndexAsync(cluster, survivors);
            Assert.Contains(newLeader, survivors);
            await Poll.UntilAsync(() => Task.FromResult(acknowledged.Count >= before + 10), Deadline, "10 writes acknowledged after the kill");
        }
        finally
        {
            await stop.CancelAsync();
            await writer;
        }

        foreach (int survivor in survivors)
        {
            Assert.Subset(await KeysAsync(cluster, survivor, linearizable: true), acknowledged.Keys.ToHashSet());
        }

        await cluster.RestartAsync(leader);
        await cluster.RestartAsync(follower);
        foreach (int restarted in new[] { leader, follower })
        {
            await Poll.UntilAsync(
                async () => acknowledged.Keys.All((await KeysAsync(cluster, restarted, linearizable: false)).Contains),
                Deadline, $"member {restarted} caught up with every acknowledged write");
        }

        (await Etcdctl.RunAsync(cluster.Endpoints[leader], "put", "five/after", "restart")).EnsureSuccess("put through the restarted member");
        Assert.Contains(await LeaderIndexAsync(cluster, [0, 1, 2, 3, 4]), Enumerable.Range(0, 5));
    }

    /// <summary>Puts five/N through the members in turn until cancelled; records every write etcdctl saw succeed.</summary>
    private static async Task WriteUntilStoppedAsync(LocalCluster cluster, ConcurrentDictionary<string, string> acknowledged, CancellationToken stop)
    {
        for (int n = 0; !stop.IsCancellationRequested; n++)
        {
            string key = $"five/{n:D6}";
            int member = n % 5;
            if (cluster.Process(member) is null)
            {
                continue;
            }

            ProcessResult result = await Etcdctl.RunAsync(cluster.Endpoints[member], "put", key, $"value-{n}", "--command-timeout=5s");
            if (result.ExitCode == 0)
            {
                acknowledged[key] = $"value-{n}";
            }
        }
    }

    /// <summary>The keys under five/ that member <paramref name="index"/> holds.</summary>
    private static async Task<HashSet<string>> KeysAsync(LocalCluster cluster, int index, bool linearizable)
    {
        ProcessResult result = (await Etcdctl.RunAsync(cluster.Endpoints[index], "get", "five/", "--prefix", "--keys-only",
            linearizable ? "--consistency=l" : "--consistency=s")).EnsureSuccess($"get through member {index}");
        return result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
    }

    /// <summary>Polls until all <paramref name="members"/> report the same leader, one of them; returns its index.</summary>
    private static async Task<int> LeaderIndexAsync(LocalCluster cluster, int[] members)
    {
        int leaderIndex = -1;
        await Poll.UntilAsync(async () =>
        {
            var ids = new Dictionary<int, (ulong Id, ulong Leader)>();
            foreach (int i in members)
            {
                ProcessResult result = await Etcdctl.RunAsync(cluster.Endpoints[i], "endpoint", "status", "-w", "json");
                if (result.ExitCode != 0)
                {
                    return false;
                }

                using JsonDocument document = JsonDocument.Parse(result.Stdout);
                JsonElement status = document.RootElement[0].GetProperty("Status");
                ids[i] = (status.GetProperty("header").GetProperty("member_id").GetUInt64(),
                    status.TryGetProperty("leader", out JsonElement leader) ? leader.GetUInt64() : 0);
            }

            var leaders = ids.Values.Select(v => v.Leader).Distinct().ToList();
            var match = ids.Where(p => leaders.Count == 1 && p.Value.Id == leaders[0]).Select(p => p.Key).ToList();
            leaderIndex = match.Count == 1 ? match[0] : -1;
            return leaderIndex >= 0;
        }, Deadline, "one leader agreed on by every live member");
        return leaderIndex;
    }
}
