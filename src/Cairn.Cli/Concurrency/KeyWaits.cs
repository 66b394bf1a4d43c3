using Cairn.Cli.Requests;
using Cairn.Cli.Session;
using Cairn.Protocol.Etcd;
using Google.Protobuf;

namespace Cairn.Cli.Concurrency;

/// <summary>The waiting steps of clientv3's lock and election recipes.</summary>
internal static class KeyWaits
{
    /// <summary>
    /// Waits until no key under <paramref name="prefix"/> created at or before <paramref name="maxCreateRevision"/>
    /// exists: repeatedly finds the newest such key and waits for its deletion.
    /// </summary>
    public static async Task<ResponseHeader> WaitDeletesAsync(IEtcdSession client, byte[] prefix, long maxCreateRevision, CancellationToken cancellation)
    {
        while (true)
        {
            var request = new RangeRequest
            {
                Key = ByteString.CopyFrom(prefix),
                RangeEnd = ByteString.CopyFrom(KeyRanges.PrefixEnd(prefix)),
                SortTarget = RangeRequest.Types.SortTarget.Create,
                SortOrder = RangeRequest.Types.SortOrder.Descend,
                Limit = 1,
                MaxCreateRevision = maxCreateRevision,
            };
            var response = await client.RangeAsync(request, cancellation);
            if (response.Kvs.Count == 0)
            {
                return response.Header;
            }
            await WaitDeleteAsync(client, response.Kvs[0].Key, response.Header.Revision, cancellation);
        }
    }

    /// <summary>Waits for a DELETE event of <paramref name="key"/> from <paramref name="revision"/> on.</summary>
    public static async Task WaitDeleteAsync(IEtcdSession client, ByteString key, long revision, CancellationToken cancellation)
    {
        await using var stream = await client.WatchAsync(cancellation);
        await stream.SendAsync(new WatchRequest { CreateRequest = new WatchCreateRequest { Key = key, StartRevision = revision } }, cancellation);
        while (await stream.ReadAsync(cancellation) is { } response)
        {
            if (response.Canceled)
            {
                throw new EtcdCallException(9, Verbs.WatchEvents.CancelReason(response));
            }
            if (response.Events.Any(e => e.Type == Event.Types.EventType.Delete))
            {
                return;
            }
        }
        throw new EtcdCallException(14, "lost watcher waiting for delete");
    }

    /// <summary>The first key (by create revision) under a prefix: clientv3's WithFirstCreate.</summary>
    public static RangeRequest FirstCreated(byte[] prefix) => new()
    {
        Key = ByteString.CopyFrom(prefix),
        RangeEnd = ByteString.CopyFrom(KeyRanges.PrefixEnd(prefix)),
        SortTarget = RangeRequest.Types.SortTarget.Create,
        SortOrder = RangeRequest.Types.SortOrder.Ascend,
        Limit = 1,
    };
}
