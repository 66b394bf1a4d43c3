using Cairn.Protocol.Etcd;
using CompareResult = Cairn.Protocol.Etcd.Compare.Types.CompareResult;
using CompareTarget = Cairn.Protocol.Etcd.Compare.Types.CompareTarget;
using OpCase = Cairn.Protocol.Etcd.RequestOp.RequestOneofCase;

namespace Cairn.Storage.Mvcc;

/// <summary>
/// Transactions (etcd reference §4.5), evaluated the way etcd's applier does: every compare (including those of
/// nested txns on the chosen path) is evaluated against the state before the txn; then the chosen ops are checked
/// (lease exists, ignore_* keys exist, range revisions valid); then the ops run in order, seeing each other's effects,
/// and the whole txn creates at most one revision.
/// </summary>
public sealed partial class MvccStore
{
    /// <summary>Applies a txn. Apply thread only.</summary>
    public TxnResponse Txn(TxnRequest request)
    {
        RequestValidation.CheckTxn(request, _options.MaxTxnOps);
        IndexNode root = _index.WorkingRoot;
        long current = _currentRevision;
        List<bool> path = ComputePath(root, current, request);
        bool isWrite = !IsReadOnly(request);
        if (isWrite)
        {
            int position = 0;
            CheckPathPuts(root, current, request, path, ref position);
        }

        int rangePosition = 0;
        CheckPathRanges(current, request, path, ref rangePosition);
        if (isWrite)
        {
            TxnSimulation.Check(request, path, key => IsLive(root, current, key));
        }

        BeginWrite();
        try
        {
            int position = 0;
            TxnResponse response = ExecuteTxn(request, path, ref position, isWrite);
            response.Header = new ResponseHeader { Revision = WriteReadRevision };
            return response;
        }
        finally
        {
            EndWrite();
        }
    }

    /// <summary>
    /// Evaluates a txn whose ops are all Ranges against the latest published state, from any thread (a serializable
    /// read-only txn). Throws <see cref="ArgumentException"/> for a txn with writes.
    /// </summary>
    public TxnResponse ReadOnlyTxn(TxnRequest request)
    {
        RequestValidation.CheckTxn(request, _options.MaxTxnOps);
        if (!IsReadOnly(request))
        {
            throw new ArgumentException("ReadOnlyTxn was given a txn with writes; writes must go through the state machine.");
        }

        using ReadGate.Ticket ticket = EnterRead();
        while (true)
        {
            TxnResponse response = ReadOnlyTxnAt(request, out long oldestRead, out bool latestOnly);
            if (!IsOvertakenByCompaction(oldestRead))
            {
                return response;
            }

            if (!latestOnly)
            {
                throw EtcdError.Compacted.ToException();
            }
        }
    }

    private TxnResponse ReadOnlyTxnAt(TxnRequest request, out long oldestRead, out bool latestOnly)
    {
        long current = CurrentRevision;
        IndexNode root = _index.PublishedRoot;
        long compactRevision = CompactRevision;
        List<bool> path = ComputePath(root, current, request);
        int position = 0;
        CheckPathRanges(current, request, path, ref position);
        bool succeeded = path[0];
        var response = new TxnResponse { Succeeded = succeeded, Header = new ResponseHeader { Revision = current } };
        oldestRead = current;
        latestOnly = true;
        foreach (RequestOp op in succeeded ? request.Success : request.Failure)
        {
            RangeRequest range = op.RequestRange;
            long readRevision = ResolveReadRevision(range.Revision, current, compactRevision);
            oldestRead = Math.Min(oldestRead, readRevision);
            latestOnly &= range.Revision <= 0;
            response.Responses.Add(new ResponseOp { ResponseRange = RangeAt(root, readRevision, current, range) });
        }

        return response;
    }

    /// <summary>etcd's isTxnReadonly: every op of both branches is a Range (a nested txn counts as a write).</summary>
    public static bool IsReadOnly(TxnRequest request)
    {
        foreach (RequestOp op in request.Success)
        {
            if (op.RequestCase != OpCase.RequestRange)
            {
                return false;
            }
        }

        foreach (RequestOp op in request.Failure)
        {
            if (op.RequestCase != OpCase.RequestRange)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The branch taken by this txn and by every nested txn on the chosen path, in pre-order.</summary>
    private List<bool> ComputePath(IndexNode root, long revision, TxnRequest request)
    {
        var path = new List<bool>();
        AppendPath(root, revision, request, path);
        return path;
    }

    private void AppendPath(IndexNode root, long revision, TxnRequest request, List<bool> path)
    {
        bool succeeded = true;
        foreach (Compare compare in request.Compare)
        {
            if (!EvaluateCompare(root, revision, compare))
            {
                succeeded = false;
                break;
            }
        }

        path.Add(succeeded);
        foreach (RequestOp op in succeeded ? request.Success : request.Failure)
        {
            if (op.RequestCase == OpCase.RequestTxn)
            {
                AppendPath(root, revision, op.RequestTxn, path);
            }
        }
    }

    /// <summary>One compare over every key of its range; a VALUE compare on no keys is false, others compare with 0.</summary>
    private bool EvaluateCompare(IndexNode root, long revision, Compare compare)
    {
        var kvs = new List<KeyValue>();
        ReadOnlySpan<byte> rangeEnd = compare.RangeEnd.Span;
        CollectRange(root, compare.Key.Span, rangeEnd, revision, countOnly: false, fetchLimit: 0,
            includeValue: compare.Target == CompareTarget.Value, kvs);
        if (kvs.Count == 0)
        {
            return compare.Target != CompareTarget.Value && CompareKeyValue(compare, new KeyValue());
        }

        foreach (KeyValue kv in kvs)
        {
            if (!CompareKeyValue(compare, kv))
            {
                return false;
            }
        }

        return true;
    }

    private static bool CompareKeyValue(Compare compare, KeyValue kv)
    {
        int result = compare.Target switch
        {
            CompareTarget.Value => Math.Sign(kv.Value.Span.SequenceCompareTo(compare.Value.Span)),
            CompareTarget.Create => kv.CreateRevision.CompareTo(compare.CreateRevision),
            CompareTarget.Mod => kv.ModRevision.CompareTo(compare.ModRevision),
            CompareTarget.Version => kv.Version.CompareTo(compare.Version),
            CompareTarget.Lease => kv.Lease.CompareTo(compare.Lease),
            _ => 0,
        };
        return compare.Result switch
        {
            CompareResult.Equal => result == 0,
            CompareResult.NotEqual => result != 0,
            CompareResult.Greater => result > 0,
            CompareResult.Less => result < 0,
            _ => true,
        };
    }
}
