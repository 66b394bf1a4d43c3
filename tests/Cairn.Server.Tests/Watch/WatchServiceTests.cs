using Cairn.Client;
using Cairn.Protocol.Etcd;
using Cairn.Server.Tests.Support;
using Google.Protobuf;
using static Cairn.Server.Tests.Support.Bytes;

namespace Cairn.Server.Tests.Watch;

/// <summary>The Watch service over real gRPC, against etcd's observed behaviour (reference §4.7).</summary>
public class WatchServiceTests
{
    private static async Task<WatchResponse> NextAsync(WatchStream stream, double seconds = 10)
    {
        WatchResponse? response = await stream.ReadAsync(Within(seconds));
        Assert.NotNull(response);
        return response!;
    }

    [Fact]
    public async Task Created_response_carries_the_current_revision_and_precedes_events()
    {
        await using GatewayTestHost host = await GatewayTestHost.StartAsync();
        EtcdClient client = host.NewClient();
        await client.KV.PutAsync(new PutRequest { Key = B("a"), Value = B("0") });
        await using WatchStream stream = await client.Watch.OpenAsync();

        await stream.CreateAsync(new WatchCreateRequest { Key = B("a") });
        WatchResponse created = await NextAsync(stream);
        await client.KV.PutAsync(new PutRequest { Key = B("a"), Value = B("1") });
        WatchResponse events = await NextAsync(stream);

        Assert.True(created.Created);
        Assert.Equal(0, created.WatchId);
        Assert.Empty(created.Events);
        Assert.Equal(2, created.Header.Revision);
        Assert.Equal(InProcessNode.TestClusterId, created.Header.ClusterId);
        Assert.Equal(InProcessNode.TestMemberId, created.Header.MemberId);
        Assert.Equal(InProcessNode.TestTerm, created.Header.RaftTerm);
        Assert.Equal(3, events.Header.Revision);
        Event put = Assert.Single(events.Events);
        Assert.Equal(Event.Types.EventType.Put, put.Type);
        Assert.Equal("1", S(put.Kv.Value));
        Assert.Equal(2, put.Kv.CreateRevision);
        Assert.Equal(3, put.Kv.ModRevision);
        Assert.Equal(2, put.Kv.Version);
    }

    [Fact]
    public async Task Watch_ids_count_from_zero_skip_chosen_ones_and_reject_duplicates()
    {
        await using GatewayTestHost host = await GatewayTestHost.StartAsync();
        await using WatchStream stream = await host.NewClient().Watch.OpenAsync();

        await stream.CreateAsync(new WatchCreateRequest { Key = B("k") });
        await stream.CreateAsync(new WatchCreateRequest { Key = B("k") });
        await stream.CreateAsync(new WatchCreateRequest { Key = B("k"), WatchId = 2 });
        await stream.CreateAsync(new WatchCreateRequest { Key = B("k") });
        await stream.CreateAsync(new WatchCreateRequest { Key = B("k"), WatchId = 1 });
        var ids = new List<long>();
        for (int i = 0; i < 4; i++)
        {
            WatchResponse created = await NextAsync(stream);
            Assert.True(created.Created);
            Assert.False(created.Canceled);
            ids.Add(created.WatchId);
        }

        WatchResponse duplicate = await NextAsync(stream);

        Assert.Equal(new long[] { 0, 1, 2, 3 }, ids);
        Assert.True(duplicate.Created);
        Assert.True(duplicate.Canceled);
        Assert.Equal(-1, duplicate.WatchId);
        Assert.Equal("mvcc: duplicate watch ID provided on the WatchStream", duplicate.CancelReason);
        Assert.Equal(1, duplicate.Header.Revision);
    }

    [Fact]
    public async Task An_empty_range_is_refused_with_etcds_reason_and_uses_no_id()
    {
        await using GatewayTestHost host = await GatewayTestHost.StartAsync();
        await using WatchStream stream = await host.NewClient().Watch.OpenAsync();

        await stream.CreateAsync(new WatchCreateRequest { Key = B("b"), RangeEnd = B("a") });
        await stream.CreateAsync(new WatchCreateRequest { Key = B("b") });
        WatchResponse refused = await NextAsync(stream);
        WatchResponse next = await NextAsync(stream);

        Assert.Equal(-1, refused.WatchId);
        Assert.True(refused.Created && refused.Canceled);
        Assert.Equal("mvcc: watcher range is empty", refused.CancelReason);
        Assert.Equal(0, next.WatchId);
        Assert.False(next.Canceled);
    }

