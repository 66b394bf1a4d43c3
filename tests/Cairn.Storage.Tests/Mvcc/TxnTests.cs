using Cairn.Protocol.Etcd;
using Cairn.Storage.Tests.Support;
using static Cairn.Storage.Tests.Support.Kv;
using CompareResult = Cairn.Protocol.Etcd.Compare.Types.CompareResult;
using CompareTarget = Cairn.Protocol.Etcd.Compare.Types.CompareTarget;

namespace Cairn.Storage.Tests.Mvcc;

/// <summary>Txn facts from reference §4.5 and §3.1.</summary>
public sealed class TxnTests : IDisposable
{
    private readonly StoreFixture _fixture = new();

    private Cairn.Storage.Mvcc.MvccStore Store => _fixture.Store;

    public void Dispose() => _fixture.Dispose();

    private static TxnRequest Txn(IEnumerable<Compare>? compares = null, IEnumerable<RequestOp>? success = null,
        IEnumerable<RequestOp>? failure = null)
    {
        var txn = new TxnRequest();
        txn.Compare.AddRange(compares ?? []);
        txn.Success.AddRange(success ?? []);
        txn.Failure.AddRange(failure ?? []);
        return txn;
    }

    private bool Succeeds(Compare compare) => Store.Txn(Txn([compare])).Succeeded;

    [Fact]
    public void An_empty_compare_list_is_true()
    {
        Assert.True(Store.Txn(Txn()).Succeeded);
    }

    [Fact]
    public void Missing_key_compares_version_create_mod_and_lease_against_zero()
    {
        Assert.True(Succeeds(new Compare { Key = B("m"), Target = CompareTarget.Version, Version = 0 }));
        Assert.True(Succeeds(new Compare { Key = B("m"), Target = CompareTarget.Create, CreateRevision = 0 }));
        Assert.True(Succeeds(new Compare { Key = B("m"), Target = CompareTarget.Mod, Result = CompareResult.Less, ModRevision = 1 }));
        Assert.True(Succeeds(new Compare { Key = B("m"), Target = CompareTarget.Lease, Lease = 0 }));
        Assert.False(Succeeds(new Compare { Key = B("m"), Target = CompareTarget.Version, Result = CompareResult.Greater }));
    }

    [Fact]
    public void Value_compare_on_a_missing_key_is_always_false()
    {
        Assert.False(Succeeds(new Compare { Key = B("m"), Target = CompareTarget.Value, Value = B("") }));
        Assert.False(Succeeds(new Compare { Key = B("m"), Target = CompareTarget.Value, Result = CompareResult.NotEqual, Value = B("x") }));
        Assert.False(Succeeds(new Compare { Key = B("m"), Target = CompareTarget.Value, Result = CompareResult.Less, Value = B("x") }));
    }

    [Fact]
    public void Value_compares_bytewise_and_an_unset_target_compares_with_zero_or_empty()
    {
        _fixture.Put("k", "b");
        Assert.True(Succeeds(new Compare { Key = B("k"), Target = CompareTarget.Value, Result = CompareResult.Greater, Value = B("a") }));
        Assert.True(Succeeds(new Compare { Key = B("k"), Target = CompareTarget.Value, Result = CompareResult.Less, Value = B("ba") }));
        Assert.True(Succeeds(new Compare { Key = B("k"), Target = CompareTarget.Value, Result = CompareResult.Greater }));
        // Target MOD with the union holding a version: the comparand is 0.
        Assert.True(Succeeds(new Compare { Key = B("k"), Target = CompareTarget.Mod, Result = CompareResult.Greater, Version = 100 }));
    }

