using Cairn.Protocol.Etcd;
using Cairn.Storage.Tests.Support;
using static Cairn.Storage.Tests.Support.Kv;

namespace Cairn.Storage.Tests.Mvcc;

/// <summary>Revisions, Put and DeleteRange facts from reference §4.1, §4.3, §4.4.</summary>
public sealed class PutRangeDeleteTests : IDisposable
{
    private readonly StoreFixture _fixture = new();

    private Cairn.Storage.Mvcc.MvccStore Store => _fixture.Store;

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void Fresh_store_is_at_revision_1_and_a_missing_key_is_not_an_error()
    {
        RangeResponse response = Store.Range(Get("missing"));
        Assert.Equal(1, response.Header.Revision);
        Assert.Equal(0, response.Count);
        Assert.Empty(response.Kvs);
        Assert.Equal(-1, Store.CompactRevision);
    }

    [Fact]
    public void Each_put_bumps_the_revision_by_one_even_with_an_identical_value()
    {
        Assert.Equal(2, _fixture.Put("a", "1"));
        Assert.Equal(3, _fixture.Put("a", "1"));
        Assert.Equal(4, _fixture.Put("b", "1"));
        Assert.Equal(4, Store.CurrentRevision);
    }

    [Fact]
    public void Version_counts_puts_and_restarts_after_delete_with_a_new_create_revision()
    {
        _fixture.Put("k", "1");
        _fixture.Put("k", "2");
        Store.DeleteRange(Delete("k"));
        long recreated = _fixture.Put("k", "3");

        KeyValue kv = Store.Range(Get("k")).Kvs.Single();
        Assert.Equal(recreated, kv.CreateRevision);
        Assert.Equal(recreated, kv.ModRevision);
        Assert.Equal(1, kv.Version);
        Assert.Equal("3", S(kv.Value));
    }

    [Fact]
    public void Put_prev_kv_is_absent_for_a_new_key_and_present_for_an_existing_one()
    {
        PutResponse first = Store.Put(new PutRequest { Key = B("k"), Value = B("v1"), PrevKv = true });
        Assert.Null(first.PrevKv);
        PutResponse second = Store.Put(new PutRequest { Key = B("k"), Value = B("v2"), PrevKv = true });
        Assert.Equal("v1", S(second.PrevKv.Value));
        Assert.Equal(first.Header.Revision, second.PrevKv.ModRevision);
    }

    [Fact]
    public void Ignore_value_keeps_the_value_and_fails_on_a_missing_key_or_a_given_value()
    {
        _fixture.Put("k", "kept");
        Store.Put(new PutRequest { Key = B("k"), IgnoreValue = true });
        KeyValue kv = Store.Range(Get("k")).Kvs.Single();
        Assert.Equal("kept", S(kv.Value));
        Assert.Equal(2, kv.Version);

        Assert.Same(EtcdError.KeyNotFound, ErrorOf(() => Store.Put(new PutRequest { Key = B("nokey"), IgnoreValue = true })));
        Assert.Same(EtcdError.ValueProvided,
            ErrorOf(() => Store.Put(new PutRequest { Key = B("k"), Value = B("x"), IgnoreValue = true })));
        Assert.Equal(3, Store.CurrentRevision);
    }

    [Fact]
    public void Ignore_lease_keeps_the_lease_and_fails_on_a_missing_key_or_a_given_lease()
    {
        var leases = new FakeLeases();
        leases.Granted.Add(7);
        Store.SetLeaseRegistry(leases);
        _fixture.Put("k", "v", lease: 7);
        Store.Put(new PutRequest { Key = B("k"), Value = B("w"), IgnoreLease = true });
        Assert.Equal(7, Store.Range(Get("k")).Kvs.Single().Lease);

        Assert.Same(EtcdError.KeyNotFound, ErrorOf(() => Store.Put(new PutRequest { Key = B("none"), IgnoreLease = true })));
        Assert.Same(EtcdError.LeaseProvided,
            ErrorOf(() => Store.Put(new PutRequest { Key = B("k"), Lease = 7, IgnoreLease = true })));
    }

    [Fact]
    public void Put_with_an_unknown_lease_fails_and_changes_nothing()
    {
        Assert.Same(EtcdError.LeaseNotFound, ErrorOf(() => Store.Put(Put("k", "v", lease: 42))));
        Assert.Equal(1, Store.CurrentRevision);
        Assert.Empty(Store.Range(Get("k")).Kvs);
    }

