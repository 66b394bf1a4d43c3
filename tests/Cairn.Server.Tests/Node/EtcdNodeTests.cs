using Cairn.Protocol.Etcd;
using Cairn.Protocol.Grpc;
using Cairn.Protocol.Internal;
using Cairn.Server.Node;
using Cairn.Storage.StateMachine;
using Google.Protobuf;

namespace Cairn.Server.Tests.Node;

/// <summary>The node loop with a real WAL: proposals, reads, restart recovery, limits.</summary>
public class EtcdNodeTests
{
    private static InternalRequest Put(string key, string value) => new()
    {
        Put = new PutRequest { Key = ByteString.CopyFromUtf8(key), Value = ByteString.CopyFromUtf8(value) },
    };

    [Fact]
    public async Task A_new_member_elects_itself_and_bootstraps_its_membership()
    {
        using var fixture = new NodeFixture();
        await using EtcdNode node = await fixture.OpenAsync();

        Assert.True(node.HasLeader);
        Assert.Equal(node.MemberId, node.LeaderId);
        MemberListResponse members = node.State.Cluster.List();
        Member self = Assert.Single(members.Members);
        Assert.Equal(node.MemberId, self.ID);
        Assert.Equal(node.ClusterId, node.State.Cluster.ClusterId);
        Assert.Equal(1, node.State.Store.CurrentRevision);
    }

    [Fact]
    public async Task Puts_are_applied_and_answered_with_their_revision()
    {
        using var fixture = new NodeFixture();
        await using EtcdNode node = await fixture.OpenAsync();

        ApplyResult first = await node.ProposeAsync(Put("a", "1"), CancellationToken.None);
        ApplyResult second = await node.ProposeAsync(Put("a", "2"), CancellationToken.None);

        Assert.Equal(2, ((PutResponse)first.Response!).Header.Revision);
        Assert.Equal(3, ((PutResponse)second.Response!).Header.Revision);
        Assert.Equal(node.MemberId, ((PutResponse)second.Response!).Header.MemberId);
        await node.ReadBarrierAsync(CancellationToken.None);
        RangeResponse range = node.State.Store.Range(new RangeRequest { Key = ByteString.CopyFromUtf8("a") });
        Assert.Equal("2", range.Kvs[0].Value.ToStringUtf8());
    }

    [Fact]
    public async Task Concurrent_proposals_are_batched_and_all_complete()
    {
        using var fixture = new NodeFixture();
        await using EtcdNode node = await fixture.OpenAsync();

        Task<ApplyResult>[] puts = Enumerable.Range(0, 2000)
            .Select(i => Task.Run(() => node.ProposeAsync(Put($"k{i:D5}", $"v{i}"), CancellationToken.None)))
            .ToArray();
        ApplyResult[] results = await Task.WhenAll(puts);

        long[] revisions = results.Select(r => ((PutResponse)r.Response!).Header.Revision).Order().ToArray();
        Assert.Equal(Enumerable.Range(2, 2000).Select(i => (long)i), revisions);
        Assert.Equal(2001, node.State.Store.CurrentRevision);
    }

    [Fact]
    public async Task Restart_recovers_every_acknowledged_write_from_the_wal()
    {
        using var fixture = new NodeFixture();
        ulong memberId;
        await using (EtcdNode node = await fixture.OpenAsync())
        {
            memberId = node.MemberId;
            for (int i = 0; i < 100; i++)
            {
                await node.ProposeAsync(Put($"key{i}", $"value{i}"), CancellationToken.None);
            }
        }

        await using EtcdNode restarted = await fixture.OpenAsync();
        await restarted.ReadBarrierAsync(CancellationToken.None);

        Assert.Equal(memberId, restarted.MemberId);
        Assert.Equal(101, restarted.State.Store.CurrentRevision);
        RangeResponse range = restarted.State.Store.Range(new RangeRequest { Key = ByteString.CopyFromUtf8("key42") });
        Assert.Equal("value42", range.Kvs[0].Value.ToStringUtf8());
        Assert.Equal(44, range.Kvs[0].ModRevision);
    }

