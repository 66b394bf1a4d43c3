using Cairn.Protocol.Etcd;
using Cairn.Storage.Mvcc;
using Cairn.Storage.Tests.Support;
using Cairn.Storage.Watch;
using static Cairn.Storage.Tests.Support.Kv;
using EventType = Cairn.Protocol.Etcd.Event.Types.EventType;
using FilterType = Cairn.Protocol.Etcd.WatchCreateRequest.Types.FilterType;

namespace Cairn.Storage.Tests.Watch;

/// <summary>Watch facts from reference §4.7: live events, catch-up, compaction, slow watchers, fan-out.</summary>
public sealed class WatchHubTests : IDisposable
{
    private readonly StoreFixture _fixture = new();

    public WatchHubTests()
    {
        Hub = new WatchHub(_fixture.Store, new WatchOptions { WatcherBufferEvents = 8, CatchUpBatchEvents = 5 });
    }

    private WatchHub Hub { get; }

    private MvccStore Store => _fixture.Store;

    public void Dispose() => _fixture.Dispose();

    private static WatchCreateRequest Watch(string key, string? rangeEnd = null, long start = 0, bool prevKv = false,
        params FilterType[] filters)
    {
        var request = new WatchCreateRequest { Key = B(key), StartRevision = start, PrevKv = prevKv };
        if (rangeEnd is not null)
        {
            request.RangeEnd = B(rangeEnd);
        }

        request.Filters.AddRange(filters);
        return request;
    }

    private static List<Event> Drain(Watcher watcher, out WatchTakeResult last)
    {
        var events = new List<Event>();
        do
        {
            last = watcher.TryTake(events, 100);
        }
        while (last.Status == WatchTakeStatus.Events);
        return events;
    }

    private static List<Event> Drain(Watcher watcher) => Drain(watcher, out _);

    private static string Describe(Event e) =>
        $"{(e.Type == EventType.Put ? "PUT" : "DEL")} {S(e.Kv.Key)}@{e.Kv.ModRevision}" + (e.Type == EventType.Put ? "=" + S(e.Kv.Value) : "");

    [Fact]
    public void Live_put_and_delete_events_carry_etcds_fields()
    {
        Watcher watcher = Hub.Register(Watch("k"), null);
        _fixture.Put("k", "v1");
        _fixture.Put("other", "x");
        Store.DeleteRange(Delete("k"));

        List<Event> events = Drain(watcher);
        Assert.Equal(["PUT k@2=v1", "DEL k@4"], events.Select(Describe));
        KeyValue put = events[0].Kv;
        Assert.Equal((2, 2, 1), (put.CreateRevision, put.ModRevision, put.Version));
        KeyValue deleted = events[1].Kv;
        Assert.Equal(new KeyValue { Key = B("k"), ModRevision = 4 }, deleted);
        Assert.All(events, e => Assert.Null(e.PrevKv));
    }

    [Fact]
    public void Prev_kv_is_given_except_for_puts_that_create_the_key()
    {
        Watcher watcher = Hub.Register(Watch("k", prevKv: true), null);
        _fixture.Put("k", "v1");
        _fixture.Put("k", "v2");
        Store.DeleteRange(Delete("k"));
        List<Event> events = Drain(watcher);
        Assert.Null(events[0].PrevKv);
        Assert.Equal("v1", S(events[1].PrevKv.Value));
        Assert.Equal("v2", S(events[2].PrevKv.Value));
        Assert.Equal(3, events[2].PrevKv.ModRevision);
    }

    [Fact]
    public void Filters_drop_puts_or_deletes()
    {
        Watcher noPut = Hub.Register(Watch("k", filters: FilterType.Noput), null);
        Watcher noDelete = Hub.Register(Watch("k", filters: FilterType.Nodelete), null);
        _fixture.Put("k", "v");
        Store.DeleteRange(Delete("k"));
        Assert.Equal(["DEL k@3"], Drain(noPut).Select(Describe));
        Assert.Equal(["PUT k@2=v"], Drain(noDelete).Select(Describe));
    }

