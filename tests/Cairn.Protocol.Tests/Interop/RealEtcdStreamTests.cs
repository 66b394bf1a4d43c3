using System.Security.Cryptography;
using Cairn.Client;
using Cairn.Protocol.Etcd;
using Cairn.Protocol.Grpc;
using Google.Protobuf;

namespace Cairn.Protocol.Tests.Interop;

/// <summary>Cairn.Client's streams and the other services against real etcd 3.4.</summary>
[Collection(RealEtcdCollection.Name)]
public sealed class RealEtcdStreamTests(RealEtcd etcd) : IDisposable
{
    private readonly EtcdClient _client = Server.TestClients.For(etcd.Endpoint);

    public void Dispose() => _client.Dispose();

    private static ByteString Bytes(string text) => ByteString.CopyFromUtf8(text);

    [Fact]
    public async Task Watch_creates_receives_events_and_cancels()
    {
        await using WatchStream watch = await _client.Watch.OpenAsync(new CallOptions { RequireLeader = true });
        await watch.CreateAsync(new WatchCreateRequest { Key = Bytes("watch/"), RangeEnd = EtcdKeys.PrefixRangeEnd(Bytes("watch/")), PrevKv = true });
        WatchResponse created = (await watch.ReadAsync())!;
        Assert.True(created.Created);
        long watchId = created.WatchId;

        await _client.KV.PutAsync(new PutRequest { Key = Bytes("watch/a"), Value = Bytes("1") });
        await _client.KV.PutAsync(new PutRequest { Key = Bytes("watch/a"), Value = Bytes("2") });
        await _client.KV.DeleteRangeAsync(new DeleteRangeRequest { Key = Bytes("watch/a") });

        var events = new List<Event>();
        while (events.Count < 3)
        {
            WatchResponse response = (await watch.ReadAsync())!;
            Assert.Equal(watchId, response.WatchId);
            events.AddRange(response.Events);
        }

        Assert.Equal([Event.Types.EventType.Put, Event.Types.EventType.Put, Event.Types.EventType.Delete], events.Select(e => e.Type));
        Assert.Equal("1", events[1].PrevKv.Value.ToStringUtf8());

        await watch.RequestProgressAsync();
        WatchResponse progress = (await watch.ReadAsync())!;
        Assert.Empty(progress.Events);
        Assert.True(progress.Header.Revision >= events[2].Kv.ModRevision);

        await watch.CancelAsync(watchId);
        WatchResponse canceled = (await watch.ReadAsync())!;
        Assert.True(canceled.Canceled);
        Assert.Equal(watchId, canceled.WatchId);
    }

    [Fact]
    public async Task Lease_grant_keepalive_timetolive_revoke()
    {
        LeaseGrantResponse grant = await _client.Lease.LeaseGrantAsync(new LeaseGrantRequest { TTL = 30 });
        Assert.Equal(30, grant.TTL);
        await _client.KV.PutAsync(new PutRequest { Key = Bytes("lease/k"), Value = Bytes("v"), Lease = grant.ID });

        await using (LeaseKeepAliveStream keepAlive = await _client.Lease.KeepAliveAsync())
        {
            for (int i = 0; i < 3; i++)
            {
                await keepAlive.KeepAliveAsync(grant.ID);
                LeaseKeepAliveResponse refreshed = (await keepAlive.ReadAsync())!;
                Assert.Equal(grant.ID, refreshed.ID);
                Assert.Equal(30, refreshed.TTL);
            }
        }

        Assert.Equal(30, (await _client.Lease.KeepAliveOnceAsync(grant.ID)).TTL);

        LeaseTimeToLiveResponse ttl = await _client.Lease.LeaseTimeToLiveAsync(new LeaseTimeToLiveRequest { ID = grant.ID, Keys = true });
        Assert.Equal(30, ttl.GrantedTTL);
        Assert.InRange(ttl.TTL, 25, 30);
        Assert.Equal("lease/k", ttl.Keys.Single().ToStringUtf8());
        Assert.Contains((await _client.Lease.LeaseLeasesAsync(new LeaseLeasesRequest())).Leases, lease => lease.ID == grant.ID);

        await _client.Lease.LeaseRevokeAsync(new LeaseRevokeRequest { ID = grant.ID });
        Assert.Empty((await _client.KV.RangeAsync(new RangeRequest { Key = Bytes("lease/k") })).Kvs);
        Assert.Equal(0, (await _client.Lease.KeepAliveOnceAsync(grant.ID)).TTL);
    }

    [Fact]
    public async Task Unknown_lease_errors_carry_etcds_code_and_message()
    {
        var revoke = await Assert.ThrowsAsync<RpcException>(() => _client.Lease.LeaseRevokeAsync(new LeaseRevokeRequest { ID = 0x1234 }));
        Assert.Equal(GrpcStatusCode.NotFound, revoke.StatusCode);
        Assert.Equal("etcdserver: requested lease not found", revoke.Message);

        var put = await Assert.ThrowsAsync<RpcException>(() => _client.KV.PutAsync(new PutRequest { Key = Bytes("k"), Lease = 0x1234 }));
        Assert.Equal(GrpcStatusCode.NotFound, put.StatusCode);
    }