    [Fact]
    public void Compare_with_range_end_must_hold_for_every_key_and_an_empty_range_acts_as_a_missing_key()
    {
        _fixture.Put("r/a", "1");
        _fixture.Put("r/b", "1");
        _fixture.Put("r/b", "2");
        var allVersionOne = new Compare { Key = B("r/"), RangeEnd = B("r0"), Target = CompareTarget.Version, Version = 1 };
        Assert.False(Succeeds(allVersionOne));
        var allPositive = new Compare
        {
            Key = B("r/"), RangeEnd = B("r0"), Target = CompareTarget.Version, Result = CompareResult.Greater, Version = 0,
        };
        Assert.True(Succeeds(allPositive));
        Assert.True(Succeeds(new Compare { Key = B("s/"), RangeEnd = B("s0"), Target = CompareTarget.Version, Version = 0 }));
        Assert.False(Succeeds(new Compare { Key = B("s/"), RangeEnd = B("s0"), Target = CompareTarget.Value, Value = B("") }));
    }

    [Fact]
    public void Ops_see_earlier_ops_and_the_whole_txn_gets_one_revision()
    {
        _fixture.Put("x", "old");
        _fixture.Put("z", "gone soon");
        TxnResponse response = Store.Txn(Txn(success: [OpPut("x", "new"), OpPut("y", "1"), OpGet("x"), OpDelete("z"), OpGet("z")]));
        Assert.True(response.Succeeded);
        Assert.Equal(4, response.Header.Revision);
        Assert.Equal(4, response.Responses[0].ResponsePut.Header.Revision);
        RangeResponse seen = response.Responses[2].ResponseRange;
        Assert.Equal("new", S(seen.Kvs.Single().Value));
        Assert.Equal(4, seen.Header.Revision);
        Assert.Equal(1, response.Responses[3].ResponseDeleteRange.Deleted);
        Assert.Empty(response.Responses[4].ResponseRange.Kvs);
        Assert.Equal(4, Store.Range(Get("y")).Kvs.Single().ModRevision);
        Assert.Equal(4, Store.Range(Get("x")).Kvs.Single().ModRevision);
        Assert.Equal(4, Store.CurrentRevision);
    }

    [Fact]
    public void A_txn_that_changes_nothing_keeps_the_revision()
    {
        _fixture.Put("a", "1");
        TxnResponse deleteNothing = Store.Txn(Txn(success: [OpDelete("missing")]));
        Assert.Equal(2, deleteNothing.Header.Revision);
        Assert.Equal(2, deleteNothing.Responses[0].ResponseDeleteRange.Header.Revision);
        TxnResponse readOnly = Store.Txn(Txn(success: [OpGet("a")]));
        Assert.Equal(2, readOnly.Header.Revision);
        Assert.Equal(2, Store.CurrentRevision);
    }

    [Fact]
    public void Nested_txn_compares_see_the_state_before_the_txn()
    {
        // Observed on etcd 3.4.23: put n1, then a nested txn comparing version(n1) == 1 takes its failure branch.
        var nested = Txn([VersionIs("n1", CompareResult.Equal, 1)], [OpGet("n1")], [OpGet("zz")]);
        TxnResponse response = Store.Txn(Txn(success: [OpPut("n1", "v"), OpTxn(nested)]));
        TxnResponse inner = response.Responses[1].ResponseTxn;
        Assert.False(inner.Succeeded);
        Assert.Empty(inner.Responses[0].ResponseRange.Kvs);
        Assert.Equal(new ResponseHeader(), inner.Header);
        Assert.Equal(2, inner.Responses[0].ResponseRange.Header.Revision);
    }

    [Fact]
    public void Nested_txn_ops_run_in_the_outer_revision()
    {
        var nested = Txn(success: [OpPut("b", "2")]);
        TxnResponse response = Store.Txn(Txn(success: [OpPut("a", "1"), OpTxn(nested)]));
        Assert.True(response.Responses[1].ResponseTxn.Succeeded);
        Assert.Equal(2, Store.Range(Get("b")).Kvs.Single().ModRevision);
        Assert.Equal(2, Store.CurrentRevision);
    }