    [Fact]
    public void Range_and_all_key_watchers_see_matching_keys_in_application_order()
    {
        Watcher prefix = Hub.Register(Watch("p/", "p0"), null);
        Watcher all = Hub.Register(Watch("", "\0"), null);
        var txn = new TxnRequest();
        txn.Success.Add(OpPut("p/b", "1"));
        txn.Success.Add(OpPut("q", "1"));
        txn.Success.Add(OpPut("p/a", "1"));
        Store.Txn(txn);
        Assert.Equal(["PUT p/b@2=1", "PUT p/a@2=1"], Drain(prefix).Select(Describe));
        Assert.Equal(["PUT p/b@2=1", "PUT q@2=1", "PUT p/a@2=1"], Drain(all).Select(Describe));
    }

    [Fact]
    public void A_watcher_from_the_past_replays_history_then_continues_live_without_gaps()
    {
        for (int i = 1; i <= 12; i++)
        {
            _fixture.Put("k", "v" + i);
        }

        int ready = 0;
        Watcher watcher = Hub.Register(Watch("k", start: 4), _ => Interlocked.Increment(ref ready));
        Assert.True(ready > 0);
        Assert.False(watcher.IsSynced);
        List<Event> replay = Drain(watcher, out WatchTakeResult last);
        Assert.Equal(Enumerable.Range(4, 10).Select(r => (long)r), replay.Select(e => e.Kv.ModRevision));
        Assert.Equal(WatchTakeStatus.Nothing, last.Status);
        Assert.True(watcher.IsSynced);
        _fixture.Put("k", "live");
        Assert.Equal(["PUT k@14=live"], Drain(watcher).Select(Describe));
    }

    [Fact]
    public void Catch_up_header_carries_the_current_revision()
    {
        _fixture.Put("k", "1");
        _fixture.Put("x", "1");
        Watcher watcher = Hub.Register(Watch("k", start: 1), null);
        var events = new List<Event>();
        WatchTakeResult result = watcher.TryTake(events, 100);
        Assert.Equal(WatchTakeStatus.Events, result.Status);
        Assert.Equal(3, result.HeaderRevision);
    }

    [Fact]
    public void A_future_start_revision_waits_and_skips_earlier_revisions()
    {
        Watcher watcher = Hub.Register(Watch("k", start: 4), null);
        _fixture.Put("k", "a");
        _fixture.Put("k", "b");
        _fixture.Put("k", "c");
        Assert.Equal(["PUT k@4=c"], Drain(watcher).Select(Describe));
    }

    [Fact]
    public void Start_below_the_compaction_revision_is_reported_compacted_and_closes_the_watcher()
    {
        for (int i = 0; i < 6; i++)
        {
            _fixture.Put("k", i.ToString());
        }

        Store.Compact(new CompactionRequest { Revision = 5 }, out _);
        Watcher watcher = Hub.Register(Watch("k", start: 4), null);
        List<Event> events = Drain(watcher, out WatchTakeResult result);
        Assert.Empty(events);
        Assert.Equal(WatchTakeStatus.Compacted, result.Status);
        Assert.Equal(5, result.CompactRevision);
        Assert.Equal(WatchTakeStatus.Canceled, watcher.TryTake(events, 10).Status);
        Assert.Equal(0, Hub.WatcherCount);
    }

    [Fact]
    public void Start_at_the_compaction_revision_replays_it_except_a_compacted_tombstone()
    {
        // Observed on etcd 3.4.23: after compacting at a deletion's revision, a watch from there misses the DELETE.
        _fixture.Put("c", "1");                 // 2
        Store.DeleteRange(Delete("c"));         // 3
        _fixture.Put("a", "1");                 // 4
        Store.Compact(new CompactionRequest { Revision = 3 }, out _);
        _fixture.Put("c", "2");                 // 5
        Assert.Equal(["PUT c@5=2"], Drain(Hub.Register(Watch("c", start: 3), null)).Select(Describe));
        Store.Compact(new CompactionRequest { Revision = 4 }, out _);
        Assert.Equal(["PUT a@4=1"], Drain(Hub.Register(Watch("a", start: 4), null)).Select(Describe));
    }

    [Fact]
    public void Negative_start_revision_on_a_fresh_store_is_compacted_like_etcd_3_4()
    {
        Watcher watcher = Hub.Register(Watch("k", start: -5), null);
        Drain(watcher, out WatchTakeResult result);
        Assert.Equal(WatchTakeStatus.Compacted, result.Status);
        Assert.Equal(-1, result.CompactRevision);
    }

