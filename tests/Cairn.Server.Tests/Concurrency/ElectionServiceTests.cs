using Cairn.Client;
using Cairn.Protocol.Etcd;
using Cairn.Protocol.Grpc;
using Cairn.Server.Tests.Support;
using static Cairn.Server.Tests.Support.Bytes;

namespace Cairn.Server.Tests.Concurrency;

/// <summary>The v3election service against etcd's observed behaviour (reference §4.10, §3.2).</summary>
public class ElectionServiceTests
{
    [Fact]
    public async Task Campaign_makes_the_first_candidate_leader_and_leader_reports_it()
    {
        await using GatewayTestHost host = await GatewayTestHost.StartAsync();
        EtcdClient client = host.NewClient();
        long lease = (await client.Lease.LeaseGrantAsync(new LeaseGrantRequest { TTL = 30, ID = 0x1f })).ID;

        CampaignResponse won = await client.Election.CampaignAsync(new CampaignRequest { Name = B("e"), Lease = lease, Value = B("alpha") });
        LeaderResponse leader = await client.Election.LeaderAsync(new LeaderRequest { Name = B("e") });

        Assert.Equal("e", S(won.Leader.Name));
        Assert.Equal("e/1f", S(won.Leader.Key));
        Assert.Equal(2, won.Leader.Rev);
        Assert.Equal(lease, won.Leader.Lease);
        Assert.Equal(2, won.Header.Revision);
        Assert.Equal("alpha", S(leader.Kv.Value));
        Assert.Equal(won.Leader.Key, leader.Kv.Key);
    }

    [Fact]
    public async Task Leader_without_candidates_fails_with_election_no_leader()
    {
        await using GatewayTestHost host = await GatewayTestHost.StartAsync();

        var failure = await Assert.ThrowsAsync<RpcException>(() => host.NewClient().Election.LeaderAsync(new LeaderRequest { Name = B("none") }));

        Assert.Equal(GrpcStatusCode.Unknown, failure.StatusCode);
        Assert.Equal("election: no leader", failure.Message);
    }

    [Fact]
    public async Task A_second_candidate_wins_once_the_leader_resigns()
    {
        await using GatewayTestHost host = await GatewayTestHost.StartAsync();
        EtcdClient client = host.NewClient();
        await client.Lease.LeaseGrantAsync(new LeaseGrantRequest { TTL = 30, ID = 1 });
        await client.Lease.LeaseGrantAsync(new LeaseGrantRequest { TTL = 30, ID = 2 });
        CampaignResponse first = await client.Election.CampaignAsync(new CampaignRequest { Name = B("e"), Lease = 1, Value = B("one") });

        Task<CampaignResponse> second = client.Election.CampaignAsync(new CampaignRequest { Name = B("e"), Lease = 2, Value = B("two") });
        await Task.Delay(300);
        bool wonEarly = second.IsCompleted;
        await client.Election.ResignAsync(new ResignRequest { Leader = first.Leader });
        CampaignResponse won = await second.WaitAsync(TimeSpan.FromSeconds(10));
        LeaderResponse leader = await client.Election.LeaderAsync(new LeaderRequest { Name = B("e") });

        Assert.False(wonEarly);
        Assert.Equal("e/2", S(won.Leader.Key));
        Assert.Equal("two", S(leader.Kv.Value));
    }

    [Fact]
    public async Task Proclaim_changes_the_value_while_leader_and_fails_with_not_leader_after()
    {
        await using GatewayTestHost host = await GatewayTestHost.StartAsync();
        EtcdClient client = host.NewClient();
        await client.Lease.LeaseGrantAsync(new LeaseGrantRequest { TTL = 30, ID = 7 });
        CampaignResponse won = await client.Election.CampaignAsync(new CampaignRequest { Name = B("p"), Lease = 7, Value = B("v1") });

        ProclaimResponse proclaimed = await client.Election.ProclaimAsync(new ProclaimRequest { Leader = won.Leader, Value = B("v2") });
        string value = S((await client.Election.LeaderAsync(new LeaderRequest { Name = B("p") })).Kv.Value);
        ResignResponse resigned = await client.Election.ResignAsync(new ResignRequest { Leader = won.Leader });
        var stale = await Assert.ThrowsAsync<RpcException>(() => client.Election.ProclaimAsync(new ProclaimRequest { Leader = won.Leader, Value = B("v3") }));
        ResignResponse resignedAgain = await client.Election.ResignAsync(new ResignRequest { Leader = won.Leader });

        Assert.Equal(3, proclaimed.Header.Revision);
        Assert.Equal("v2", value);
        Assert.Equal(4, resigned.Header.Revision);
        Assert.Equal(GrpcStatusCode.Unknown, stale.StatusCode);
        Assert.Equal("election: not leader", stale.Message);
        Assert.Equal(4, resignedAgain.Header.Revision);
    }

