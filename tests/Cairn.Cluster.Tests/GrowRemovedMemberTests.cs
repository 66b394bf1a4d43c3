using System.Globalization;
using Cairn.Testing;

namespace Cairn.Cluster.Tests;

/// <summary>
/// A member removed with <c>member remove</c> and started again on its old data directory with its old flags must not
/// rejoin or disturb the cluster. Real etcd 3.4.23, asked the same (3 members, remove m3, restart m3 with its data
/// directory and flags), logs "the member has been permanently removed from the cluster" and "the data-dir used by
/// this member must be removed." within a second and exits 0; the two others keep their leader and serve. Cairn:
/// the peers refuse its handshake as removed, it logs the same line and what to do with its data directory, and exits 0.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class GrowRemovedMemberTests
{
    [Fact]
    public async Task A_removed_member_restarted_on_its_old_data_exits_0_without_rejoining()
    {
        await using TestCluster cluster = await TestCluster.StartAsync("grow-removed");
        try
        {
            await RestartRemovedAsync(cluster);
        }
        catch (Exception failure)
        {
            throw new Xunit.Sdk.XunitException($"{failure.Message}\n{failure.StackTrace}\n{cluster.Logs}");
        }
    }

    private static async Task RestartRemovedAsync(TestCluster cluster)
    {
        ulong leaderId = await TestCluster.WaitForAgreedLeaderAsync(cluster.Members, TestCluster.Deadline);
        ClusterMember leader = await cluster.MemberWithIdAsync(leaderId);
        int slot = cluster.Members.FindIndex(m => m != leader);
        ClusterMember removed = cluster.Members[slot];
        var survivors = cluster.Members.Where(m => m != removed).ToList();
        string removedId = await MemberIdAsync(leader, removed.Spec.Name);
        (await MembershipTests.ReconfigureAsync(leader, ["member", "remove", removedId])).EnsureSuccess("member remove");
        Assert.True(await removed.WaitForExitAsync(TestCluster.Deadline), "the removed member stops itself");
        Assert.Equal(0, removed.ExitCode);

        ClusterMember restarted = removed.Restart();
        cluster.Members[slot] = restarted;
        Assert.True(await restarted.WaitForExitAsync(TestCluster.Deadline), "the restarted removed member exits");
        Assert.Equal(0, restarted.ExitCode);
        Assert.Contains("the member has been permanently removed from the cluster", restarted.Output, StringComparison.Ordinal);
        Assert.Contains($"the data directory {removed.Spec.DataDirectory} used by this member must be removed", restarted.Output, StringComparison.Ordinal);
        Assert.Contains("etcdctl member add", restarted.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("serving clients on", restarted.Output, StringComparison.Ordinal);

        // The two others still form the cluster without it: one leader between them, two members, writes commit.
        await TestCluster.WaitForAgreedLeaderAsync(survivors, TestCluster.Deadline);
        string listed = (await Etcdctl.RunAsync(survivors[0].Endpoint, "member", "list")).EnsureSuccess("member list").Stdout;
        Assert.Equal(2, listed.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.DoesNotContain(removedId, listed, StringComparison.Ordinal);
        await TestCluster.PutAsync(survivors[0], "after/restart-of-removed", "still two");
        Assert.Equal("still two", await TestCluster.GetAsync(survivors[1], "after/restart-of-removed"));
    }

    private static async Task<string> MemberIdAsync(ClusterMember through, string name)
    {
        string listed = (await Etcdctl.RunAsync(through.Endpoint, "member", "list")).EnsureSuccess("member list").Stdout;
        string row = listed.Split('\n').Single(r => r.Contains($", {name}, ", StringComparison.Ordinal));
        string id = row[..row.IndexOf(',', StringComparison.Ordinal)];
        Assert.True(ulong.TryParse(id, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out _), $"member list row: {row}");
        return id;
    }
}
