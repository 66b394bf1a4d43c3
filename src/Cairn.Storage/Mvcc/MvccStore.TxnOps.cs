using Cairn.Protocol.Etcd;
using OpCase = Cairn.Protocol.Etcd.RequestOp.RequestOneofCase;

namespace Cairn.Storage.Mvcc;

/// <summary>Checking and executing the ops on a txn's chosen path.</summary>
public sealed partial class MvccStore
{
    /// <summary>etcd checkRequestPut on every put of the chosen path, against the state before the txn.</summary>
    private void CheckPathPuts(IndexNode root, long revision, TxnRequest request, List<bool> path, ref int position)
    {
        bool succeeded = path[position++];
        foreach (RequestOp op in succeeded ? request.Success : request.Failure)
        {
            if (op.RequestCase == OpCase.RequestTxn)
            {
                CheckPathPuts(root, revision, op.RequestTxn, path, ref position);
                continue;
            }

            if (op.RequestCase != OpCase.RequestPut)
            {
                continue;
            }

            PutRequest put = op.RequestPut;
            if ((put.IgnoreValue || put.IgnoreLease) && !IsLive(root, revision, put.Key.Span))
            {
                throw EtcdError.KeyNotFound.ToException();
            }

            if (put.Lease != 0 && !_leases.LeaseExists(put.Lease))
            {
                throw EtcdError.LeaseNotFound.ToException();
            }
        }
    }

    /// <summary>etcd checkRequestRange on every range of the chosen path: revision not future, not compacted.</summary>
    private void CheckPathRanges(long current, TxnRequest request, List<bool> path, ref int position)
    {
        bool succeeded = path[position++];
        foreach (RequestOp op in succeeded ? request.Success : request.Failure)
        {
            if (op.RequestCase == OpCase.RequestTxn)
            {
                CheckPathRanges(current, op.RequestTxn, path, ref position);
            }
            else if (op.RequestCase == OpCase.RequestRange && op.RequestRange.Revision != 0)
            {
                long revision = op.RequestRange.Revision;
                if (revision > current)
                {
                    throw EtcdError.FutureRevision.ToException();
                }

                if (revision < Volatile.Read(ref _compactRevision))
                {
                    throw EtcdError.Compacted.ToException();
                }
            }
        }
    }

    private static bool IsLive(IndexNode root, long revision, ReadOnlySpan<byte> key) =>
        KeyIndex.TryFind(root, key, out LeafNode leaf, out int index)
        && TryVisible(Volatile.Read(ref leaf.Histories[index]), revision, out _);

    /// <summary>Runs the ops of the chosen branch inside the current write transaction.</summary>
    private TxnResponse ExecuteTxn(TxnRequest request, List<bool> path, ref int position, bool isWrite)
    {
        bool succeeded = path[position++];
        var response = new TxnResponse { Succeeded = succeeded, Header = new ResponseHeader() };
        foreach (RequestOp op in succeeded ? request.Success : request.Failure)
        {
            var result = new ResponseOp();
            switch (op.RequestCase)
            {
                case OpCase.RequestRange:
                    result.ResponseRange = RangeInWrite(op.RequestRange);
                    break;
                case OpCase.RequestPut:
                    Invariant.Check(isWrite, "a read-only txn executed a put");
                    result.ResponsePut = PutInWrite(op.RequestPut);
                    break;
                case OpCase.RequestDeleteRange:
                    result.ResponseDeleteRange = DeleteRangeInWrite(op.RequestDeleteRange);
                    break;
                case OpCase.RequestTxn:
                    result.ResponseTxn = ExecuteTxn(op.RequestTxn, path, ref position, isWrite);
                    break;
            }

            response.Responses.Add(result);
        }

        return response;
    }

    /// <summary>A Range inside a write transaction: sees the transaction's own changes.</summary>
    private RangeResponse RangeInWrite(RangeRequest request)
    {
        long current = WriteReadRevision;
        long readRevision = ResolveReadRevision(request.Revision, current, _compactRevision);
        return RangeAt(_index.WorkingRoot, readRevision, current, request);
    }
}