    [Fact]
    public void Too_many_ops_is_counted_per_list_and_128_is_allowed()
    {
        RequestOp[] ops128 = Enumerable.Range(0, 128).Select(i => OpPut("k" + i, "v")).ToArray();
        Assert.True(Store.Txn(Txn(success: ops128)).Succeeded);
        RequestOp[] ops129 = Enumerable.Range(0, 129).Select(i => OpGet("k" + i)).ToArray();
        Assert.Same(EtcdError.TooManyOps, ErrorOf(() => Store.Txn(Txn(failure: ops129))));
        Compare[] compares129 = Enumerable.Range(0, 129).Select(i => VersionIs("k" + i, CompareResult.Equal, 1)).ToArray();
        Assert.Same(EtcdError.TooManyOps, ErrorOf(() => Store.Txn(Txn(compares129))));
        Assert.True(Store.Txn(Txn(compares129[..128], ops128[..64], ops128[..128].Select(_ => OpGet("a")))).Succeeded);
    }

    [Fact]
    public void Max_txn_ops_is_configurable()
    {
        using var strict = new StoreFixture(o => new Cairn.Storage.Mvcc.MvccOptions { ValueDirectory = o.ValueDirectory, MaxTxnOps = 2 });
        Assert.Same(EtcdError.TooManyOps, ErrorOf(() => strict.Store.Txn(Txn(success: [OpGet("a"), OpGet("b"), OpGet("c")]))));
    }

    [Fact]
    public void Duplicate_puts_and_puts_inside_a_delete_range_are_rejected()
    {
        Assert.Same(EtcdError.DuplicateKey, ErrorOf(() => Store.Txn(Txn(success: [OpPut("a", "1"), OpPut("a", "2")]))));
        Assert.Same(EtcdError.DuplicateKey, ErrorOf(() => Store.Txn(Txn(success: [OpDelete("a", "c"), OpPut("b", "1")]))));
        Assert.Same(EtcdError.DuplicateKey, ErrorOf(() => Store.Txn(Txn(success: [OpPut("b", "1"), OpDelete("b")]))));
        var nested = Txn(success: [OpPut("a", "1")]);
        Assert.Same(EtcdError.DuplicateKey, ErrorOf(() => Store.Txn(Txn(success: [OpPut("a", "1"), OpTxn(nested)]))));
        Assert.Same(EtcdError.DuplicateKey, ErrorOf(() => Store.Txn(Txn(success: [OpDelete("a"), OpTxn(nested)]))));
        var nestedDelete = Txn(failure: [OpDelete("a", "z")]);
        Assert.Same(EtcdError.DuplicateKey,
            ErrorOf(() => Store.Txn(Txn(success: [OpTxn(nestedDelete), OpTxn(Txn(success: [OpPut("m", "1")]))]))));
        Assert.Equal(1, Store.CurrentRevision);
    }

    [Fact]
    public void Allowed_overlaps_same_key_in_both_branches_two_deletes_and_a_from_key_delete()
    {
        Assert.True(Store.Txn(Txn(success: [OpPut("a", "1")], failure: [OpPut("a", "2")])).Succeeded);
        var nested = Txn(success: [OpPut("b", "1")], failure: [OpPut("b", "2")]);
        Assert.True(Store.Txn(Txn(success: [OpTxn(nested)])).Succeeded);
        Assert.True(Store.Txn(Txn(success: [OpDelete("a"), OpDelete("a"), OpDelete("a", "c")])).Succeeded);
        // etcd treats range_end "\0" as the raw interval [key, "\0"), which contains no key.
        Assert.True(Store.Txn(Txn(success: [OpDelete("a", "\0"), OpPut("q", "1")])).Succeeded);
    }