    [Fact]
    public void A_slow_watcher_overflows_falls_back_to_history_and_still_gets_every_event_in_order()
    {
        int signals = 0;
        Watcher slow = Hub.Register(Watch("k"), _ => Interlocked.Increment(ref signals));
        Watcher other = Hub.Register(Watch("k"), null);
        for (int i = 1; i <= 30; i++)
        {
            _fixture.Put("k", "v" + i);
            if (i % 4 == 0)
            {
                Drain(other);
            }
        }

        Assert.False(slow.IsSynced);
        Assert.True(other.IsSynced);
        Assert.True(signals >= 2);
        List<Event> events = Drain(slow);
        Assert.Equal(Enumerable.Range(2, 30).Select(r => (long)r), events.Select(e => e.Kv.ModRevision));
        Assert.True(slow.IsSynced);
    }

    [Fact]
    public void A_slow_watcher_whose_history_is_compacted_meanwhile_gets_the_compacted_notification()
    {
        Watcher slow = Hub.Register(Watch("k"), null);
        for (int i = 1; i <= 20; i++)
        {
            _fixture.Put("k", "v" + i);
        }

        Store.Compact(new CompactionRequest { Revision = 15 }, out _);
        List<Event> events = Drain(slow, out WatchTakeResult result);
        Assert.Equal(Enumerable.Range(2, 8).Select(r => (long)r), events.Select(e => e.Kv.ModRevision));
        Assert.Equal(WatchTakeStatus.Compacted, result.Status);
        Assert.Equal(15, result.CompactRevision);
    }

    [Fact]
    public void Cancel_stops_delivery()
    {
        Watcher watcher = Hub.Register(Watch("k"), null);
        _fixture.Put("k", "1");
        watcher.Cancel();
        _fixture.Put("k", "2");
        Assert.Equal(WatchTakeStatus.Canceled, watcher.TryTake([], 10).Status);
        Assert.Equal(0, Hub.WatcherCount);
        watcher.Cancel();
    }

    [Fact]
    public void Exact_key_fan_out_only_touches_the_matching_watchers()
    {
        Watcher[] watchers = Enumerable.Range(0, 2000).Select(i => Hub.Register(Watch("key" + i), null)).ToArray();
        Watcher range = Hub.Register(Watch("key1", "key2"), null);
        _fixture.Put("key1234", "v");
        for (int i = 0; i < watchers.Length; i++)
        {
            Assert.Equal(i == 1234 ? 1 : 0, Drain(watchers[i]).Count);
        }

        Assert.Single(Drain(range));
        Assert.Equal(2001, Hub.WatcherCount);
    }

    [Fact]
    public void Ready_callback_fires_when_a_watcher_gets_something_to_take()
    {
        var ready = new List<long>();
        Watcher watcher = Hub.Register(Watch("k"), w => ready.Add(w.Id));
        Assert.Empty(ready);
        _fixture.Put("k", "1");
        _fixture.Put("k", "2");
        Assert.Equal([watcher.Id], ready);
        Drain(watcher);
        _fixture.Put("k", "3");
        Assert.Equal([watcher.Id, watcher.Id], ready);
    }

    [Fact]
    public void An_empty_range_is_refused_like_etcd()
    {
        Assert.Same(WatchHub.EmptyRange, ErrorOf(() => Hub.Register(Watch("b", "a"), null)));
        Assert.Same(WatchHub.EmptyRange, ErrorOf(() => Hub.Register(Watch("b", "b"), null)));
        Assert.NotNull(Hub.Register(Watch("b", "\0"), null));
        Assert.Equal(1, Hub.WatcherCount);
    }

    [Fact]
    public void Catch_up_applies_filters_and_prev_kv_from_history()
    {
        _fixture.Put("k", "v1");                // 2
        _fixture.Put("k", "v2");                // 3
        Store.DeleteRange(Delete("k"));         // 4
        _fixture.Put("k", "v3");                // 5
        List<Event> deletes = Drain(Hub.Register(Watch("k", start: 2, prevKv: true, filters: FilterType.Noput), null));
        Assert.Equal(["DEL k@4"], deletes.Select(Describe));
        Assert.Equal("v2", S(deletes[0].PrevKv.Value));
        List<Event> puts = Drain(Hub.Register(Watch("k", start: 2, prevKv: true, filters: FilterType.Nodelete), null));
        Assert.Equal(["PUT k@2=v1", "PUT k@3=v2", "PUT k@5=v3"], puts.Select(Describe));
        Assert.Equal([null, "v1", null], puts.Select(e => e.PrevKv is null ? null : S(e.PrevKv.Value)));
    }
}
