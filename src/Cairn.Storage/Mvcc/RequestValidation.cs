using Cairn.Protocol.Etcd;

namespace Cairn.Storage.Mvcc;

/// <summary>
/// etcd's request checks (v3rpc key.go): the ones the API layer does before proposing, repeated at apply so that a
/// request which bypassed them cannot break the store's invariants. All throw <see cref="EtcdException"/>.
/// </summary>
public static class RequestValidation
{
    /// <summary>Range: the key must be given.</summary>
    public static void CheckRange(RangeRequest request)
    {
        if (request.Key.IsEmpty)
        {
            throw EtcdError.EmptyKey.ToException();
        }
    }

    /// <summary>Put: key given; ignore_value excludes a value; ignore_lease excludes a lease.</summary>
    public static void CheckPut(PutRequest request)
    {
        if (request.Key.IsEmpty)
        {
            throw EtcdError.EmptyKey.ToException();
        }

        if (request.IgnoreValue && !request.Value.IsEmpty)
        {
            throw EtcdError.ValueProvided.ToException();
        }

        if (request.IgnoreLease && request.Lease != 0)
        {
            throw EtcdError.LeaseProvided.ToException();
        }
    }

    /// <summary>DeleteRange: the key must be given.</summary>
    public static void CheckDeleteRange(DeleteRangeRequest request)
    {
        if (request.Key.IsEmpty)
        {
            throw EtcdError.EmptyKey.ToException();
        }
    }

    /// <summary>
    /// Txn: list lengths (each of compare/success/failure at most <paramref name="maxTxnOps"/>), compare keys, every
    /// op (recursively; an op with nothing set is "key not found"), then the duplicate-key rule for each branch.
    /// </summary>
    public static void CheckTxn(TxnRequest request, int maxTxnOps)
    {
        CheckTxnOps(request, maxTxnOps);
        TxnDuplicateCheck.CheckBranch(request.Success);
        TxnDuplicateCheck.CheckBranch(request.Failure);
    }

    private static void CheckTxnOps(TxnRequest request, int maxTxnOps)
    {
        int longest = Math.Max(request.Compare.Count, Math.Max(request.Success.Count, request.Failure.Count));
        if (longest > maxTxnOps)
        {
            throw EtcdError.TooManyOps.ToException();
        }

        foreach (Compare compare in request.Compare)
        {
            if (compare.Key.IsEmpty)
            {
                throw EtcdError.EmptyKey.ToException();
            }
        }

        foreach (RequestOp op in request.Success)
        {
            CheckOp(op, maxTxnOps);
        }

        foreach (RequestOp op in request.Failure)
        {
            CheckOp(op, maxTxnOps);
        }
    }

    private static void CheckOp(RequestOp op, int maxTxnOps)
    {
        switch (op.RequestCase)
        {
            case RequestOp.RequestOneofCase.RequestRange:
                CheckRange(op.RequestRange);
                break;
            case RequestOp.RequestOneofCase.RequestPut:
                CheckPut(op.RequestPut);
                break;
            case RequestOp.RequestOneofCase.RequestDeleteRange:
                CheckDeleteRange(op.RequestDeleteRange);
                break;
            case RequestOp.RequestOneofCase.RequestTxn:
                CheckTxnOps(op.RequestTxn, maxTxnOps);
                break;
            default:
                throw EtcdError.KeyNotFound.ToException();
        }
    }
}
