using Cairn.Protocol.Etcd;
using Cairn.Storage.Mvcc;

namespace Cairn.Storage.Alarms;

/// <summary>
/// The space quota (etcd <c>--quota-backend-bytes</c>, 2 GiB by default) measured on the store's live data
/// (<see cref="MvccStore.SizeInUseBytes"/>). The server checks a write's cost before proposing it; when it does not
/// fit, the server proposes an ACTIVATE NOSPACE alarm for its member and answers "database space exceeded". Costs
/// follow etcd's backendQuota: a put costs 256 + key + value bytes, a txn the larger of its branches' puts, a lease
/// grant 64; everything else is free.
/// </summary>
public sealed class QuotaGuard
{
    /// <summary>etcd's default quota.</summary>
    public const long DefaultQuotaBytes = 2L * 1024 * 1024 * 1024;

    private const int PutOverheadBytes = 256;
    private const int LeaseOverheadBytes = 64;
    private readonly MvccStore _store;

    /// <summary>Creates a guard for <paramref name="store"/> with the given quota.</summary>
    public QuotaGuard(MvccStore store, long quotaBytes = DefaultQuotaBytes)
    {
        if (quotaBytes <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(quotaBytes), quotaBytes, "the space quota must be positive");
        }

        _store = store;
        QuotaBytes = quotaBytes;
    }

    /// <summary>The quota in bytes.</summary>
    public long QuotaBytes { get; }

    /// <summary>True if a request of this cost fits in the quota now. Thread-safe.</summary>
    public bool IsAvailable(long costBytes) => costBytes == 0 || _store.SizeInUseBytes + costBytes <= QuotaBytes;

    /// <summary>Cost of a replicated request (0 for requests that add no data).</summary>
    public static long Cost(Cairn.Protocol.Internal.InternalRequest request) => request.RequestCase switch
    {
        Cairn.Protocol.Internal.InternalRequest.RequestOneofCase.Put => Cost(request.Put),
        Cairn.Protocol.Internal.InternalRequest.RequestOneofCase.Txn => Cost(request.Txn),
        Cairn.Protocol.Internal.InternalRequest.RequestOneofCase.LeaseGrant => Cost(request.LeaseGrant),
        _ => 0,
    };

    /// <summary>Cost of a put.</summary>
    public static long Cost(PutRequest put) => PutOverheadBytes + put.Key.Length + put.Value.Length;

    /// <summary>Cost of a lease grant.</summary>
    public static long Cost(LeaseGrantRequest grant) => LeaseOverheadBytes;

    /// <summary>Cost of a txn: the larger branch's puts (nested txns included).</summary>
    public static long Cost(TxnRequest txn) => Math.Max(Cost(txn.Success), Cost(txn.Failure));

    private static long Cost(IEnumerable<RequestOp> ops)
    {
        long total = 0;
        foreach (RequestOp op in ops)
        {
            total += op.RequestCase switch
            {
                RequestOp.RequestOneofCase.RequestPut => Cost(op.RequestPut),
                RequestOp.RequestOneofCase.RequestTxn => Cost(op.RequestTxn),
                _ => 0,
            };
        }

        return total;
    }
}
