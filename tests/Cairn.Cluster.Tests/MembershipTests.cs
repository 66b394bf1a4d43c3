using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cairn.Testing;

namespace Cairn.Cluster.Tests;

/// <summary>
/// Membership changes across processes with stock etcdctl: a learner added with <c>member add</c> and started with
/// <c>--initial-cluster-state existing</c> catches up by a state snapshot (the leader has compacted its log), is promoted through a follower
/// once in sync, and the cluster then has four voters; removed members (a follower, then the leader) stop themselves
/// and the others keep serving.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed partial class MembershipTests
{
    /// <summary>A snapshot every 10 entries, so the leader compacts its log after a few dozen writes.</summary>
    private static readonly string[] LowSnapshotCount = ["--snapshot-count", "10"];

    [Fact]
    public async Task A_learner_joins_by_snapshot_is_promoted_once_in_sync_and_the_cluster_has_four_voters()
    {
        await using TestCluster cluster = await TestCluster.StartAsync("membership-join", LowSnapshotCount);
        await WithLogsAsync(cluster, () => JoinPromoteAsync(cluster));
    }

    [Fact]
    public async Task Removed_members_stop_themselves_and_removing_the_leader_moves_leadership()
    {
        await using TestCluster cluster = await TestCluster.StartAsync("membership-remove");
        await WithLogsAsync(cluster, () => RemoveAsync(cluster));
    }

    [Fact]
    public async Task A_member_the_cluster_does_not_list_refuses_to_start_with_existing()
    {
        await using TestCluster cluster = await TestCluster.StartAsync("membership-unknown");
        MemberSpec stranger = cluster.NewMemberSpec("m9");
        string initialCluster = $"{cluster.Members[0].InitialCluster},m9={stranger.PeerUrl}";
        ClusterMember member = cluster.StartJoining(stranger, initialCluster);
        Assert.True(await member.WaitForExitAsync(TestCluster.Deadline), "a member not in the member list exits");
        Assert.Equal(1, member.ExitCode);
        Assert.Contains($"member m9 (peer URLs {stranger.PeerUrl}) is not in the member list of cluster", member.Output, StringComparison.Ordinal);
        Assert.Contains("member add m9", member.Output, StringComparison.Ordinal);
        await TestCluster.PutAsync(cluster.Members[0], "still", "serving");
        Assert.Equal("serving", await TestCluster.GetAsync(cluster.Members[2], "still"));
    }

    [Fact]
    public async Task A_member_whose_peer_url_was_updated_rejoins_on_the_new_url()
    {
        await using TestCluster cluster = await TestCluster.StartAsync("membership-update");
        await WithLogsAsync(cluster, () => UpdateAsync(cluster));
    }

    private static async Task UpdateAsync(TestCluster cluster)
    {
        // Move a follower: stopping the leader would leave the update waiting for an election.
        ulong leaderId = await TestCluster.WaitForAgreedLeaderAsync(cluster.Members, TestCluster.Deadline);
        ClusterMember leader = await cluster.MemberWithIdAsync(leaderId);
        int slot = cluster.Members.FindIndex(m => m != leader);
        ClusterMember moving = cluster.Members[slot];
        ulong movingId = (await MemberListAsync(leader)).Single(m => m.Name == moving.Spec.Name).Id;
        Assert.True(moving.Signal(Signals.Terminate), "stop m3");
        Assert.True(await moving.WaitForExitAsync(TestCluster.Deadline), "m3 stopped");

        MemberSpec moved = moving.Spec with { PeerPort = FreePort.Next() };
        ProcessResult updated = (await ReconfigureAsync(leader,
            ["member", "update", movingId.ToString("x", CultureInfo.InvariantCulture), $"--peer-urls={moved.PeerUrl}"])).EnsureSuccess("member update");
        Assert.Contains($"Member {movingId,16:x} updated in cluster", updated.Stdout, StringComparison.Ordinal);

        string initialCluster = moving.InitialCluster.Replace(moving.Spec.PeerUrl, moved.PeerUrl, StringComparison.Ordinal);
        ClusterMember restarted = ClusterMember.Start(moved, initialCluster, cluster.Token);
        cluster.Members[slot] = restarted;
        await restarted.WaitHealthyAsync(TestCluster.Deadline);
        await TestCluster.PutAsync(leader, "after/update", "moved");
        Assert.Equal("moved", await TestCluster.GetAsync(restarted, "after/update"));
        // A linearizable read through the moved member needs its stream to the leader and the leader's to it.
        await TestCluster.PutAsync(restarted, "through/moved", "yes");
        Assert.Equal("yes", await TestCluster.GetAsync(leader, "through/moved"));
        Assert.Contains(moved.PeerUrl, (await Etcdctl.RunAsync(leader.Endpoint, "member", "list")).Stdout, StringComparison.Ordinal);
        await TestCluster.WaitForAgreedLeaderAsync(cluster.Members, TestCluster.Deadline);
    }

    private static async Task JoinPromoteAsync(TestCluster cluster)
    {
        // 45 writes after the 8 entries of the bootstrap: the last snapshot (every 10 entries) is a few entries before
        // the member add, so only a snapshot taken because of the add lists the learner.
        var written = new Dictionary<string, string>();
        for (int i = 0; i < 45; i++)
        {
            await TestCluster.PutAsync(cluster.Members[i % 3], $"k{i:D2}", $"v{i}");
            written[$"k{i:D2}"] = $"v{i}";
        }

        // Every member compacted its log behind a snapshot: the new learner cannot catch up from the log alone.
        await Poll.UntilAsync(() => Task.FromResult(cluster.Members.All(m => CompactedIndex(m.Output) > 0)),
            TestCluster.Deadline, "log compacted behind a snapshot on every member");

        MemberSpec spec = cluster.NewMemberSpec("m4");
        MemberAdded added = await MemberAddAsync(cluster.Members[0], spec, learner: true);
        Assert.Equal("m4", added.Name);
        Assert.Equal("existing", added.State);
        Assert.Equal(4, added.InitialCluster.Split(',').Length);
        Assert.Contains($"m4={spec.PeerUrl}", added.InitialCluster.Split(','));
        Assert.Equal(spec.PeerUrl, added.AdvertisePeerUrls);

        ClusterMember leader = await LeaderAsync(cluster, cluster.Members);
        ProcessResult early = await Etcdctl.RunAsync(leader.Endpoint, "member", "promote", added.Id.ToString("x", CultureInfo.InvariantCulture));
        Assert.NotEqual(0, early.ExitCode);
        Assert.Contains("etcdserver: can only promote a learner member which is in sync with leader", early.Stderr, StringComparison.Ordinal);

        ClusterMember learner = cluster.StartJoining(spec, added.InitialCluster);
        await learner.WaitHealthyAsync(TestCluster.Deadline);
        foreach ((string key, string value) in written)
        {
            string? seen = null;
            await Poll.UntilAsync(async () => (seen = await TestCluster.GetAsync(learner, key, serializable: true)) == value,
                TestCluster.Deadline, $"{key} served by the learner");
        }

        Assert.Contains("installed the leader's snapshot", learner.Output, StringComparison.Ordinal);
        Assert.Matches(@"etcd_network_snapshot_receive_success [1-9]", await MetricsAsync(learner));
        Assert.Contains($"joining cluster {added.ClusterId:x}", learner.Output, StringComparison.Ordinal);

        // Through a follower, which forwards the promotion to the leader.
        string promoted = "";
        await Poll.UntilAsync(async () =>
        {
            leader = await LeaderAsync(cluster, cluster.Members.Take(3).ToList());
            ClusterMember follower = cluster.Members.Take(3).First(m => m != leader);
            ProcessResult result = await Etcdctl.RunAsync(follower.Endpoint, "member", "promote", added.Id.ToString("x", CultureInfo.InvariantCulture));
            promoted = result.Stdout + result.Stderr;
            return result.ExitCode == 0;
        }, TestCluster.Deadline, "learner promoted");
        Assert.Contains($"Member {added.Id,16:x} promoted in cluster {added.ClusterId,16:x}", promoted, StringComparison.Ordinal);

        List<ListedMember> members = await MemberListAsync(learner);
        Assert.Equal(4, members.Count);
        Assert.All(members, m => Assert.False(m.IsLearner, $"{m.Name} is a voter"));
        Assert.Contains(members, m => m.Id == added.Id && m.Name == "m4");
        await TestCluster.WaitForAgreedLeaderAsync(cluster.Members, TestCluster.Deadline);
        await TestCluster.PutAsync(learner, "after/promote", "four voters");
        foreach (ClusterMember member in cluster.Members)
        {
            Assert.Equal("four voters", await TestCluster.GetAsync(member, "after/promote"));
        }

        // Restarted after kill -9, the joined member uses the identity it stored and does not ask the cluster again.
        Assert.True(learner.Signal(Signals.Kill), "kill -9 m4");
        Assert.True(await learner.WaitForExitAsync(TestCluster.Deadline), "m4 exited");
        ClusterMember restarted = learner.Restart();
        cluster.Members[3] = restarted;
        await restarted.WaitHealthyAsync(TestCluster.Deadline);
        Assert.DoesNotContain("joining cluster", restarted.Output, StringComparison.Ordinal);
        await TestCluster.PutAsync(restarted, "after/restart", "m4 is back");
        Assert.Equal("m4 is back", await TestCluster.GetAsync(cluster.Members[0], "after/restart"));
    }

    private static async Task RemoveAsync(TestCluster cluster)
    {
        ProcessResult unknown = await Etcdctl.RunAsync(cluster.Members[0].Endpoint, "member", "remove", "1234abcd");
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("etcdserver: member not found", unknown.Stderr, StringComparison.Ordinal);

        ulong leaderId = await TestCluster.WaitForAgreedLeaderAsync(cluster.Members, TestCluster.Deadline);
        ClusterMember leader = await cluster.MemberWithIdAsync(leaderId);
        ClusterMember through = cluster.Members.First(m => m != leader);
        (await ReconfigureAsync(through, ["member", "remove", leaderId.ToString("x", CultureInfo.InvariantCulture)]))
            .EnsureSuccess("member remove of the leader");
        await AssertStoppedAsRemovedAsync(leader);

        var rest = cluster.Members.Where(m => m != leader).ToList();
        ulong newLeaderId = await TestCluster.WaitForAgreedLeaderAsync(rest, TestCluster.Deadline);
        Assert.NotEqual(leaderId, newLeaderId);
        await TestCluster.PutAsync(rest[0], "after/leader-removed", "2");
        Assert.Equal("2", await TestCluster.GetAsync(rest[1], "after/leader-removed"));
        Assert.Equal(2, (await MemberListAsync(rest[1])).Count);

        ClusterMember survivor = await cluster.MemberWithIdAsync(newLeaderId);
        ClusterMember follower = rest.Single(m => m != survivor);
        ulong followerId = (await MemberListAsync(survivor)).Single(m => m.Name == follower.Spec.Name).Id;
        (await ReconfigureAsync(survivor, ["member", "remove", followerId.ToString("x", CultureInfo.InvariantCulture)]))
            .EnsureSuccess("member remove of a follower");
        await AssertStoppedAsRemovedAsync(follower);
        await survivor.WaitHealthyAsync(TestCluster.Deadline);
        await TestCluster.PutAsync(survivor, "after/follower-removed", "1");
        Assert.Equal("1", await TestCluster.GetAsync(survivor, "after/follower-removed"));
        Assert.Single(await MemberListAsync(survivor));
    }

    /// <summary>etcd's removed member logs "the member has been permanently removed from the cluster" and exits 0.</summary>
    private static async Task AssertStoppedAsRemovedAsync(ClusterMember member)
    {
        Assert.True(await member.WaitForExitAsync(TestCluster.Deadline), $"{member.Spec.Name} exits after its removal");
        Assert.Equal(0, member.ExitCode);
        Assert.Contains("the member has been permanently removed from the cluster", member.Output, StringComparison.Ordinal);
    }

    /// <summary>Runs a membership change, again while the member refuses it as "unhealthy cluster": like etcd, it
    /// counts only peers connected for 5 s, so a cluster that just started (or just lost its leader) refuses at first.</summary>
    internal static async Task<ProcessResult> ReconfigureAsync(ClusterMember through, string[] arguments)
    {
        ProcessResult result = await Etcdctl.RunAsync(through.Endpoint, arguments);
        await Poll.UntilAsync(async () =>
        {
            if (!result.Stderr.Contains("etcdserver: unhealthy cluster", StringComparison.Ordinal))
            {
                return true;
            }

            result = await Etcdctl.RunAsync(through.Endpoint, arguments);
            return false;
        }, TestCluster.Deadline, $"etcdctl {string.Join(' ', arguments)} accepted");
        return result;
    }

    private static async Task WithLogsAsync(TestCluster cluster, Func<Task> test)
    {
        try
        {
            await test();
        }
        catch (Exception failure)
        {
            throw new Xunit.Sdk.XunitException($"{failure.Message}\n{failure.StackTrace}\n{cluster.Logs}");
        }
    }

    private static ulong CompactedIndex(string output)
    {
        ulong highest = 0;
        foreach (Match match in CompactedRegex().Matches(output))
        {
            highest = Math.Max(highest, ulong.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture));
        }

        return highest;
    }

    private static async Task<ClusterMember> LeaderAsync(TestCluster cluster, IReadOnlyList<ClusterMember> members) =>
        await cluster.MemberWithIdAsync(await TestCluster.WaitForAgreedLeaderAsync(members, TestCluster.Deadline));

    private static async Task<string> MetricsAsync(ClusterMember member)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        return await http.GetStringAsync($"http://{member.Endpoint}/metrics");
    }

    private static async Task<MemberAdded> MemberAddAsync(ClusterMember through, MemberSpec spec, bool learner)
    {
        string[] arguments = learner
            ? ["member", "add", spec.Name, $"--peer-urls={spec.PeerUrl}", "--learner"]
            : ["member", "add", spec.Name, $"--peer-urls={spec.PeerUrl}"];
        ProcessResult result = (await ReconfigureAsync(through, arguments)).EnsureSuccess("member add");
        Match header = AddedRegex().Match(result.Stdout);
        Assert.True(header.Success, $"member add printed: {result.Stdout}");
        return new MemberAdded(
            ulong.Parse(header.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture),
            ulong.Parse(header.Groups[2].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture),
            Variable(result.Stdout, "ETCD_NAME"),
            Variable(result.Stdout, "ETCD_INITIAL_CLUSTER"),
            Variable(result.Stdout, "ETCD_INITIAL_ADVERTISE_PEER_URLS"),
            Variable(result.Stdout, "ETCD_INITIAL_CLUSTER_STATE"));
    }

    private static string Variable(string output, string name)
    {
        Match match = Regex.Match(output, $"^{name}=\"([^\"]*)\"$", RegexOptions.Multiline);
        Assert.True(match.Success, $"member add printed no {name}: {output}");
        return match.Groups[1].Value;
    }

    private static async Task<List<ListedMember>> MemberListAsync(ClusterMember through)
    {
        ProcessResult result = (await Etcdctl.RunAsync(through.Endpoint, "member", "list", "-w", "json")).EnsureSuccess("member list");
        using JsonDocument document = JsonDocument.Parse(result.Stdout);
        return document.RootElement.GetProperty("members").EnumerateArray()
            .Select(m => new ListedMember(
                m.GetProperty("ID").GetUInt64(),
                m.TryGetProperty("name", out JsonElement name) ? name.GetString() ?? "" : "",
                m.TryGetProperty("isLearner", out JsonElement isLearner) && isLearner.GetBoolean()))
            .ToList();
    }

    [GeneratedRegex(@"WAL compacted to entry (\d+)")]
    private static partial Regex CompactedRegex();

    [GeneratedRegex(@"Member +([0-9a-f]+) added to cluster +([0-9a-f]+)")]
    private static partial Regex AddedRegex();

    private sealed record MemberAdded(ulong Id, ulong ClusterId, string Name, string InitialCluster, string AdvertisePeerUrls, string State);

    private sealed record ListedMember(ulong Id, string Name, bool IsLearner);
}