    [Fact]
    public async Task A_start_revision_in_the_past_replays_history_in_one_response()
    {
        await using GatewayTestHost host = await GatewayTestHost.StartAsync();
        EtcdClient client = host.NewClient();
        for (int i = 0; i < 5; i++)
        {
            await client.KV.PutAsync(new PutRequest { Key = B("h/" + i), Value = B("v" + i) });
        }

        await client.KV.DeleteRangeAsync(new DeleteRangeRequest { Key = B("h/0") });
        await using WatchStream stream = await client.Watch.OpenAsync();

        await stream.CreateAsync(new WatchCreateRequest { Key = B("h/"), RangeEnd = B("h0"), StartRevision = 3, PrevKv = true });
        WatchResponse created = await NextAsync(stream);
        WatchResponse replay = await NextAsync(stream);

        Assert.Equal(7, created.Header.Revision);
        Assert.Equal(new long[] { 3, 4, 5, 6, 7 }, replay.Events.Select(e => e.Kv.ModRevision));
        Assert.Equal(7, replay.Header.Revision);
        Event delete = replay.Events[^1];
        Assert.Equal(Event.Types.EventType.Delete, delete.Type);
        Assert.Equal("h/0", S(delete.Kv.Key));
        Assert.Equal(0, delete.Kv.CreateRevision);
        Assert.Equal("v0", S(delete.PrevKv.Value));
        Assert.Null(replay.Events[0].PrevKv);
    }

    [Fact]
    public async Task A_compacted_start_revision_gives_created_then_a_cancel_with_the_compact_revision_and_no_header_revision()
    {
        await using GatewayTestHost host = await GatewayTestHost.StartAsync();
        EtcdClient client = host.NewClient();
        for (int i = 0; i < 4; i++)
        {
            await client.KV.PutAsync(new PutRequest { Key = B("c"), Value = B("v" + i) });
        }

        await client.KV.CompactAsync(new CompactionRequest { Revision = 4 });
        await using WatchStream stream = await client.Watch.OpenAsync();

        await stream.CreateAsync(new WatchCreateRequest { Key = B("c"), StartRevision = 2, WatchId = 9 });
        WatchResponse created = await NextAsync(stream);
        WatchResponse canceled = await NextAsync(stream);

        Assert.True(created.Created);
        Assert.Equal(5, created.Header.Revision);
        Assert.Equal(9, canceled.WatchId);
        Assert.True(canceled.Canceled);
        Assert.False(canceled.Created);
        Assert.Equal(4, canceled.CompactRevision);
        Assert.Equal(0, canceled.Header.Revision);
        Assert.Equal(InProcessNode.TestMemberId, canceled.Header.MemberId);
        Assert.Empty(canceled.Events);
    }

    [Fact]
    public async Task Filters_drop_puts_or_deletes_and_prev_kv_is_attached()
    {
        await using GatewayTestHost host = await GatewayTestHost.StartAsync();
        EtcdClient client = host.NewClient();
        await using WatchStream stream = await client.Watch.OpenAsync();
        var noPut = new WatchCreateRequest { Key = B("f"), PrevKv = true };
        noPut.Filters.Add(WatchCreateRequest.Types.FilterType.Noput);
        var noDelete = new WatchCreateRequest { Key = B("f"), PrevKv = true };
        noDelete.Filters.Add(WatchCreateRequest.Types.FilterType.Nodelete);
        await stream.CreateAsync(noPut);
        await stream.CreateAsync(noDelete);
        await NextAsync(stream);
        await NextAsync(stream);

        await client.KV.PutAsync(new PutRequest { Key = B("f"), Value = B("1") });
        await client.KV.PutAsync(new PutRequest { Key = B("f"), Value = B("2") });
        await client.KV.DeleteRangeAsync(new DeleteRangeRequest { Key = B("f") });
        var byWatcher = new Dictionary<long, List<Event>> { [0] = [], [1] = [] };
        while (byWatcher[0].Count + byWatcher[1].Count < 3)
        {
            WatchResponse response = await NextAsync(stream);
            byWatcher[response.WatchId].AddRange(response.Events);
        }

        Event delete = Assert.Single(byWatcher[0]);
        Assert.Equal(Event.Types.EventType.Delete, delete.Type);
        Assert.Equal("2", S(delete.PrevKv.Value));
        Assert.Equal(new[] { "1", "2" }, byWatcher[1].Select(e => S(e.Kv.Value)));
        Assert.Null(byWatcher[1][0].PrevKv);
        Assert.Equal("1", S(byWatcher[1][1].PrevKv.Value));
    }

    [Fact]
    public async Task Cancel_answers_for_a_known_id_and_stays_silent_for_an_unknown_one()
    {
        await using GatewayTestHost host = await GatewayTestHost.StartAsync();
        EtcdClient client = host.NewClient();
        await using WatchStream stream = await client.Watch.OpenAsync();
        await stream.CreateAsync(new WatchCreateRequest { Key = B("x") });
        await NextAsync(stream);

        await stream.CancelAsync(42);
        await stream.CancelAsync(0);
        WatchResponse canceled = await NextAsync(stream);
        await client.KV.PutAsync(new PutRequest { Key = B("x"), Value = B("after") });
        await stream.RequestProgressAsync();
        WatchResponse progress = await NextAsync(stream);

        Assert.Equal(0, canceled.WatchId);
        Assert.True(canceled.Canceled);
        Assert.Equal(1, canceled.Header.Revision);
        Assert.Equal(-1, progress.WatchId);
        Assert.Empty(progress.Events);
        Assert.Equal(2, progress.Header.Revision);
    }

