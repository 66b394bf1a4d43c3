using Cairn.Protocol.Etcd;
using Cairn.Storage.Tests.Support;
using Cairn.Storage.Watch;
using static Cairn.Storage.Tests.Support.Kv;

namespace Cairn.Storage.Tests.Watch;

/// <summary>Consumers on their own threads, a writer on another, tiny buffers: every event exactly once, in order.</summary>
public sealed class WatchConcurrencyTests
{
    [Fact]
    public async Task Concurrent_consumers_receive_every_event_once_in_revision_order()
    {
        using var fixture = new StoreFixture();
        var hub = new WatchHub(fixture.Store, new WatchOptions { WatcherBufferEvents = 3, CatchUpBatchEvents = 4 });
        const int writes = 3000;
        const int consumers = 4;
        var ready = Enumerable.Range(0, consumers).Select(_ => new SemaphoreSlim(0)).ToArray();
        var watchers = Enumerable.Range(0, consumers)
            .Select(i => hub.Register(new WatchCreateRequest { Key = B($"w{i}/"), RangeEnd = B($"w{i}0") }, _ => ready[i].Release()))
            .ToArray();

        Task<List<long>>[] tasks = Enumerable.Range(0, consumers).Select(i => Task.Run(async () =>
        {
            var revisions = new List<long>();
            var events = new List<Event>();
            while (revisions.Count < writes / consumers)
            {
                await ready[i].WaitAsync(TimeSpan.FromMilliseconds(50));
                WatchTakeResult result;
                while ((result = watchers[i].TryTake(events, 2)).Status == WatchTakeStatus.Events)
                {
                    revisions.AddRange(events.Select(e => e.Kv.ModRevision));
                    events.Clear();
                    if (i % 2 == 0)
                    {
                        Thread.Sleep(1);
                    }
                }
            }

            return revisions;
        })).ToArray();

        var expected = Enumerable.Range(0, consumers).Select(_ => new List<long>()).ToArray();
        for (int n = 0; n < writes; n++)
        {
            int target = n % consumers;
            long revision = fixture.Put($"w{target}/k{n % 13}", "v" + n);
            expected[target].Add(revision);
        }

        List<long>[] received = await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(60));
        for (int i = 0; i < consumers; i++)
        {
            Assert.Equal(expected[i], received[i]);
        }
    }
}
