using Cairn.Protocol.Etcd;
using Cairn.Protocol.Internal;
using Cairn.Storage.StateMachine;
using Cairn.Storage.Tests.Support;
using Cairn.Storage.Watch;
using Google.Protobuf;
using static Cairn.Storage.Tests.Support.Kv;
using AlarmAction = Cairn.Protocol.Etcd.AlarmRequest.Types.AlarmAction;

namespace Cairn.Storage.Tests.StateMachine;

/// <summary>Applying entries: ordering, headers, alarm gates, lease revocation, membership.</summary>
public sealed class KvStateMachineTests : IDisposable
{
    private readonly MachineFixture _fixture = new();

    private KvStateMachine Machine => _fixture.Machine;

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void Entries_apply_in_order_replays_are_ignored_and_gaps_fail_stop()
    {
        Assert.Equal(ApplyOutcome.Noop, Machine.Apply(1, 1, ReadOnlySpan<byte>.Empty).Outcome);
        Assert.Equal(ApplyOutcome.Applied, Machine.Apply(2, 1, Requests.Put("a", "1").ToByteArray()).Outcome);
        Assert.Equal(ApplyOutcome.AlreadyApplied, Machine.Apply(2, 1, Requests.Put("a", "2").ToByteArray()).Outcome);
        Assert.Equal("1", S(Machine.Store.Range(Get("a")).Kvs.Single().Value));
        Assert.Throws<InvariantViolationException>(() => Machine.Apply(4, 1, ReadOnlySpan<byte>.Empty));
        Assert.Equal(2UL, Machine.AppliedIndex);
    }

    [Fact]
    public void Malformed_entry_data_is_an_error_result_and_still_counts_as_applied()
    {
        ApplyResult result = Machine.Apply(1, 3, new byte[] { 0xFF, 0xFF, 0xFF });
        Assert.Same(KvStateMachine.MalformedRequest, result.Error);
        Assert.Equal((1UL, 3UL), (Machine.AppliedIndex, Machine.AppliedTerm));
    }

    [Fact]
    public void Responses_carry_the_request_id_and_a_filled_header()
    {
        _fixture.Apply(Requests.Bootstrap(77, 0xAA, "http://127.0.0.1:2380"));
        _fixture.Term = 5;
        var request = Requests.Put("a", "1");
        request.Id = 12345;
        ApplyResult result = _fixture.Apply(request);
        Assert.Equal(12345UL, result.RequestId);
        var header = Assert.IsType<PutResponse>(result.Response).Header;
        Assert.Equal(new ResponseHeader { ClusterId = 77, MemberId = 0xAA, Revision = 2, RaftTerm = 5 }, header);
    }

    [Fact]
    public void Nospace_blocks_puts_txns_with_puts_and_lease_grants_but_not_deletes_or_reads()
    {
        _fixture.Ok<PutResponse>(Requests.Put("a", "1"));
        _fixture.Ok<AlarmResponse>(Requests.Alarm(AlarmAction.Activate, AlarmType.Nospace));
        Assert.Same(EtcdError.NoSpace, _fixture.Fails(Requests.Put("b", "1")));
        var txnWithPut = new TxnRequest();
        txnWithPut.Failure.Add(OpPut("b", "1"));
        Assert.Same(EtcdError.NoSpace, _fixture.Fails(Requests.Txn(txnWithPut)));
        Assert.Same(EtcdError.NoSpace, _fixture.Fails(Requests.Grant(1, 10)));
        var deleteOnly = new TxnRequest();
        deleteOnly.Success.Add(OpDelete("zz"));
        _fixture.Ok<TxnResponse>(Requests.Txn(deleteOnly));
        Assert.Equal(1, _fixture.Ok<DeleteRangeResponse>(Requests.Delete("a")).Deleted);
        Assert.Empty(Machine.Store.Range(Get("a")).Kvs);

        _fixture.Ok<AlarmResponse>(Requests.Alarm(AlarmAction.Deactivate, AlarmType.Nospace));
        _fixture.Ok<PutResponse>(Requests.Put("b", "1"));
    }

    [Fact]
    public void Corrupt_blocks_every_kv_change_and_lease_change()
    {
        _fixture.Ok<PutResponse>(Requests.Put("a", "1"));
        _fixture.Ok<AlarmResponse>(Requests.Alarm(AlarmAction.Activate, AlarmType.Corrupt));
        Assert.Same(EtcdError.Corrupt, _fixture.Fails(Requests.Put("b", "1")));
        Assert.Same(EtcdError.Corrupt, _fixture.Fails(Requests.Delete("a")));
        Assert.Same(EtcdError.Corrupt, _fixture.Fails(Requests.Compact(1)));
        Assert.Same(EtcdError.Corrupt, _fixture.Fails(Requests.Grant(1, 10)));
        Assert.Single(_fixture.Ok<AlarmResponse>(Requests.Alarm(AlarmAction.Get, AlarmType.None)).Alarms);
    }