    [Fact]
    public void A_plain_put_detaches_the_previous_lease_and_delete_detaches_too()
    {
        var leases = new FakeLeases();
        leases.Granted.UnionWith([1, 2]);
        Store.SetLeaseRegistry(leases);
        _fixture.Put("k", "v", lease: 1);
        _fixture.Put("k", "v", lease: 2);
        _fixture.Put("k", "v");
        _fixture.Put("k", "v", lease: 1);
        Store.DeleteRange(Delete("k"));
        Assert.Equal(["attach 1 k", "detach 1 k", "attach 2 k", "detach 2 k", "attach 1 k", "detach 1 k"], leases.Log);
    }

    [Fact]
    public void Empty_key_is_rejected_by_range_put_and_delete()
    {
        Assert.Same(EtcdError.EmptyKey, ErrorOf(() => Store.Range(new RangeRequest())));
        Assert.Same(EtcdError.EmptyKey, ErrorOf(() => Store.Put(new PutRequest { Value = B("v") })));
        Assert.Same(EtcdError.EmptyKey, ErrorOf(() => Store.DeleteRange(new DeleteRangeRequest())));
    }

    [Fact]
    public void Empty_values_are_allowed()
    {
        _fixture.Put("k", "");
        KeyValue kv = Store.Range(Get("k")).Kvs.Single();
        Assert.True(kv.Value.IsEmpty);
        Assert.Equal(1, kv.Version);
    }

    [Fact]
    public void Delete_reports_the_count_and_prev_kvs_in_key_order_in_one_revision()
    {
        _fixture.Put("p/b", "2");
        _fixture.Put("p/a", "1");
        _fixture.Put("p/c", "3");
        _fixture.Put("q", "x");
        DeleteRangeResponse response = Store.DeleteRange(new DeleteRangeRequest
        {
            Key = B("p/"), RangeEnd = B("p0"), PrevKv = true,
        });
        Assert.Equal(3, response.Deleted);
        Assert.Equal(["p/a", "p/b", "p/c"], response.PrevKvs.Select(kv => S(kv.Key)));
        Assert.Equal(6, response.Header.Revision);
        Assert.Equal(6, Store.CurrentRevision);
        Assert.Equal(["q"], Keys(Store.Range(Get("\0", "\0"))));
    }

    [Fact]
    public void Delete_of_nothing_does_not_bump_the_revision()
    {
        _fixture.Put("a", "1");
        DeleteRangeResponse response = Store.DeleteRange(Delete("missing"));
        Assert.Equal(0, response.Deleted);
        Assert.Equal(2, response.Header.Revision);
        Assert.Equal(2, Store.CurrentRevision);
        Store.DeleteRange(Delete("a"));
        Assert.Equal(0, Store.DeleteRange(Delete("a")).Deleted);
        Assert.Equal(3, Store.CurrentRevision);
    }

    [Fact]
    public void Delete_with_range_end_zero_deletes_every_key_from_the_start_key()
    {
        foreach (string key in new[] { "a", "b", "c", "d" })
        {
            _fixture.Put(key, "v");
        }

        Assert.Equal(3, Store.DeleteRange(Delete("b", "\0")).Deleted);
        Assert.Equal(["a"], Keys(Store.Range(Get("\0", "\0"))));
    }

    [Fact]
    public void Values_larger_than_the_write_buffer_and_the_segment_round_trip()
    {
        using var small = new StoreFixture(o => new Cairn.Storage.Mvcc.MvccOptions
        {
            ValueDirectory = o.ValueDirectory, ValueSegmentBytes = 8192, ValueWriteBufferBytes = 4096,
        });
        var random = new Random(7);
        var expected = new Dictionary<string, byte[]>();
        for (int i = 0; i < 200; i++)
        {
            byte[] value = new byte[random.Next(0, i % 10 == 0 ? 20_000 : 3000)];
            random.NextBytes(value);
            string key = "k" + (i % 37);
            expected[key] = value;
            small.Store.Put(new PutRequest { Key = B(key), Value = Google.Protobuf.ByteString.CopyFrom(value) });
        }

        foreach ((string key, byte[] value) in expected)
        {
            Assert.Equal(value, small.Store.Range(Get(key)).Kvs.Single().Value.ToByteArray());
        }

        Assert.True(Directory.GetFiles(small.ValueDirectory, "*.vlog").Length > 1);
    }

    [Fact]
    public void Opening_a_store_deletes_stale_value_files()
    {
        string directory = _fixture.ValueDirectory;
        File.WriteAllText(Path.Combine(directory, "values-9999999999.vlog"), "stale");
        using var again = new Cairn.Storage.Mvcc.MvccStore(new Cairn.Storage.Mvcc.MvccOptions { ValueDirectory = directory });
        Assert.False(File.Exists(Path.Combine(directory, "values-9999999999.vlog")));
    }
}