    [Fact]
    public void Empty_request_op_is_key_not_found_and_empty_keys_are_key_not_provided()
    {
        Assert.Same(EtcdError.KeyNotFound, ErrorOf(() => Store.Txn(Txn(success: [new RequestOp()]))));
        Assert.Same(EtcdError.EmptyKey, ErrorOf(() => Store.Txn(Txn([new Compare()]))));
        Assert.Same(EtcdError.EmptyKey, ErrorOf(() => Store.Txn(Txn(failure: [OpPut("", "v")]))));
        var nested = Txn(success: [new RequestOp { RequestDeleteRange = new DeleteRangeRequest() }]);
        Assert.Same(EtcdError.EmptyKey, ErrorOf(() => Store.Txn(Txn(success: [OpTxn(nested)]))));
        Assert.Same(EtcdError.ValueProvided,
            ErrorOf(() => Store.Txn(Txn(success: [new RequestOp { RequestPut = new PutRequest { Key = B("a"), Value = B("v"), IgnoreValue = true } }]))));
    }

    [Fact]
    public void Lease_and_ignore_checks_apply_only_to_the_chosen_branch_and_fail_atomically()
    {
        TxnResponse ok = Store.Txn(Txn(success: [OpPut("a", "1")], failure: [OpPut("b", "1", lease: 99)]));
        Assert.True(ok.Succeeded);
        Assert.Same(EtcdError.LeaseNotFound, ErrorOf(() => Store.Txn(Txn(success: [OpPut("c", "1"), OpPut("d", "1", lease: 99)]))));
        var ignoreMissing = new RequestOp { RequestPut = new PutRequest { Key = B("nokey"), IgnoreValue = true } };
        Assert.Same(EtcdError.KeyNotFound, ErrorOf(() => Store.Txn(Txn(success: [OpPut("e", "1"), ignoreMissing]))));
        Assert.Empty(Store.Range(Get("c")).Kvs);
        Assert.Equal(2, Store.CurrentRevision);
    }

    [Fact]
    public void Range_revisions_inside_a_txn_are_checked_before_anything_runs()
    {
        _fixture.Put("a", "1");
        _fixture.Put("a", "2");
        var future = new RequestOp { RequestRange = Get("a", revision: 4) };
        Assert.Same(EtcdError.FutureRevision, ErrorOf(() => Store.Txn(Txn(success: [OpPut("b", "1"), future]))));
        Store.Compact(new CompactionRequest { Revision = 3 }, out _);
        var compacted = new RequestOp { RequestRange = Get("a", revision: 2) };
        Assert.Same(EtcdError.Compacted, ErrorOf(() => Store.Txn(Txn(success: [OpPut("b", "1"), compacted]))));
        var historical = new RequestOp { RequestRange = Get("a", revision: 3) };
        TxnResponse response = Store.Txn(Txn(success: [OpPut("b", "1"), historical]));
        Assert.Equal("2", S(response.Responses[1].ResponseRange.Kvs.Single().Value));
        Assert.Equal(4, Store.CurrentRevision);
    }

    [Fact]
    public void Read_only_txn_from_a_reader_thread_matches_the_applied_one()
    {
        _fixture.Put("a", "1");
        TxnRequest txn = Txn([VersionIs("a", CompareResult.Equal, 1)], [OpGet("a")], [OpGet("b")]);
        TxnResponse concurrent = Store.ReadOnlyTxn(txn);
        TxnResponse applied = Store.Txn(txn);
        Assert.Equal(applied, concurrent);
        Assert.Throws<ArgumentException>(() => Store.ReadOnlyTxn(Txn(success: [OpPut("a", "2")])));
        Assert.False(Cairn.Storage.Mvcc.MvccStore.IsReadOnly(Txn(success: [OpTxn(Txn())])));
    }

    [Fact]
    public void Put_prev_kv_inside_a_txn_reports_the_previous_value()
    {
        _fixture.Put("a", "1");
        var op = new RequestOp { RequestPut = new PutRequest { Key = B("a"), Value = B("2"), PrevKv = true } };
        TxnResponse response = Store.Txn(Txn(success: [op]));
        Assert.Equal("1", S(response.Responses[0].ResponsePut.PrevKv.Value));
    }
}

