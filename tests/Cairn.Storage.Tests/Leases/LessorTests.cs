using Cairn.Protocol.Etcd;
using Cairn.Storage.Leases;
using Cairn.Storage.Tests.Support;
using static Cairn.Storage.Tests.Support.Kv;

namespace Cairn.Storage.Tests.Leases;

/// <summary>Lease table rules (reference §4.8) and the leader-local clocks.</summary>
public sealed class LessorTests
{
    private readonly ManualTime _time = new();
    private readonly Lessor _lessor;

    public LessorTests()
    {
        _lessor = new Lessor(new LeaseOptions { CheckpointIntervalMs = 60_000 }, _time);
    }

    private LeaseGrantResponse Grant(long id, long ttl) => _lessor.Grant(new LeaseGrantRequest { ID = id, TTL = ttl });

    [Fact]
    public void Grant_raises_small_ttls_to_the_minimum_and_accepts_negative_ids()
    {
        Assert.Equal(2, Grant(1, 1).TTL);
        Assert.Equal(2, Grant(2, 0).TTL);
        Assert.Equal(2, Grant(-5, -5).TTL);
        Assert.Equal(60, Grant(3, 60).TTL);
        Assert.Equal(3, Grant(3_000, 3).TTL);
    }

    [Fact]
    public void Grant_rejects_too_large_ttls_existing_ids_and_id_zero()
    {
        Assert.Equal(LeaseOptions.MaxTtlSeconds, Grant(1, LeaseOptions.MaxTtlSeconds).TTL);
        Assert.Same(EtcdError.LeaseTtlTooLarge, ErrorOf(() => Grant(2, LeaseOptions.MaxTtlSeconds + 1)));
        Assert.Same(EtcdError.LeaseExists, ErrorOf(() => Grant(1, 10)));
        Assert.Same(EtcdError.LeaseNotFound, ErrorOf(() => Grant(0, 10)));
        Assert.Equal(1, _lessor.Count);
    }

    [Fact]
    public void Time_to_live_of_an_unknown_lease_is_minus_one_not_an_error()
    {
        LeaseTimeToLiveResponse response = _lessor.TimeToLive(42, includeKeys: true);
        Assert.Equal((42L, -1L, 0L), (response.ID, response.TTL, response.GrantedTTL));
        Assert.Empty(response.Keys);
    }

    [Fact]
    public void Time_to_live_counts_down_in_whole_seconds_on_the_leader_and_lists_keys_sorted()
    {
        _lessor.Promote(0);
        Grant(7, 60);
        _lessor.Attach(7, "b"u8.ToArray());
        _lessor.Attach(7, "a"u8.ToArray());
        _time.Advance(TimeSpan.FromMilliseconds(1200));
        LeaseTimeToLiveResponse response = _lessor.TimeToLive(7, includeKeys: true);
        Assert.Equal(58, response.TTL);
        Assert.Equal(60, response.GrantedTTL);
        Assert.Equal(["a", "b"], response.Keys.Select(S));
        Assert.Empty(_lessor.TimeToLive(7, includeKeys: false).Keys);
        _lessor.Detach(7, "a"u8.ToArray());
        Assert.Equal(["b"], _lessor.TimeToLive(7, includeKeys: true).Keys.Select(S));
    }

    [Fact]
    public void Leases_lists_every_id()
    {
        Assert.Empty(_lessor.Leases().Leases);
        Grant(9, 10);
        Grant(4, 10);
        Assert.Equal([4L, 9L], _lessor.Leases().Leases.Select(l => l.ID));
    }

    [Fact]
    public void Only_the_primary_renews_and_expires_leases()
    {
        Grant(1, 10);
        Assert.Equal(LeaseRenewStatus.NotPrimary, _lessor.Renew(1).Status);
        _time.Advance(TimeSpan.FromSeconds(100));
        Assert.Empty(_lessor.FindExpired(10));

        _lessor.Promote(0);
        Assert.Equal(new LeaseRenewResult(LeaseRenewStatus.Renewed, 10), _lessor.Renew(1));
        Assert.Equal(LeaseRenewStatus.NotFound, _lessor.Renew(2).Status);
        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.Empty(_lessor.FindExpired(10));
        _lessor.Renew(1);
        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.Empty(_lessor.FindExpired(10));
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal([1L], _lessor.FindExpired(10));
        Assert.Equal(LeaseRenewStatus.NotFound, _lessor.Renew(1).Status);
    }

