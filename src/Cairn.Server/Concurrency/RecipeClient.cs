using System.Globalization;
using Cairn.Protocol.Etcd;
using Cairn.Protocol.Internal;
using Cairn.Server.Node;
using Cairn.Storage;
using Cairn.Storage.Leases;
using Cairn.Storage.Mvcc;
using Cairn.Storage.StateMachine;
using Cairn.Storage.Watch;
using Google.Protobuf;

namespace Cairn.Server.Concurrency;

/// <summary>
/// The small KV client the Lock and Election recipes need, on top of the member itself: writes are proposed through
/// raft, reads are linearizable local reads, waits use the watch hub. Every failure comes back as etcd's embedded
/// client would report it through the services (code Unknown, same message).
/// </summary>
internal sealed class RecipeClient(IEtcdNode node, ConcurrencyOptions options)
{
    private readonly LeaseIdGenerator _leaseIds = new(node.MemberId, Random.Shared.NextInt64(1L << 40));

    public IEtcdNode Node => node;

    /// <summary>etcd's key for a session: the prefix followed by the lease ID in lowercase hex (Go's <c>%x</c>).</summary>
    public static ByteString SessionKey(ByteString prefix, long leaseId)
    {
        string hex = leaseId < 0
            ? "-" + unchecked(0UL - (ulong)leaseId).ToString("x", CultureInfo.InvariantCulture)
            : leaseId.ToString("x", CultureInfo.InvariantCulture);
        return Append(prefix, hex);
    }

    /// <summary>The prefix the recipes keep their keys under: the name and a slash.</summary>
    public static ByteString Prefix(ByteString name) => Append(name, "/");

    private static ByteString Append(ByteString head, string asciiTail)
    {
        byte[] joined = new byte[head.Length + asciiTail.Length];
        head.Span.CopyTo(joined);
        System.Text.Encoding.ASCII.GetBytes(asciiTail, joined.AsSpan(head.Length));
        return UnsafeByteOperations.UnsafeWrap(joined);
    }

    /// <summary>Grants the server-side session lease a request with lease 0 gets (etcd's default session TTL, not kept alive).</summary>
    public async Task<long> GrantSessionLeaseAsync(CancellationToken cancellationToken)
    {
        // The ID is chosen here, before proposing, so apply stays deterministic; a collision with an ID another
        // proposer picked is retried with the next one.
        for (int attempt = 0; ; attempt++)
        {
            var grant = new LeaseGrantRequest { ID = _leaseIds.Next(), TTL = options.DefaultSessionTtlSeconds };
            try
            {
                LeaseGrantResponse granted = await ProposeAsync<LeaseGrantResponse>(new InternalRequest { LeaseGrant = grant }, cancellationToken).ConfigureAwait(false);
                return granted.ID;
            }
            catch (Cairn.Protocol.Grpc.RpcException exists) when (attempt < 3 && exists.Message == EtcdError.LeaseExists.Message)
            {
            }
        }
    }

    public Task<TxnResponse> TxnAsync(TxnRequest txn, CancellationToken cancellationToken) =>
        ProposeAsync<TxnResponse>(new InternalRequest { Txn = txn }, cancellationToken);

    public Task<DeleteRangeResponse> DeleteAsync(ByteString key, CancellationToken cancellationToken) =>
        ProposeAsync<DeleteRangeResponse>(new InternalRequest { DeleteRange = new DeleteRangeRequest { Key = key } }, cancellationToken);

    /// <summary>A linearizable Range, as clientv3's default Get.</summary>
    public async Task<RangeResponse> RangeAsync(RangeRequest request, CancellationToken cancellationToken)
    {
        try
        {
            await node.ReadBarrierAsync(cancellationToken).ConfigureAwait(false);
            RangeResponse response = node.State.Store.Range(request);
            long revision = response.Header.Revision;
            node.FillHeader(response.Header).Revision = revision;
            return response;
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            throw ConcurrencyErrors.Wrap(failure);
        }
    }

    /// <summary>The key under <paramref name="prefix"/> with the lowest create revision (clientv3's WithFirstCreate).</summary>
    public Task<RangeResponse> FirstCreatedAsync(ByteString prefix, CancellationToken cancellationToken) =>
        RangeAsync(new RangeRequest
        {
            Key = prefix,
            RangeEnd = ByteString.CopyFrom(KeyRange.PrefixEnd(prefix.Span)),
            SortTarget = RangeRequest.Types.SortTarget.Create,
            SortOrder = RangeRequest.Types.SortOrder.Ascend,
            Limit = 1,
        }, cancellationToken);

    /// <summary>
    /// etcd's <c>waitDeletes</c>: waits until no key under <paramref name="prefix"/> was created at or before
    /// <paramref name="maxCreateRevision"/>, watching the newest such key's deletion each round.
    /// </summary>
    public async Task<ResponseHeader> WaitDeletesAsync(ByteString prefix, long maxCreateRevision, CancellationToken cancellationToken)
    {
        while (true)
        {
            RangeResponse newest = await RangeAsync(new RangeRequest
            {
                Key = prefix,
                RangeEnd = ByteString.CopyFrom(KeyRange.PrefixEnd(prefix.Span)),
                SortTarget = RangeRequest.Types.SortTarget.Create,
                SortOrder = RangeRequest.Types.SortOrder.Descend,
                MaxCreateRevision = maxCreateRevision,
                Limit = 1,
            }, cancellationToken).ConfigureAwait(false);
            if (newest.Kvs.Count == 0)
            {
                return newest.Header;
            }

            await WaitDeleteAsync(newest.Kvs[0].Key, newest.Header.Revision, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Opens a hub watcher (the caller disposes it).</summary>
    public HubSubscription Watch(WatchCreateRequest create) => new(node.State.Watches, create, options.MaxEventsPerTake);

    /// <summary>A header with this member's identity and the given revision.</summary>
    public ResponseHeader Header(long revision)
    {
        ResponseHeader header = node.FillHeader(new ResponseHeader());
        header.Revision = revision;
        return header;
    }

    private async Task WaitDeleteAsync(ByteString key, long fromRevision, CancellationToken cancellationToken)
    {
        var create = new WatchCreateRequest { Key = key, StartRevision = fromRevision };
        create.Filters.Add(WatchCreateRequest.Types.FilterType.Noput);
        using HubSubscription watch = Watch(create);
        var events = new List<Event>();
        while (true)
        {
            events.Clear();
            WatchTakeResult result = await watch.NextAsync(events, cancellationToken).ConfigureAwait(false);
            switch (result.Status)
            {
                case WatchTakeStatus.Events when events.Exists(static e => e.Type == Event.Types.EventType.Delete):
                    return;
                case WatchTakeStatus.Compacted:
                    throw ConcurrencyErrors.Unknown(EtcdError.Compacted.Message);
                case WatchTakeStatus.Canceled:
                    throw ConcurrencyErrors.Unknown("lost watcher waiting for delete");
            }
        }
    }

    private async Task<T> ProposeAsync<T>(InternalRequest request, CancellationToken cancellationToken)
        where T : class, IMessage
    {
        ApplyResult result;
        try
        {
            result = await node.ProposeAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            throw ConcurrencyErrors.Wrap(failure);
        }

        if (result.Error is { } error)
        {
            throw ConcurrencyErrors.Unknown(error.Message);
        }

        return result.Response as T
            ?? throw new InvalidOperationException($"the state machine answered {request.RequestCase} with {result.Response?.GetType().Name ?? "nothing"}");
    }
}