    [Fact]
    public async Task Snapshots_compact_the_wal_and_restart_uses_them()
    {
        using var fixture = new NodeFixture();
        Func<NodeOptions, NodeOptions> small = o => o with { SnapshotCount = 50, MaxSnapshots = 2, WalSegmentBytes = 64 * 1024 };
        await using (EtcdNode node = await fixture.OpenAsync(small))
        {
            for (int i = 0; i < 600; i++)
            {
                await node.ProposeAsync(Put($"key{i % 20}", new string('x', 200)), CancellationToken.None);
            }

            await node.SnapshotNowAsync();
        }

        string[] snapshots = Directory.GetFiles(Path.Combine(fixture.DataDirectory, "snap"), "*.snap");
        Assert.Equal(2, snapshots.Length);
        int segments = Directory.GetFiles(Path.Combine(fixture.DataDirectory, "wal"), "*.wal").Length;
        Assert.True(segments <= 3, $"{segments} WAL segments left; snapshots should have released the older ones");

        await using EtcdNode restarted = await fixture.OpenAsync(small);
        Assert.Equal(601, restarted.State.Store.CurrentRevision);
    }

    [Fact]
    public async Task A_request_larger_than_the_limit_is_refused_before_raft()
    {
        using var fixture = new NodeFixture();
        await using EtcdNode node = await fixture.OpenAsync(o => o with { MaxRequestBytes = 1024 });

        var error = await Assert.ThrowsAsync<RpcException>(() => node.ProposeAsync(Put("big", new string('x', 2000)), CancellationToken.None));

        Assert.Equal(GrpcStatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("etcdserver: request is too large", error.Message);
        Assert.Equal(1, node.State.Store.CurrentRevision);
    }

    [Fact]
    public async Task Too_many_pending_proposals_fail_fast_with_etcds_error()
    {
        using var fixture = new NodeFixture();
        await using EtcdNode node = await fixture.OpenAsync(o => o with { MaxPendingProposals = 1 });

        Task<ApplyResult>[] puts = Enumerable.Range(0, 200).Select(i => node.ProposeAsync(Put($"k{i}", "v"), CancellationToken.None)).ToArray();
        int refused = 0;
        foreach (Task<ApplyResult> put in puts)
        {
            try
            {
                await put;
            }
            catch (RpcException error) when (error.StatusCode == GrpcStatusCode.ResourceExhausted)
            {
                Assert.Equal("etcdserver: too many requests", error.Message);
                refused++;
            }
        }

        Assert.True(refused > 0, "no proposal was refused although only one may be pending");
        Assert.Equal(0, node.PendingProposals);
    }

    [Fact]
    public async Task Apply_errors_are_thrown_with_etcds_code_and_message()
    {
        using var fixture = new NodeFixture();
        await using EtcdNode node = await fixture.OpenAsync();
        var revoke = new InternalRequest { LeaseRevoke = new LeaseRevokeRequest { ID = 12345 } };

        var error = await Assert.ThrowsAsync<RpcException>(() => node.ProposeAsync(revoke, CancellationToken.None));

        Assert.Equal(GrpcStatusCode.NotFound, error.StatusCode);
        Assert.Equal("etcdserver: requested lease not found", error.Message);
    }

    [Fact]
    public async Task Lease_grant_with_id_zero_gets_a_positive_id()
    {
        using var fixture = new NodeFixture();
        await using EtcdNode node = await fixture.OpenAsync();

        ApplyResult result = await node.ProposeAsync(new InternalRequest { LeaseGrant = new LeaseGrantRequest { TTL = 60 } }, CancellationToken.None);

        var grant = (LeaseGrantResponse)result.Response!;
        Assert.True(grant.ID > 0);
        Assert.Equal(60, grant.TTL);
        Assert.Equal(60, await node.KeepAliveAsync(grant.ID, CancellationToken.None));
        Assert.Equal(0, await node.KeepAliveAsync(grant.ID + 1, CancellationToken.None));
    }
}