    [Fact]
    public void An_expired_lease_is_offered_again_until_it_is_revoked()
    {
        _lessor.Promote(0);
        Grant(1, 2);
        Grant(2, 2);
        _time.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal([1L], _lessor.FindExpired(1));
        Assert.Equal([2L], _lessor.FindExpired(10));
        Assert.Empty(_lessor.FindExpired(10));
        _lessor.Remove(2);
        _time.Advance(TimeSpan.FromMilliseconds(_lessor.Options.ExpiredRetryIntervalMs));
        Assert.Equal([1L], _lessor.FindExpired(10));
    }

    [Fact]
    public void Many_leases_expire_in_order_of_their_deadline()
    {
        _lessor.Promote(0);
        for (int i = 1; i <= 1000; i++)
        {
            Grant(i, 2 + (1000 - i));
        }

        _time.Advance(TimeSpan.FromSeconds(12));
        Assert.Equal(Enumerable.Range(990, 11).Reverse().Select(i => (long)i), _lessor.FindExpired(100));
    }

    [Fact]
    public void Long_leases_are_checkpointed_and_a_new_leader_resumes_from_the_remaining_ttl_aged_since_it_was_applied()
    {
        _lessor.Promote(0);
        Grant(1, 6000);
        _time.Advance(TimeSpan.FromSeconds(61));
        LeaseCheckpointRequest due = _lessor.FindDueCheckpoints();
        LeaseCheckpoint checkpoint = Assert.Single(due.Checkpoints);
        Assert.Equal((1L, 5939L), (checkpoint.ID, checkpoint.RemainingTTL));

        _lessor.ApplyCheckpoint(due);
        _lessor.Demote();
        Assert.Equal(5939, _lessor.TimeToLive(1, false).TTL);
        _time.Advance(TimeSpan.FromSeconds(100));
        _lessor.Promote(0);
        Assert.Equal(5839, _lessor.TimeToLive(1, false).TTL);

        Assert.Equal(LeaseRenewStatus.Renewed, _lessor.Renew(1).Status);
        Assert.Equal(6000, _lessor.TimeToLive(1, false).TTL);
        LeaseCheckpoint clear = Assert.Single(_lessor.FindDueCheckpoints().Checkpoints);
        Assert.Equal((1L, 0L), (clear.ID, clear.RemainingTTL));
    }

    [Fact]
    public void Short_leases_are_checkpointed_every_tenth_of_their_ttl_counted_from_their_last_keepalive()
    {
        _lessor.Promote(0);
        Grant(1, 30);
        Grant(2, 30);
        _time.Advance(TimeSpan.FromSeconds(2.9));
        Assert.Empty(_lessor.FindDueCheckpoints().Checkpoints);
        Assert.Equal(LeaseRenewStatus.Renewed, _lessor.Renew(2).Status);
        _time.Advance(TimeSpan.FromSeconds(0.2));
        LeaseCheckpoint first = Assert.Single(_lessor.FindDueCheckpoints().Checkpoints);
        Assert.Equal((1L, 27L), (first.ID, first.RemainingTTL));
        _time.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal([(1L, 24L), (2L, 27L)], _lessor.FindDueCheckpoints().Checkpoints.Select(c => (c.ID, c.RemainingTTL)).Order());
    }

    [Fact]
    public void Lease_ids_are_positive_increasing_and_carry_the_member()
    {
        var generator = new LeaseIdGenerator(0xABCD_1234, unixTimeMs: 1_700_000_000_000);
        long first = generator.Next();
        long second = generator.Next();
        Assert.True(first > 0 && second > first);
        Assert.Equal(0x1234 & 0x7FFF, (int)(first >> 48));
    }

    [Fact]
    public void Promote_extends_every_lease_by_the_election_grace()
    {
        Grant(1, 10);
        _lessor.Promote(extendMs: 3000);
        _time.Advance(TimeSpan.FromSeconds(12));
        Assert.Empty(_lessor.FindExpired(10));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal([1L], _lessor.FindExpired(10));
        _lessor.Demote();
        Assert.False(_lessor.IsPrimary);
        Assert.Empty(_lessor.FindExpired(10));
    }
}
