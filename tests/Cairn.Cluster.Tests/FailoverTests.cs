using System.Diagnostics;
using Cairn.Testing;

namespace Cairn.Cluster.Tests;

/// <summary>kill -9 of the leader: the two others elect a new leader, writes continue, nothing acknowledged is lost, and
/// the old leader restarts on its data and catches up.</summary>
[Collection(ClusterCollection.Name)]
public sealed class FailoverTests
{
    [Fact]
    public async Task Killing_the_leader_elects_a_new_one_keeps_acknowledged_writes_and_the_old_leader_catches_up()
    {
        await using TestCluster cluster = await TestCluster.StartAsync("failover-test");
        try
        {
            await RunFailoverAsync(cluster);
        }
        catch (Exception failure) when (failure is not Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException($"{failure.Message}\n{cluster.Logs}", failure);
        }
    }

    private static async Task RunFailoverAsync(TestCluster cluster)
    {
        var acknowledged = new Dictionary<string, string>();
        ulong leaderId = await TestCluster.WaitForAgreedLeaderAsync(cluster.Members, TestCluster.Deadline);
        ClusterMember leader = await cluster.MemberWithIdAsync(leaderId);
        for (int i = 0; i < 5; i++)
        {
            await TestCluster.PutAsync(cluster.Members[i % 3], $"before/{i}", $"v{i}");
            acknowledged[$"before/{i}"] = $"v{i}";
        }

        Assert.True(leader.Signal(Signals.Kill), "kill -9 the leader");
        Assert.True(await leader.WaitForExitAsync(TimeSpan.FromSeconds(10)), "the killed leader exited");
        var survivors = cluster.Members.Where(m => m != leader).ToList();
        var elapsed = Stopwatch.StartNew();
        ulong newLeaderId = await TestCluster.WaitForAgreedLeaderAsync(survivors, TestCluster.Deadline);
        Assert.NotEqual(leaderId, newLeaderId);
        // A few election timeouts (1 s each by default), with slack for a loaded machine.
        Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(15), $"a new leader after {elapsed.Elapsed}");

        for (int i = 0; i < 5; i++)
        {
            await TestCluster.PutAsync(survivors[i % 2], $"after/{i}", $"w{i}");
            acknowledged[$"after/{i}"] = $"w{i}";
        }

        foreach ((string key, string value) in acknowledged)
        {
            Assert.Equal(value, await TestCluster.GetAsync(survivors[0], key));
            Assert.Equal(value, await TestCluster.GetAsync(survivors[1], key));
        }

        ClusterMember restarted = leader.Restart();
        cluster.Members[cluster.Members.IndexOf(leader)] = restarted;
        await leader.DisposeAsync();
        await restarted.WaitHealthyAsync(TestCluster.Deadline);
        // The restarted member catches up: its local (serializable) reads show every acknowledged write.
        await Poll.UntilAsync(async () => await TestCluster.GetAsync(restarted, "after/4", serializable: true) == "w4",
            TestCluster.Deadline, "the old leader caught up");
        foreach ((string key, string value) in acknowledged)
        {
            Assert.Equal(value, await TestCluster.GetAsync(restarted, key, serializable: true));
        }

        await TestCluster.PutAsync(restarted, "rejoined", "yes");
        Assert.Equal("yes", await TestCluster.GetAsync(survivors[0], "rejoined"));
        // All three agree on one leader again (the rejoined member follows it).
        ulong finalLeader = await TestCluster.WaitForAgreedLeaderAsync(cluster.Members, TestCluster.Deadline);
        Assert.NotEqual(0UL, finalLeader);
    }
}
