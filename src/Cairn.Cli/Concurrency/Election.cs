using System.Runtime.CompilerServices;
using System.Text;
using Cairn.Cli.Requests;
using Cairn.Cli.Session;
using Cairn.Protocol.Etcd;
using Google.Protobuf;

namespace Cairn.Cli.Concurrency;

/// <summary>
/// clientv3's concurrency.Election, the recipe <c>etcdctl elect</c> uses (it does not call the v3election
/// service): candidates put <c>NAME/LEASE-HEX</c>; the leader is the key with the lowest create revision.
/// </summary>
internal sealed class Election
{
    private readonly IEtcdSession client;
    private readonly byte[] prefix;

    public Election(IEtcdSession client, string name)
    {
        this.client = client;
        prefix = Encoding.UTF8.GetBytes(name + "/");
    }

    /// <summary>This candidate's key, set by <see cref="CampaignAsync"/>.</summary>
    public ByteString Key { get; private set; } = ByteString.Empty;

    /// <summary>Becomes a candidate with <paramref name="proposal"/> and waits until elected.</summary>
    public async Task CampaignAsync(LeaseSession session, byte[] proposal, CancellationToken cancellation)
    {
        Key = ByteString.CopyFrom(Encoding.UTF8.GetBytes($"{Encoding.UTF8.GetString(prefix)}{session.LeaseId:x}"));
        var value = ByteString.CopyFrom(proposal);
        var request = new TxnRequest();
        request.Compare.Add(new Compare { Key = Key, Target = Compare.Types.CompareTarget.Create, Result = Compare.Types.CompareResult.Equal, CreateRevision = 0 });
        request.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = Key, Value = value, Lease = session.LeaseId } });
        request.Failure.Add(new RequestOp { RequestRange = new RangeRequest { Key = Key } });
        var response = await client.TxnAsync(request, cancellation);
        long leaderRevision = response.Header.Revision;
        if (!response.Succeeded)
        {
            var existing = response.Responses[0].ResponseRange.Kvs[0];
            leaderRevision = existing.CreateRevision;
            if (existing.Value != value)
            {
                await client.PutAsync(new PutRequest { Key = Key, Value = value, Lease = session.LeaseId }, cancellation);
            }
        }
        try
        {
            await KeyWaits.WaitDeletesAsync(client, prefix, leaderRevision - 1, cancellation);
        }
        catch (OperationCanceledException)
        {
            await ResignAsync();
            throw;
        }
    }

    /// <summary>Gives up leadership (or candidacy) by deleting this candidate's key.</summary>
    public async Task ResignAsync()
    {
        if (Key.IsEmpty)
        {
            return;
        }
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await client.DeleteRangeAsync(new DeleteRangeRequest { Key = Key }, deadline.Token);
    }

    /// <summary>
    /// Yields the leader's key-value each time leadership or the leader's proclamation changes, as clientv3's
    /// Observe does, until <paramref name="cancellation"/> fires or the watch is lost.
    /// </summary>
    public async IAsyncEnumerable<RangeResponse> ObserveAsync([EnumeratorCancellation] CancellationToken cancellation)
    {
        while (!cancellation.IsCancellationRequested)
        {
            var current = await client.RangeAsync(KeyWaits.FirstCreated(prefix), cancellation);
            RangeResponse leader = current.Kvs.Count > 0 ? current : await WaitForFirstPutAsync(current.Header.Revision, cancellation);
            yield return leader;
            await foreach (var update in FollowAsync(leader, cancellation))
            {
                yield return update;
            }
        }
    }

    private async Task<RangeResponse> WaitForFirstPutAsync(long revision, CancellationToken cancellation)
    {
        await using var stream = await client.WatchAsync(cancellation);
        var create = new WatchCreateRequest { Key = ByteString.CopyFrom(prefix), RangeEnd = ByteString.CopyFrom(KeyRanges.PrefixEnd(prefix)), StartRevision = revision };
        await stream.SendAsync(new WatchRequest { CreateRequest = create }, cancellation);
        while (await stream.ReadAsync(cancellation) is { } response)
        {
            ThrowIfCanceled(response);
            var put = response.Events.FirstOrDefault(e => e.Type == Event.Types.EventType.Put);
            if (put is not null)
            {
                var header = response.Header.Clone();
                header.Revision = put.Kv.ModRevision;
                var found = new RangeResponse { Header = header };
                found.Kvs.Add(put.Kv);
                return found;
            }
        }
        throw new EtcdCallException(14, "elect: observer lost");
    }

    // Reports every change of the leader's key until it is deleted.
    private async IAsyncEnumerable<RangeResponse> FollowAsync(RangeResponse leader, [EnumeratorCancellation] CancellationToken cancellation)
    {
        await using var stream = await client.WatchAsync(cancellation);
        var create = new WatchCreateRequest { Key = leader.Kvs[0].Key, StartRevision = leader.Header.Revision + 1 };
        await stream.SendAsync(new WatchRequest { CreateRequest = create }, cancellation);
        while (await stream.ReadAsync(cancellation) is { } response)
        {
            ThrowIfCanceled(response);
            foreach (var change in response.Events)
            {
                if (change.Type == Event.Types.EventType.Delete)
                {
                    yield break;
                }
                var update = new RangeResponse { Header = response.Header, Count = leader.Count, More = leader.More };
                update.Kvs.Add(change.Kv);
                yield return update;
            }
        }
        throw new EtcdCallException(14, "elect: observer lost");
    }

    private static void ThrowIfCanceled(WatchResponse response)
    {
        if (response.Canceled)
        {
            throw new EtcdCallException(9, Verbs.WatchEvents.CancelReason(response));
        }
    }
}