    [Fact]
    public async Task Progress_request_is_answered_with_watch_id_minus_one_and_the_current_revision()
    {
        await using GatewayTestHost host = await GatewayTestHost.StartAsync();
        EtcdClient client = host.NewClient();
        await client.KV.PutAsync(new PutRequest { Key = B("p"), Value = B("1") });
        await using WatchStream stream = await client.Watch.OpenAsync();

        await stream.RequestProgressAsync();
        WatchResponse progress = await NextAsync(stream);

        Assert.Equal(-1, progress.WatchId);
        Assert.Equal(2, progress.Header.Revision);
        Assert.False(progress.Created || progress.Canceled);
    }

    [Fact]
    public async Task Progress_answer_comes_after_every_event_up_to_its_revision_even_for_a_watcher_catching_up()
    {
        await using GatewayTestHost host = await GatewayTestHost.StartAsync(hubOptions: new Cairn.Storage.Watch.WatchOptions { WatcherBufferEvents = 2, CatchUpBatchEvents = 3 });
        EtcdClient client = host.NewClient();
        for (int i = 0; i < 50; i++)
        {
            await client.KV.PutAsync(new PutRequest { Key = B("q"), Value = B(i.ToString()) });
        }

        await using WatchStream stream = await client.Watch.OpenAsync();
        await stream.CreateAsync(new WatchCreateRequest { Key = B("q"), StartRevision = 2 });
        await stream.RequestProgressAsync();
        var seen = new List<long>();
        WatchResponse response;
        do
        {
            response = await NextAsync(stream);
            seen.AddRange(response.Events.Select(e => e.Kv.ModRevision));
        }
        while (response.WatchId != -1);

        Assert.Equal(51, response.Header.Revision);
        Assert.Equal(Enumerable.Range(2, 50).Select(r => (long)r), seen);
    }

    [Fact]
    public async Task Progress_notify_reports_the_revision_periodically_to_watchers_that_asked()
    {
        var options = new Cairn.Server.Watch.WatchServiceOptions { ProgressNotifyInterval = TimeSpan.FromMilliseconds(100) };
        await using GatewayTestHost host = await GatewayTestHost.StartAsync(options);
        EtcdClient client = host.NewClient();
        await using WatchStream stream = await client.Watch.OpenAsync();
        await stream.CreateAsync(new WatchCreateRequest { Key = B("n"), ProgressNotify = true });
        await stream.CreateAsync(new WatchCreateRequest { Key = B("n") });
        await NextAsync(stream);
        await NextAsync(stream);
        await client.KV.PutAsync(new PutRequest { Key = B("other"), Value = B("1") });

        var notifications = new List<WatchResponse>();
        while (notifications.Count < 3)
        {
            notifications.Add(await NextAsync(stream, 5));
        }

        Assert.All(notifications, n =>
        {
            Assert.Equal(0, n.WatchId);
            Assert.Empty(n.Events);
            Assert.False(n.Created || n.Canceled);
        });
        Assert.Equal(2, notifications[^1].Header.Revision);
    }

    [Fact]
    public void Progress_notify_interval_below_100_ms_is_refused()
    {
        var options = new Cairn.Server.Watch.WatchServiceOptions { ProgressNotifyInterval = TimeSpan.FromMilliseconds(99) };

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains("at least 100 ms", error.Message);
    }

    [Fact]
    public async Task One_change_matching_two_watchers_gives_one_response_each()
    {
        await using GatewayTestHost host = await GatewayTestHost.StartAsync();
        EtcdClient client = host.NewClient();
        await using WatchStream stream = await client.Watch.OpenAsync();
        await stream.CreateAsync(new WatchCreateRequest { Key = B("m") });
        await stream.CreateAsync(new WatchCreateRequest { Key = B("a"), RangeEnd = new byte[] { 0 }.AsByteString() });
        await NextAsync(stream);
        await NextAsync(stream);

        await client.KV.PutAsync(new PutRequest { Key = B("m"), Value = B("1") });
        WatchResponse first = await NextAsync(stream);
        WatchResponse second = await NextAsync(stream);

        Assert.Equal(new long[] { 0, 1 }, new[] { first.WatchId, second.WatchId }.Order());
        Assert.Single(first.Events);
        Assert.Single(second.Events);
    }

    [Fact]
    public async Task The_stream_stays_open_after_the_client_half_closes()
    {
        await using GatewayTestHost host = await GatewayTestHost.StartAsync();
        EtcdClient client = host.NewClient();
        await using WatchStream stream = await client.Watch.OpenAsync();
        await stream.CreateAsync(new WatchCreateRequest { Key = B("hc") });
        await NextAsync(stream);

        stream.CompleteRequests();
        await Task.Delay(200);
        await client.KV.PutAsync(new PutRequest { Key = B("hc"), Value = B("still") });
        WatchResponse events = await NextAsync(stream);

        Assert.Equal("still", S(Assert.Single(events.Events).Kv.Value));
    }
}

internal static class ByteStringTestExtensions
{
    public static ByteString AsByteString(this byte[] bytes) => ByteString.CopyFrom(bytes);
}
