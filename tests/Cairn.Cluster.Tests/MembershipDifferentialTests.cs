using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cairn.Testing;

namespace Cairn.Cluster.Tests;

/// <summary>
/// The same etcdctl membership and move-leader commands against a real etcd 3.4 cluster and a Cairn cluster (three
/// members each, plus one learner added and never started): the same exit codes and the same output, member and
/// cluster IDs aside.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed partial class MembershipDifferentialTests
{
    [Fact]
    public async Task Membership_errors_and_move_leader_answer_as_etcd()
    {
        List<string> etcd = await RunScriptAsync(MemberCommands.Etcd);
        List<string> cairn = await RunScriptAsync(MemberCommands.Cairn);
        Assert.True(etcd.SequenceEqual(cairn), $"etcd answered:\n{string.Join("\n", etcd)}\nCairn answered:\n{string.Join("\n", cairn)}");
    }

    /// <summary>Runs the commands on a fresh cluster; returns one normalized line per command.</summary>
    private static async Task<List<string>> RunScriptAsync(Func<ClusterMemberSpec, MemberCommand> commandOf)
    {
        await using LocalCluster cluster = await LocalCluster.StartAsync(3, commandOf, new LoopbackNetwork(3));
        string all = string.Join(",", cluster.Endpoints);
        var answers = new List<string>();
        try
        {
            (string leader, ulong leaderId) = await LeaderAsync(cluster.Endpoints);
            answers.Add(await RunAsync(leader, "member", "remove", "1234abcd"));
            answers.Add(await RunAsync(leader, "member", "promote", "1234abcd"));
            answers.Add(await RunAsync(all, "move-leader", "1234abcd"));

            string learnerUrl = $"http://127.0.0.1:{FreePort.Next()}";
            // Both refuse a membership change until every peer has been connected for 5 s ("unhealthy cluster").
            ProcessResult added = null!;
            await Poll.UntilAsync(async () => !(added = await Etcdctl.RunAsync(leader, "member", "add", "learner", $"--peer-urls={learnerUrl}", "--learner"))
                .Stderr.Contains("etcdserver: unhealthy cluster", StringComparison.Ordinal), TestCluster.Deadline, "member add accepted");
            answers.Add(Normalize(["member", "add"], added));
            string learnerId = AddedRegex().Match(added.Stdout).Groups[1].Value;
            Assert.NotEmpty(learnerId);
            answers.Add(await RunAsync(all, "move-leader", learnerId));
            answers.Add(await RunAsync(leader, "member", "promote", learnerId));
            string follower = cluster.Endpoints.First(e => e != leader);
            ulong followerId = await MemberIdAsync(follower);
            // A follower forwards a promotion to the leader, which alone knows how far a learner's log is.
            answers.Add(await RunAsync(follower, "member", "promote", learnerId));
            answers.Add(await RunAsync(follower, "member", "promote", "1234abcd"));
            answers.Add(await RunAsync(follower, "member", "promote", followerId.ToString("x", CultureInfo.InvariantCulture)));
            answers.Add(await RunAsync(leader, "member", "remove", learnerId));

            // etcdctl finds the leader itself; the JSON gateway lets a follower be asked directly.
            answers.Add(await MoveLeaderThroughGatewayAsync(follower, leaderId));
            answers.Add(await RunAsync(all, "move-leader", followerId.ToString("x", CultureInfo.InvariantCulture)));
            await Poll.UntilAsync(async () => (await LeaderAsync(cluster.Endpoints)).Id == followerId, TestCluster.Deadline,
                "leadership at the move-leader target");
            answers.Add(await RunAsync(all, "move-leader", leaderId.ToString("x", CultureInfo.InvariantCulture)));
            await Poll.UntilAsync(async () => (await LeaderAsync(cluster.Endpoints)).Id == leaderId, TestCluster.Deadline,
                "leadership moved back");
            return answers;
        }
        catch (Exception failure)
        {
            throw new Xunit.Sdk.XunitException($"{failure.Message}\nanswers so far:\n{string.Join("\n", answers)}\n{cluster.Output()}");
        }
    }

    /// <summary>"exit N: output", with member/cluster IDs and the learner's URL replaced so etcd and Cairn compare.</summary>
    private static async Task<string> RunAsync(string endpoints, params string[] arguments) =>
        Normalize(arguments, await Etcdctl.RunAsync(endpoints, arguments));

    private static string Normalize(string[] arguments, ProcessResult result)
    {
        // etcdctl's client library logs its retries as JSON lines with timestamps: not part of the answer.
        string output = string.Join("\n", (result.Stdout + result.Stderr).Split('\n')
            .Where(line => !line.StartsWith("{\"level\"", StringComparison.Ordinal))).Trim();
        // member add lists the members in the order of their (random) IDs.
        output = InitialClusterRegex().Replace(output, m => $"ETCD_INITIAL_CLUSTER=\"{string.Join(",", m.Groups[1].Value.Split(',').Order(StringComparer.Ordinal))}\"");
        output = UrlRegex().Replace(output, "URL");
        // IDs differ between the clusters, and etcdctl pads a short one (%16x) with spaces.
        return PaddedIdRegex().Replace($"{string.Join(' ', arguments.Take(2))}: exit {result.ExitCode}: {output.ReplaceLineEndings(" | ")}", " ID");
    }

    /// <summary>MoveLeader over the grpc-gateway (curl): the error body. The HTTP status is left out: Debian's etcd
    /// answers 412 for FailedPrecondition where upstream etcd and Cairn answer 400 (see GatewayStatus).</summary>
    private static async Task<string> MoveLeaderThroughGatewayAsync(string endpoint, ulong targetId)
    {
        ProcessResult result = await ProcessRunner.RunAsync("curl",
            ["-s", "-X", "POST", $"http://{endpoint}/v3/maintenance/transfer-leadership", "-d", $"{{\"targetID\":\"{targetId}\"}}"]);
        return $"gateway transfer-leadership via a follower: {result.Stdout.Trim()}";
    }

    private static async Task<(string Endpoint, ulong Id)> LeaderAsync(IReadOnlyList<string> endpoints)
    {
        foreach (string endpoint in endpoints)
        {
            ProcessResult result = await Etcdctl.RunAsync(endpoint, "endpoint", "status", "-w", "json");
            if (result.ExitCode != 0)
            {
                continue;
            }

            using JsonDocument document = JsonDocument.Parse(result.Stdout);
            JsonElement status = document.RootElement[0].GetProperty("Status");
            ulong self = status.GetProperty("header").GetProperty("member_id").GetUInt64();
            if (status.TryGetProperty("leader", out JsonElement leader) && leader.GetUInt64() == self)
            {
                return (endpoint, self);
            }
        }

        throw new InvalidOperationException("no endpoint reports itself as the leader");
    }

    private static async Task<ulong> MemberIdAsync(string endpoint)
    {
        ProcessResult result = (await Etcdctl.RunAsync(endpoint, "endpoint", "status", "-w", "json")).EnsureSuccess("endpoint status");
        using JsonDocument document = JsonDocument.Parse(result.Stdout);
        return document.RootElement[0].GetProperty("Status").GetProperty("header").GetProperty("member_id").GetUInt64();
    }

    [GeneratedRegex(@"Member +([0-9a-f]+) added to cluster")]
    private static partial Regex AddedRegex();

    [GeneratedRegex("ETCD_INITIAL_CLUSTER=\"([^\"]*)\"")]
    private static partial Regex InitialClusterRegex();

    [GeneratedRegex(@" *\b[0-9a-f]{6,16}\b")]
    private static partial Regex PaddedIdRegex();

    [GeneratedRegex(@"https?://127\.0\.0\.1:\d+")]
    private static partial Regex UrlRegex();
}
