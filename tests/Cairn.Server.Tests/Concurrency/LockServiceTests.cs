using Cairn.Client;
using Cairn.Protocol.Etcd;
using Cairn.Protocol.Grpc;
using Cairn.Server.Tests.Support;
using static Cairn.Server.Tests.Support.Bytes;

namespace Cairn.Server.Tests.Concurrency;

/// <summary>The v3lock service against etcd's observed behaviour (reference §4.10).</summary>
public class LockServiceTests
{
    [Fact]
    public async Task Lock_creates_name_slash_lease_hex_with_the_lease_and_returns_at_once_when_free()
    {
        await using GatewayTestHost host = await GatewayTestHost.StartAsync();
        EtcdClient client = host.NewClient();
        LeaseGrantResponse lease = await client.Lease.LeaseGrantAsync(new LeaseGrantRequest { TTL = 30, ID = 0x390da200a03ce4f6 });

        LockResponse locked = await client.Lock.LockAsync(new LockRequest { Name = B("mylock"), Lease = lease.ID });
        RangeResponse stored = await client.KV.RangeAsync(new RangeRequest { Key = locked.Key });

        Assert.Equal("mylock/390da200a03ce4f6", S(locked.Key));
        Assert.Equal(2, locked.Header.Revision);
        Assert.Equal(InProcessNode.TestMemberId, locked.Header.MemberId);
        KeyValue kv = Assert.Single(stored.Kvs);
        Assert.Equal(lease.ID, kv.Lease);
        Assert.True(kv.Value.IsEmpty);
    }

    [Fact]
    public async Task A_second_locker_waits_until_the_holder_unlocks()
    {
        await using GatewayTestHost host = await GatewayTestHost.StartAsync();
        EtcdClient client = host.NewClient();
        long first = (await client.Lease.LeaseGrantAsync(new LeaseGrantRequest { TTL = 30, ID = 1 })).ID;
        long second = (await client.Lease.LeaseGrantAsync(new LeaseGrantRequest { TTL = 30, ID = 2 })).ID;
        LockResponse held = await client.Lock.LockAsync(new LockRequest { Name = B("q"), Lease = first });

        Task<LockResponse> waiting = client.Lock.LockAsync(new LockRequest { Name = B("q"), Lease = second });
        await Task.Delay(300);
        bool finishedWhileHeld = waiting.IsCompleted;
        UnlockResponse unlocked = await client.Lock.UnlockAsync(new UnlockRequest { Key = held.Key });
        LockResponse acquired = await waiting.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(finishedWhileHeld);
        Assert.Equal("q/2", S(acquired.Key));
        Assert.Equal(unlocked.Header.Revision, acquired.Header.Revision);
    }

    [Fact]
    public async Task Locking_again_with_the_same_lease_reuses_the_key_without_writing()
    {
        await using GatewayTestHost host = await GatewayTestHost.StartAsync();
        EtcdClient client = host.NewClient();
        long lease = (await client.Lease.LeaseGrantAsync(new LeaseGrantRequest { TTL = 30, ID = 0xabc })).ID;

        LockResponse first = await client.Lock.LockAsync(new LockRequest { Name = B("r"), Lease = lease });
        LockResponse again = await client.Lock.LockAsync(new LockRequest { Name = B("r"), Lease = lease });
        RangeResponse keys = await client.KV.RangeAsync(new RangeRequest { Key = B("r/"), RangeEnd = B("r0") });

        // The second attempt's transaction finds the key and only reads it (clientv3's Mutex), so nothing is written.
        Assert.Equal(first.Key, again.Key);
        Assert.Single(keys.Kvs);
        Assert.Equal(1, keys.Kvs[0].Version);
        Assert.Equal(first.Header.Revision, again.Header.Revision);
    }

    [Fact]
    public async Task Lease_zero_gets_a_server_granted_sixty_second_lease()
    {
        await using GatewayTestHost host = await GatewayTestHost.StartAsync();
        EtcdClient client = host.NewClient();

        LockResponse locked = await client.Lock.LockAsync(new LockRequest { Name = B("l2") });
        KeyValue kv = Assert.Single((await client.KV.RangeAsync(new RangeRequest { Key = locked.Key })).Kvs);
        LeaseTimeToLiveResponse ttl = await client.Lease.LeaseTimeToLiveAsync(new LeaseTimeToLiveRequest { ID = kv.Lease, Keys = true });

        Assert.NotEqual(0, kv.Lease);
        Assert.Equal("l2/" + kv.Lease.ToString("x"), S(locked.Key));
        Assert.Equal(60, ttl.GrantedTTL);
        Assert.Equal(locked.Key, Assert.Single(ttl.Keys));
    }

    [Fact]
    public async Task An_unknown_lease_fails_with_code_unknown_and_etcds_message()
    {
        await using GatewayTestHost host = await GatewayTestHost.StartAsync();

        var failure = await Assert.ThrowsAsync<RpcException>(() => host.NewClient().Lock.LockAsync(new LockRequest { Name = B("x"), Lease = 12345 }));

        Assert.Equal(GrpcStatusCode.Unknown, failure.StatusCode);
        Assert.Equal("etcdserver: requested lease not found", failure.Message);
    }

    [Fact]
    public async Task Unlock_of_a_missing_key_succeeds()
    {
        await using GatewayTestHost host = await GatewayTestHost.StartAsync();

        UnlockResponse unlocked = await host.NewClient().Lock.UnlockAsync(new UnlockRequest { Key = B("never/1") });

        Assert.Equal(1, unlocked.Header.Revision);
    }

    [Fact]
    public async Task A_waiter_that_gives_up_leaves_the_queue()
    {
        await using GatewayTestHost host = await GatewayTestHost.StartAsync();
        EtcdClient client = host.NewClient();
        long first = (await client.Lease.LeaseGrantAsync(new LeaseGrantRequest { TTL = 30, ID = 1 })).ID;
        long second = (await client.Lease.LeaseGrantAsync(new LeaseGrantRequest { TTL = 30, ID = 2 })).ID;
        await client.Lock.LockAsync(new LockRequest { Name = B("w"), Lease = first });

        await Assert.ThrowsAnyAsync<Exception>(() => client.Lock.LockAsync(new LockRequest { Name = B("w"), Lease = second }, new CallOptions { Timeout = TimeSpan.FromMilliseconds(300) }));
        RangeResponse remaining = default!;
        for (int i = 0; i < 100; i++)
        {
            remaining = await client.KV.RangeAsync(new RangeRequest { Key = B("w/"), RangeEnd = B("w0") });
            if (remaining.Kvs.Count == 1)
            {
                break;
            }

            await Task.Delay(20);
        }

        Assert.Equal("w/1", S(Assert.Single(remaining.Kvs).Key));
        Assert.Equal(0, host.Node.State.Watches.WatcherCount);
    }
}
