using Cairn.Protocol.Etcd;
using Cairn.Server.Grpc;
using Cairn.Storage.Mvcc;
using Cairn.Storage.Watch;
using Google.Protobuf;

namespace Cairn.Server.Concurrency;

/// <summary>Observe: a stream of the election's leader, as clientv3's Election.Observe produces it.</summary>
public sealed partial class ElectionService
{
    /// <summary>
    /// Sends the current leader (waiting for one if there is none), then every new value the leader proclaims; when
    /// the leader key is deleted, starts over with the next leader. Ends (status OK) if the history it needs was
    /// compacted, as etcd's does when its watch channel closes.
    /// </summary>
    public async ValueTask ObserveAsync(LeaderRequest request, IGrpcStreamWriter<LeaderResponse> responses, ServerCallContext call)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(responses);
        ArgumentNullException.ThrowIfNull(call);
        CancellationToken cancellationToken = call.CancellationToken;
        ByteString prefix = RecipeClient.Prefix(request.Name);
        while (!cancellationToken.IsCancellationRequested)
        {
            LeaderResponse? leader = await CurrentOrNextLeaderAsync(prefix, cancellationToken).ConfigureAwait(false);
            if (leader is null)
            {
                return;
            }

            await responses.WriteAsync(leader, cancellationToken).ConfigureAwait(false);
            if (!await FollowLeaderAsync(leader, responses, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>The oldest candidate now, or the first one put after; null when the watch was compacted away.</summary>
    private async Task<LeaderResponse?> CurrentOrNextLeaderAsync(ByteString prefix, CancellationToken cancellationToken)
    {
        RangeResponse first = await _client.FirstCreatedAsync(prefix, cancellationToken).ConfigureAwait(false);
        if (first.Kvs.Count > 0)
        {
            return new LeaderResponse { Header = first.Header, Kv = first.Kvs[0] };
        }

        var create = new WatchCreateRequest
        {
            Key = prefix,
            RangeEnd = ByteString.CopyFrom(KeyRange.PrefixEnd(prefix.Span)),
            StartRevision = first.Header.Revision,
        };
        using HubSubscription watch = _client.Watch(create);
        var events = new List<Event>();
        while (true)
        {
            events.Clear();
            WatchTakeResult result = await watch.NextAsync(events, cancellationToken).ConfigureAwait(false);
            if (result.Status != WatchTakeStatus.Events)
            {
                return null;
            }

            // Only a put names a leader; the header revision is that put's, as in etcd.
            if (events.Find(static e => e.Type == Event.Types.EventType.Put) is { } put)
            {
                return new LeaderResponse { Header = _client.Header(put.Kv.ModRevision), Kv = put.Kv };
            }
        }
    }

    /// <summary>Streams the leader key's new values until it is deleted (true) or its watch ends (false).</summary>
    private async Task<bool> FollowLeaderAsync(LeaderResponse leader, IGrpcStreamWriter<LeaderResponse> responses, CancellationToken cancellationToken)
    {
        var create = new WatchCreateRequest { Key = leader.Kv.Key, StartRevision = leader.Header.Revision + 1 };
        using HubSubscription watch = _client.Watch(create);
        var events = new List<Event>();
        while (true)
        {
            events.Clear();
            WatchTakeResult result = await watch.NextAsync(events, cancellationToken).ConfigureAwait(false);
            if (result.Status != WatchTakeStatus.Events)
            {
                return false;
            }

            foreach (Event evt in events)
            {
                if (evt.Type == Event.Types.EventType.Delete)
                {
                    return true;
                }

                await responses.WriteAsync(new LeaderResponse { Header = _client.Header(result.HeaderRevision), Kv = evt.Kv }, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