    [Fact]
    public void Revoke_deletes_attached_keys_in_one_revision_with_delete_events_in_key_order()
    {
        LeaseGrantResponse granted = _fixture.Ok<LeaseGrantResponse>(Requests.Grant(5, 30));
        Assert.Equal((5L, 30L, 1L), (granted.ID, granted.TTL, granted.Header.Revision));
        _fixture.Ok<PutResponse>(Requests.Put("k2", "v", lease: 5));
        _fixture.Ok<PutResponse>(Requests.Put("k1", "v", lease: 5));
        _fixture.Ok<PutResponse>(Requests.Put("other", "v"));
        Watcher watcher = Machine.Watches.Register(new WatchCreateRequest { Key = B("\0"), RangeEnd = B("\0") }, null);

        LeaseRevokeResponse revoked = _fixture.Ok<LeaseRevokeResponse>(Requests.Revoke(5));
        Assert.Equal(5, revoked.Header.Revision);
        var events = new List<Event>();
        watcher.TryTake(events, 100);
        Assert.Equal(["k1", "k2"], events.Select(e => S(e.Kv.Key)));
        Assert.All(events, e => Assert.Equal((Event.Types.EventType.Delete, 5L), (e.Type, e.Kv.ModRevision)));
        Assert.Equal(["other"], Keys(Machine.Store.Range(Get("\0", "\0"))));
        Assert.Equal(-1, Machine.Leases.TimeToLive(5, false).TTL);
        Assert.Same(EtcdError.LeaseNotFound, _fixture.Fails(Requests.Revoke(5)));
    }

    [Fact]
    public void Revoking_a_lease_without_keys_and_granting_do_not_bump_the_revision()
    {
        _fixture.Ok<LeaseGrantResponse>(Requests.Grant(5, 30));
        _fixture.Ok<LeaseRevokeResponse>(Requests.Revoke(5));
        Assert.Equal(1, Machine.Store.CurrentRevision);
    }

    [Fact]
    public void Keys_follow_their_lease_through_puts_and_deletes()
    {
        _fixture.Ok<LeaseGrantResponse>(Requests.Grant(1, 30));
        _fixture.Ok<LeaseGrantResponse>(Requests.Grant(2, 30));
        _fixture.Ok<PutResponse>(Requests.Put("a", "v", lease: 1));
        _fixture.Ok<PutResponse>(Requests.Put("b", "v", lease: 1));
        _fixture.Ok<PutResponse>(Requests.Put("b", "v", lease: 2));
        _fixture.Ok<DeleteRangeResponse>(Requests.Delete("a"));
        Assert.Empty(Machine.Leases.TimeToLive(1, includeKeys: true).Keys);
        Assert.Equal(["b"], Machine.Leases.TimeToLive(2, includeKeys: true).Keys.Select(S));
        Assert.Same(EtcdError.LeaseNotFound, _fixture.Fails(Requests.Put("c", "v", lease: 3)));
    }

    [Fact]
    public void Checkpoints_and_compaction_go_through_apply()
    {
        _fixture.Ok<LeaseGrantResponse>(Requests.Grant(1, 600));
        var checkpoint = new LeaseCheckpointRequest();
        checkpoint.Checkpoints.Add(new LeaseCheckpoint { ID = 1, RemainingTTL = 120 });
        checkpoint.Checkpoints.Add(new LeaseCheckpoint { ID = 99, RemainingTTL = 5 });
        _fixture.Ok<LeaseCheckpointResponse>(new InternalRequest { LeaseCheckpoint = checkpoint });
        Assert.Equal(120, Machine.Leases.TimeToLive(1, false).TTL);

        _fixture.Ok<PutResponse>(Requests.Put("a", "1"));
        _fixture.Ok<PutResponse>(Requests.Put("a", "2"));
        ApplyResult compacted = _fixture.Apply(Requests.Compact(3));
        Assert.NotNull(compacted.PhysicalCompaction);
        while (Machine.RunMaintenance())
        {
        }

        Assert.True(compacted.PhysicalCompaction!.IsCompletedSuccessfully);
        Assert.Equal(1, Machine.Store.RecordCount);
        Assert.Same(EtcdError.Compacted, _fixture.Fails(Requests.Compact(2)));
    }

    [Fact]
    public void Membership_changes_apply_with_revision_zero_headers()
    {
        _fixture.Apply(Requests.Bootstrap(77, 0xAA, "http://127.0.0.1:2380"));
        var member = new Member { ID = 0xBB };
        member.PeerURLs.Add("http://127.0.0.2:2380");
        MemberAddResponse added = _fixture.Ok<MemberAddResponse>(new InternalRequest { MemberAdd = new MemberAddCommand { Member = member } });
        Assert.Equal(2, added.Members.Count);
        Assert.Equal(0, added.Header.Revision);
        Assert.Equal(77UL, added.Header.ClusterId);
        Assert.Same(EtcdError.MemberNotFound, _fixture.Fails(new InternalRequest { MemberRemove = new MemberRemoveCommand { Id = 0xCC } }));
        _fixture.Apply(new InternalRequest { MemberPublish = new MemberPublishCommand { Id = 0xBB, Name = "n2" } });
        Assert.Equal("n2", Machine.Cluster.List().Members.Single(m => m.ID == 0xBB).Name);
    }
}