    [Fact]
    public async Task Status_and_member_list()
    {
        StatusResponse status = await _client.Maintenance.StatusAsync(new StatusRequest());
        Assert.Equal("3.4.23", status.Version);
        Assert.Equal(status.Header.MemberId, status.Leader);

        MemberListResponse members = await _client.Cluster.MemberListAsync(new MemberListRequest());
        Member member = members.Members.Single();
        Assert.Equal("t", member.Name);
        Assert.Equal(etcd.ClientUrl, member.ClientURLs.Single());

        StatusResponse direct = await _client.Invoker.UnaryToEndpointAsync(0, Cairn.Protocol.EtcdMethods.Maintenance.Status, new StatusRequest(), StatusResponse.Parser);
        Assert.Equal(status.Header.MemberId, direct.Header.MemberId);
    }

    [Fact]
    public async Task Snapshot_stream_delivers_the_database_and_its_sha256()
    {
        await _client.KV.PutAsync(new PutRequest { Key = Bytes("snapshot/k"), Value = Bytes("v") });
        using var snapshot = new MemoryStream();
        await using (ServerStreamingCall<SnapshotResponse> call = await _client.Maintenance.SnapshotAsync(new SnapshotRequest()))
        {
            await foreach (SnapshotResponse chunk in call.ReadAllAsync())
            {
                chunk.Blob.WriteTo(snapshot);
            }
        }

        byte[] bytes = snapshot.ToArray();
        Assert.Equal(32, bytes.Length % 512);
        Assert.Equal(bytes[^32..], SHA256.HashData(bytes.AsSpan(0, bytes.Length - 32)));
    }

    [Fact]
    public async Task Lock_times_out_as_DeadlineExceeded_while_held()
    {
        LeaseGrantResponse lease = await _client.Lease.LeaseGrantAsync(new LeaseGrantRequest { TTL = 30 });
        LockResponse held = await _client.Lock.LockAsync(new LockRequest { Name = Bytes("interop-lock"), Lease = lease.ID });
        Assert.StartsWith("interop-lock/", held.Key.ToStringUtf8(), StringComparison.Ordinal);

        LeaseGrantResponse other = await _client.Lease.LeaseGrantAsync(new LeaseGrantRequest { TTL = 30 });
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            _client.Lock.LockAsync(new LockRequest { Name = Bytes("interop-lock"), Lease = other.ID }, new CallOptions { Timeout = TimeSpan.FromMilliseconds(500) }));
        // The client's timer and etcd's (from grpc-timeout) race; etcd's Lock service reports its own expiry as
        // Unknown (reference §3.2: Lock errors come back as Unknown), the client's timer as DeadlineExceeded.
        Assert.Contains(error.StatusCode, (GrpcStatusCode[])[GrpcStatusCode.DeadlineExceeded, GrpcStatusCode.Unknown]);
        Assert.Equal("context deadline exceeded", error.Message);

        await _client.Lock.UnlockAsync(new UnlockRequest { Key = held.Key });
        await _client.Lease.LeaseRevokeAsync(new LeaseRevokeRequest { ID = lease.ID });
        await _client.Lease.LeaseRevokeAsync(new LeaseRevokeRequest { ID = other.ID });
    }

    [Fact]
    public async Task Election_campaign_leader_and_observe()
    {
        LeaseGrantResponse lease = await _client.Lease.LeaseGrantAsync(new LeaseGrantRequest { TTL = 30 });
        CampaignResponse campaign = await _client.Election.CampaignAsync(new CampaignRequest { Name = Bytes("interop-election"), Lease = lease.ID, Value = Bytes("me") });
        LeaderResponse leader = await _client.Election.LeaderAsync(new LeaderRequest { Name = Bytes("interop-election") });
        Assert.Equal("me", leader.Kv.Value.ToStringUtf8());

        await using (ServerStreamingCall<LeaderResponse> observe = await _client.Election.ObserveAsync(new LeaderRequest { Name = Bytes("interop-election") }))
        {
            Assert.Equal("me", (await observe.ReadAsync())!.Kv.Value.ToStringUtf8());
            await _client.Election.ProclaimAsync(new ProclaimRequest { Leader = campaign.Leader, Value = Bytes("me-again") });
            Assert.Equal("me-again", (await observe.ReadAsync())!.Kv.Value.ToStringUtf8());
        }

        await _client.Election.ResignAsync(new ResignRequest { Leader = campaign.Leader });
        var noLeader = await Assert.ThrowsAsync<RpcException>(() => _client.Election.LeaderAsync(new LeaderRequest { Name = Bytes("interop-election") }));
        Assert.Equal(GrpcStatusCode.Unknown, noLeader.StatusCode);
        Assert.Equal("election: no leader", noLeader.Message);
        await _client.Lease.LeaseRevokeAsync(new LeaseRevokeRequest { ID = lease.ID });
    }

    [Fact]
    public async Task Disposing_a_watch_stream_cancels_it_without_disturbing_the_client()
    {
        WatchStream watch = await _client.Watch.OpenAsync();
        await watch.CreateAsync(new WatchCreateRequest { Key = Bytes("dispose/k") });
        Assert.True((await watch.ReadAsync())!.Created);
        await watch.DisposeAsync();

        Assert.NotNull(await _client.KV.PutAsync(new PutRequest { Key = Bytes("dispose/k"), Value = Bytes("v") }));
    }
}