/// <summary>The "from key" delete quirk: etcd lets a txn delete [key, \0) and put a key inside it (observed on 3.4.23).</summary>
public sealed class TxnFromKeyQuirkTests : IDisposable
{
    private readonly StoreFixture _fixture = new();

    private Cairn.Storage.Mvcc.MvccStore Store => _fixture.Store;

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void Put_then_from_key_delete_deletes_and_delete_then_put_recreates_in_one_revision()
    {
        _fixture.Put("q", "1");                 // 2
        _fixture.Put("r", "1");                 // 3
        var txn = new TxnRequest();
        txn.Success.Add(OpPut("r", "2"));
        txn.Success.Add(new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = B("a"), RangeEnd = B("\0"), PrevKv = true } });
        txn.Success.Add(OpPut("q", "2"));
        TxnResponse response = Store.Txn(txn);

        DeleteRangeResponse deleted = response.Responses[1].ResponseDeleteRange;
        Assert.Equal(2, deleted.Deleted);
        Assert.Equal((4L, 2L), (deleted.PrevKvs[1].ModRevision, deleted.PrevKvs[1].Version));
        Assert.Empty(Store.Range(Get("r")).Kvs);
        KeyValue q = Store.Range(Get("q")).Kvs.Single();
        Assert.Equal((4L, 4L, 1L), (q.CreateRevision, q.ModRevision, q.Version));
        Assert.Equal(4, Store.CurrentRevision);
    }

    [Fact]
    public void Watch_events_of_a_key_changed_twice_in_one_revision_carry_the_state_at_revision_minus_one()
    {
        var hub = new Cairn.Storage.Watch.WatchHub(Store, new Cairn.Storage.Watch.WatchOptions());
        _fixture.Put("q", "1");                 // 2
        _fixture.Put("r", "1");                 // 3
        var live = hub.Register(new WatchCreateRequest { Key = B("a"), RangeEnd = B("\0"), PrevKv = true }, null);
        var txn = new TxnRequest();
        txn.Success.Add(OpPut("r", "2"));
        txn.Success.Add(OpDelete("a", "\0"));
        txn.Success.Add(OpPut("q", "2"));
        Store.Txn(txn);

        var replay = hub.Register(new WatchCreateRequest { Key = B("a"), RangeEnd = B("\0"), PrevKv = true, StartRevision = 4 }, null);
        foreach (var watcher in new[] { live, replay })
        {
            var events = new List<Event>();
            while (watcher.TryTake(events, 100).Status == Cairn.Storage.Watch.WatchTakeStatus.Events)
            {
            }

            // etcd 3.4.23: PUT r@4 (prev r@3), DELETE q@4 (prev q@2), DELETE r@4 (prev r@3, not the put@4), PUT q@4 (create).
            Assert.Equal(["PUT r 3", "DELETE q 2", "DELETE r 3", "PUT q -"],
                events.Select(e => $"{e.Type.ToString().ToUpperInvariant()} {S(e.Kv.Key)} {(e.PrevKv is null ? "-" : e.PrevKv.ModRevision.ToString())}"));
        }
    }

    [Fact]
    public void An_ignore_put_after_a_from_key_delete_of_its_key_rejects_the_whole_txn()
    {
        // etcd panics mid-txn here (applyTxn: "unexpected error during txn"); Cairn refuses the txn unchanged.
        _fixture.Put("k", "1");
        var txn = new TxnRequest();
        txn.Success.Add(OpPut("a", "1"));
        txn.Success.Add(OpDelete("b", "\0"));
        txn.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = B("k"), IgnoreValue = true } });
        Assert.Same(EtcdError.KeyNotFound, ErrorOf(() => Store.Txn(txn)));
        Assert.Equal(2, Store.CurrentRevision);
        Assert.Empty(Store.Range(Get("a")).Kvs);

        var recreated = new TxnRequest();
        recreated.Success.Add(OpDelete("b", "\0"));
        recreated.Success.Add(OpPut("k", "2"));
        Assert.True(Store.Txn(recreated).Succeeded);
    }
}