    [Fact]
    public async Task Proclaim_and_resign_without_a_leader_key_are_refused()
    {
        await using GatewayTestHost host = await GatewayTestHost.StartAsync();
        EtcdClient client = host.NewClient();

        var proclaim = await Assert.ThrowsAsync<RpcException>(() => client.Election.ProclaimAsync(new ProclaimRequest { Value = B("x") }));
        var resign = await Assert.ThrowsAsync<RpcException>(() => client.Election.ResignAsync(new ResignRequest()));

        Assert.Equal("\"leader\" field must be provided", proclaim.Message);
        Assert.Equal("\"leader\" field must be provided", resign.Message);
        Assert.Equal(GrpcStatusCode.Unknown, resign.StatusCode);
    }

    [Fact]
    public async Task Campaign_again_with_a_new_value_proclaims_it()
    {
        await using GatewayTestHost host = await GatewayTestHost.StartAsync();
        EtcdClient client = host.NewClient();
        await client.Lease.LeaseGrantAsync(new LeaseGrantRequest { TTL = 30, ID = 3 });
        CampaignResponse first = await client.Election.CampaignAsync(new CampaignRequest { Name = B("c"), Lease = 3, Value = B("a") });

        CampaignResponse again = await client.Election.CampaignAsync(new CampaignRequest { Name = B("c"), Lease = 3, Value = B("b") });
        LeaderResponse leader = await client.Election.LeaderAsync(new LeaderRequest { Name = B("c") });

        Assert.Equal(first.Leader.Rev, again.Leader.Rev);
        Assert.Equal("b", S(leader.Kv.Value));
        Assert.Equal(2, leader.Kv.Version);
    }

    [Fact]
    public async Task Observe_streams_the_leader_its_proclamations_and_the_next_leader()
    {
        await using GatewayTestHost host = await GatewayTestHost.StartAsync();
        EtcdClient client = host.NewClient();
        await client.Lease.LeaseGrantAsync(new LeaseGrantRequest { TTL = 30, ID = 1 });
        await client.Lease.LeaseGrantAsync(new LeaseGrantRequest { TTL = 30, ID = 2 });
        await using ServerStreamingCall<LeaderResponse> observe = await client.Election.ObserveAsync(new LeaderRequest { Name = B("o") });

        CampaignResponse first = await client.Election.CampaignAsync(new CampaignRequest { Name = B("o"), Lease = 1, Value = B("one") });
        LeaderResponse seen1 = (await observe.ReadAsync(Within()))!;
        Task<CampaignResponse> second = client.Election.CampaignAsync(new CampaignRequest { Name = B("o"), Lease = 2, Value = B("two") });
        await client.Election.ProclaimAsync(new ProclaimRequest { Leader = first.Leader, Value = B("one'") });
        LeaderResponse seen2 = (await observe.ReadAsync(Within()))!;
        await client.Election.ResignAsync(new ResignRequest { Leader = first.Leader });
        await second.WaitAsync(TimeSpan.FromSeconds(10));
        LeaderResponse seen3 = (await observe.ReadAsync(Within()))!;

        Assert.Equal(("o/1", "one"), (S(seen1.Kv.Key), S(seen1.Kv.Value)));
        Assert.Equal(seen1.Kv.ModRevision, seen1.Header.Revision);
        Assert.Equal(("o/1", "one'"), (S(seen2.Kv.Key), S(seen2.Kv.Value)));
        Assert.Equal(("o/2", "two"), (S(seen3.Kv.Key), S(seen3.Kv.Value)));
    }
}
