using Cairn.Protocol;
using Cairn.Protocol.Etcd;
using Cairn.Server.Gateway;
using Cairn.Server.Grpc;
using Cairn.Server.Node;
using Google.Protobuf;

namespace Cairn.Server.Concurrency;

/// <summary>
/// etcd's <c>v3lockpb.Lock</c> service (reference §4.10): a distributed mutex kept in ordinary keys. <c>Lock</c> puts
/// <c>name/&lt;lease hex&gt;</c> and waits until it is the oldest key under <c>name/</c>; <c>Unlock</c> deletes it.
/// Clients see exactly the keys etcd's own recipe (clientv3 concurrency.Mutex) writes.
/// </summary>
public sealed class LockService
{
    private readonly RecipeClient _client;

    /// <summary>Creates the service for a member.</summary>
    public LockService(IEtcdNode node, ConcurrencyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(node);
        options ??= new ConcurrencyOptions();
        options.Validate();
        _client = new RecipeClient(node, options);
    }

    /// <summary>Registers Lock and Unlock for gRPC and the JSON gateway.</summary>
    public void Register(GatewayServiceRegistry services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddUnary<LockRequest, LockResponse>(EtcdMethods.Lock.LockMethod, LockRequest.Parser, LockAsync);
        services.AddUnary<UnlockRequest, UnlockResponse>(EtcdMethods.Lock.Unlock, UnlockRequest.Parser, UnlockAsync);
    }

    /// <summary>
    /// Acquires the lock <c>name</c> for <c>lease</c> and returns the owner key once it holds it. Lease 0 makes the
    /// server grant a 60 s lease that nobody keeps alive, so the lock releases itself (etcd does the same). If the
    /// client gives up while waiting, its key is deleted.
    /// </summary>
    public async ValueTask<LockResponse> LockAsync(LockRequest request, ServerCallContext call)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(call);
        CancellationToken cancellationToken = call.CancellationToken;
        long leaseId = request.Lease != 0 ? request.Lease : await _client.GrantSessionLeaseAsync(cancellationToken).ConfigureAwait(false);
        ByteString prefix = RecipeClient.Prefix(request.Name);
        ByteString key = RecipeClient.SessionKey(prefix, leaseId);

        TxnResponse attempt = await _client.TxnAsync(LockTxn(prefix, key, leaseId), cancellationToken).ConfigureAwait(false);
        long myRevision = attempt.Succeeded ? attempt.Header.Revision : attempt.Responses[0].ResponseRange.Kvs[0].CreateRevision;
        var owners = attempt.Responses[1].ResponseRange.Kvs;
        if (owners.Count == 0 || owners[0].CreateRevision == myRevision)
        {
            return new LockResponse { Header = attempt.Header, Key = key };
        }

        try
        {
            ResponseHeader header = await _client.WaitDeletesAsync(prefix, myRevision - 1, cancellationToken).ConfigureAwait(false);
            return new LockResponse { Header = header, Key = key };
        }
        catch (Exception)
        {
            // etcd's mutex releases its place in the queue when waiting fails, with a context that outlives the call.
            await ReleaseQuietlyAsync(key).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Deletes the lock key; succeeds whether or not it still exists.</summary>
    public async ValueTask<UnlockResponse> UnlockAsync(UnlockRequest request, ServerCallContext call)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(call);
        DeleteRangeResponse deleted = await _client.DeleteAsync(request.Key, call.CancellationToken).ConfigureAwait(false);
        return new UnlockResponse { Header = deleted.Header };
    }

    /// <summary>clientv3's Mutex.Lock transaction: create my key if absent (else read it), and read the current owner.</summary>
    private static TxnRequest LockTxn(ByteString prefix, ByteString key, long leaseId)
    {
        var txn = new TxnRequest();
        txn.Compare.Add(new Compare
        {
            Key = key,
            Target = Compare.Types.CompareTarget.Create,
            Result = Compare.Types.CompareResult.Equal,
            CreateRevision = 0,
        });
        RequestOp getOwner = FirstCreatedOp(prefix);
        txn.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = key, Lease = leaseId } });
        txn.Success.Add(getOwner);
        txn.Failure.Add(new RequestOp { RequestRange = new RangeRequest { Key = key } });
        txn.Failure.Add(getOwner);
        return txn;
    }

    private static RequestOp FirstCreatedOp(ByteString prefix) => new()
    {
        RequestRange = new RangeRequest
        {
            Key = prefix,
            RangeEnd = ByteString.CopyFrom(Cairn.Storage.Mvcc.KeyRange.PrefixEnd(prefix.Span)),
            SortTarget = RangeRequest.Types.SortTarget.Create,
            SortOrder = RangeRequest.Types.SortOrder.Ascend,
            Limit = 1,
        },
    };

    private async Task ReleaseQuietlyAsync(ByteString key)
    {
        try
        {
            using var timeout = new CancellationTokenSource(ReleaseTimeout);
            await _client.DeleteAsync(key, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Best effort, as in etcd: the key still goes away with its lease.
        }
    }

    private static readonly TimeSpan ReleaseTimeout = TimeSpan.FromSeconds(5);
}
