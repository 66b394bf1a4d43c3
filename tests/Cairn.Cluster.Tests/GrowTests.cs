using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cairn.Testing;

namespace Cairn.Cluster.Tests;

/// <summary>
/// Growing a single node the way etcd documents it, without restarting it: <c>member add</c> through the lone member,
/// then the new member started with <c>--initial-cluster-state existing</c>. The lone member does not bind its peer
/// port until the add, and binds it right after the add commits (the new member asks it for the member list).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed partial class GrowTests : IAsyncLifetime
{
    private readonly TempDirectory _root = new("cairn-grow");
    private readonly List<ClusterMember> _members = [];

    [Fact]
    public async Task A_lone_member_grows_to_three_members_without_a_restart()
    {
        await WithLogsAsync(async () =>
        {
            MemberSpec first = NewSpec("m1");
            ClusterMember m1 = Start(first, $"m1={first.PeerUrl}", "new");
            await m1.WaitHealthyAsync(TestCluster.Deadline);
            Assert.False(await AcceptsConnectionsAsync(first.PeerPort), "a lone member does not bind its peer port");
            await TestCluster.PutAsync(m1, "grown/key", "from the lone member");

            ClusterMember m2 = await AddAndStartAsync(m1, NewSpec("m2"));
            Assert.Contains("listening for peers on", m1.Output, StringComparison.Ordinal);
            Assert.True(await AcceptsConnectionsAsync(first.PeerPort), "the grown member listens on its peer port");
            await PollAsync(async () => await TestCluster.GetAsync(m2, "grown/key", serializable: true) == "from the lone member",
                "the key served by m2 on a serializable read");
            await AssertAllStartedAsync([m1, m2]);
            await PollAsync(async () => await ClusterLeaderAsync(m1, 2) != 0, "one leader in endpoint status --cluster");
            await TestCluster.PutAsync(m2, "through/m2", "two members");
            Assert.Equal("two members", await TestCluster.GetAsync(m1, "through/m2"));

            ClusterMember m3 = await AddAndStartAsync(m2, NewSpec("m3"));
            await PollAsync(async () => await TestCluster.GetAsync(m3, "through/m2", serializable: true) == "two members",
                "the key served by m3 on a serializable read");
            await AssertAllStartedAsync([m1, m2, m3]);
            await PollAsync(async () => await ClusterLeaderAsync(m3, 3) != 0, "one leader among three in endpoint status --cluster");

            // The first member goes; the two it brought in still form a majority of three.
            Assert.True(m1.Signal(Signals.Terminate), "stop m1");
            Assert.True(await m1.WaitForExitAsync(TestCluster.Deadline), "m1 stopped");
            await PollAsync(async () => (await Etcdctl.RunAsync(m2.Endpoint, "put", "after/stop", "two of three")).ExitCode == 0,
                "a write through m2 committed with m1 stopped");
            Assert.Equal("two of three", await TestCluster.GetAsync(m3, "after/stop"));
        });
    }

    /// <inheritdoc />
    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Stops every member this test started (xunit 2 does not dispose an IAsyncDisposable test class).</summary>
    public async Task DisposeAsync()
    {
        await Task.WhenAll(_members.Select(m => m.DisposeAsync().AsTask()));
        _root.Dispose();
    }

    private MemberSpec NewSpec(string name) => new(name, FreePort.Next(), FreePort.Next(), _root.Combine(name));

    private ClusterMember Start(MemberSpec spec, string initialCluster, string state)
    {
        ClusterMember member = ClusterMember.Start(spec, initialCluster, "grow-test", state);
        _members.Add(member);
        return member;
    }

    /// <summary><c>member add</c> through <paramref name="through"/>, then the new member started with what it printed.</summary>
    private async Task<ClusterMember> AddAndStartAsync(ClusterMember through, MemberSpec spec)
    {
        ProcessResult added = (await MembershipTests.ReconfigureAsync(through, ["member", "add", spec.Name, $"--peer-urls={spec.PeerUrl}"]))
            .EnsureSuccess($"member add {spec.Name}");
        Match initialCluster = InitialClusterRegex().Match(added.Stdout);
        Assert.True(initialCluster.Success, $"member add printed: {added.Stdout}");
        Assert.Contains("ETCD_INITIAL_CLUSTER_STATE=\"existing\"", added.Stdout, StringComparison.Ordinal);
        ClusterMember member = Start(spec, initialCluster.Groups[1].Value, "existing");
        await member.WaitHealthyAsync(TestCluster.Deadline);
        return member;
    }

    /// <summary><c>member list</c> through each member shows every member, started (named, with client URLs).</summary>
    private static async Task AssertAllStartedAsync(IReadOnlyList<ClusterMember> members)
    {
        foreach (ClusterMember through in members)
        {
            string listed = "";
            await PollAsync(async () =>
            {
                listed = (await Etcdctl.RunAsync(through.Endpoint, "member", "list")).EnsureSuccess("member list").Stdout;
                string[] rows = listed.Split('\n', StringSplitOptions.RemoveEmptyEntries);
                return rows.Length == members.Count && members.All(m =>
                    rows.Any(row => row.Contains($", started, {m.Spec.Name}, {m.Spec.PeerUrl}, http://{m.Endpoint}, false", StringComparison.Ordinal)));
            }, $"{members.Count} started members listed through {through.Spec.Name}");
        }
    }

    /// <summary>The leader every member reports in <c>endpoint status --cluster</c> through <paramref name="through"/>,
    /// or 0 unless <paramref name="count"/> members answer and agree on one of them.</summary>
    private static async Task<ulong> ClusterLeaderAsync(ClusterMember through, int count)
    {
        ProcessResult result = await Etcdctl.RunAsync(through.Endpoint, "endpoint", "status", "--cluster", "-w", "json");
        if (result.ExitCode != 0)
        {
            return 0;
        }

        using JsonDocument document = JsonDocument.Parse(result.Stdout);
        var ids = new HashSet<ulong>();
        var leaders = new HashSet<ulong>();
        foreach (JsonElement entry in document.RootElement.EnumerateArray())
        {
            JsonElement status = entry.GetProperty("Status");
            ids.Add(status.GetProperty("header").GetProperty("member_id").GetUInt64());
            leaders.Add(status.TryGetProperty("leader", out JsonElement leader) ? leader.GetUInt64() : 0);
        }

        return ids.Count == count && leaders.Count == 1 && ids.Contains(leaders.Single()) ? leaders.Single() : 0;
    }

    private static async Task<bool> AcceptsConnectionsAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static Task PollAsync(Func<Task<bool>> condition, string what) => Poll.UntilAsync(condition, TestCluster.Deadline, what);

    private async Task WithLogsAsync(Func<Task> test)
    {
        try
        {
            await test();
        }
        catch (Exception failure)
        {
            string logs = string.Join("\n", _members.Select(m => $"--- {m.Spec.Name} ---\n{m.Output}"));
            throw new Xunit.Sdk.XunitException($"{failure.Message}\n{failure.StackTrace}\n{logs}");
        }
    }

    [GeneratedRegex("^ETCD_INITIAL_CLUSTER=\"([^\"]*)\"$", RegexOptions.Multiline)]
    private static partial Regex InitialClusterRegex();
}
