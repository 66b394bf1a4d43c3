using System.Diagnostics;
using Cairn.Client;
using Cairn.Faults;
using Cairn.Linearizability;
using Cairn.Protocol.Etcd;
using Cairn.Testing;
using Google.Protobuf;

namespace Cairn.Cluster.Tests;

/// <summary>Network partitions, with every member in its own network namespace.</summary>
public abstract partial class ClusterFaultScenarios
{
    [Fact]
    public async Task Partitioning_the_leader_from_the_majority_keeps_the_history_linearizable()
    {
        using NetworkNamespaceLab lab = NetworkNamespaceLab.Create(MemberCount);
        await using LocalCluster cluster = await LocalCluster.StartAsync(MemberCount, CommandFor, lab);
        await RunUnderLoadAsync(cluster, rotate: true, async () =>
        {
            int leader = await ClusterProbe.WaitForLeaderAsync(cluster.Endpoints, FaultCampaign.ElectionTimeout);
            lab.Isolate(leader);
            Output.WriteLine($"isolated leader m{leader}");
            int successor = await ClusterProbe.WaitForLeaderAsync(cluster.Endpoints, FaultCampaign.ElectionTimeout, Others(leader));
            Output.WriteLine($"majority elected m{successor}");
            Assert.NotEqual(leader, successor);
            await AssertLinearizableReadFailsAsync(cluster.Endpoints[leader]);
            await Task.Delay(FaultCampaign.Phase);
            lab.Heal();
            Output.WriteLine("healed");
            await AssertConvergesAsync(cluster.Endpoints[successor], cluster.Endpoints[leader]);
        });
    }

    [Fact]
    public async Task Serializable_reads_from_an_isolated_old_leader_are_caught_as_stale()
    {
        using NetworkNamespaceLab lab = NetworkNamespaceLab.Create(MemberCount);
        await using LocalCluster cluster = await LocalCluster.StartAsync(MemberCount, CommandFor, lab);
        int leader = await ClusterProbe.WaitForLeaderAsync(cluster.Endpoints, FaultCampaign.ElectionTimeout);
        using EtcdClient oldLeader = EtcdClient.Connect(cluster.Endpoints[leader]);
        string key = $"/stale/{Guid.NewGuid():N}";
        var history = new List<Operation>
        {
            await RunAsync(oldLeader, NewPut(key, "before-partition"), serializable: false),
        };
        Assert.Equal(Outcome.Ok, history[0].Outcome);

        lab.Isolate(leader);
        int successor = await ClusterProbe.WaitForLeaderAsync(cluster.Endpoints, FaultCampaign.ElectionTimeout, Others(leader));
        using EtcdClient majority = EtcdClient.Connect(cluster.Endpoints[successor]);
        Operation put = await RunAsync(majority, NewPut(key, "after-partition"), serializable: false);
        Assert.True(put.Outcome == Outcome.Ok, put.ToString());
        history.Add(put);

        // A serializable read is served from the member's local state: the isolated member cannot know about the new write.
        Operation staleRead = await RunAsync(oldLeader, NewGet(key), serializable: true);
        history.Add(staleRead);
        Assert.True(staleRead.Outcome == Outcome.Ok && staleRead.ReadValue == "before-partition", $"expected a stale local read: {staleRead}");

        CheckResult result = LinearizabilityChecker.Check(history);
        Output.WriteLine(result.ToString());
        Assert.Equal(Verdict.Violation, result.Verdict);
        Assert.Contains(key, string.Join("\n", result.Explanations));
    }

    private static Operation NewPut(string key, string value) => new()
    {
        ClientId = 0, Kind = OperationKind.Put, Key = key, WriteValue = value, InvokeTicks = Stopwatch.GetTimestamp(),
    };

    private static Operation NewGet(string key) => new()
    {
        ClientId = 1, Kind = OperationKind.Get, Key = key, InvokeTicks = Stopwatch.GetTimestamp(),
    };

    private static Task<Operation> RunAsync(EtcdClient client, Operation request, bool serializable) =>
        KvOperationExecutor.ExecuteAsync(client, request, serializable, TimeSpan.FromSeconds(5));

    /// <summary>A member cut off from the majority must refuse (or time out on) linearizable reads.</summary>
    private async Task AssertLinearizableReadFailsAsync(string isolatedEndpoint)
    {
        using EtcdClient client = EtcdClient.Connect(isolatedEndpoint);
        Operation read = await RunAsync(client, NewGet("/probe/minority"), serializable: false);
        Output.WriteLine($"linearizable read on the isolated member: {read}");
        Assert.True(read.Outcome != Outcome.Ok, $"the isolated member served a linearizable read: {read}");
    }

    /// <summary>After healing, the old leader catches up: a linearizable read there sees a write made through the majority.</summary>
    private static async Task AssertConvergesAsync(string majorityEndpoint, string healedEndpoint)
    {
        string key = $"/probe/heal/{Guid.NewGuid():N}";
        using EtcdClient majority = EtcdClient.Connect(majorityEndpoint);
        using EtcdClient healed = EtcdClient.Connect(healedEndpoint);
        await majority.KV.PutAsync(new PutRequest { Key = ByteString.CopyFromUtf8(key), Value = ByteString.CopyFromUtf8("healed") }, new CallOptions { Timeout = TimeSpan.FromSeconds(10) });
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                RangeResponse range = await healed.KV.RangeAsync(new RangeRequest { Key = ByteString.CopyFromUtf8(key) }, new CallOptions { Timeout = TimeSpan.FromSeconds(2) });
                if (range.Kvs.Count == 1)
                {
                    return;
                }
            }
            catch (Exception error) when (error is not OutOfMemoryException && stopwatch.Elapsed < FaultCampaign.ElectionTimeout)
            {
            }

            Assert.True(stopwatch.Elapsed < FaultCampaign.ElectionTimeout, "the healed member never caught up with the majority");
            await Task.Delay(100);
        }
    }
}
