using Cairn.Protocol.Etcd;

namespace Cairn.Storage.Mvcc;

/// <summary>
/// etcd's duplicate-key rule for one txn branch (v3rpc checkIntervals): two puts of one key, or a put inside a delete
/// range, is an error, checked recursively through nested txns. The same key in a nested txn's success and failure
/// branches is fine (only one runs); two deletes of one key are fine.
/// </summary>
/// <remarks>
/// As in etcd, a delete interval is the raw byte interval [key, range_end) (a single key when range_end is empty),
/// so a "from key" delete (range_end <c>\0</c>) never conflicts with a put.
/// </remarks>
internal static class TxnDuplicateCheck
{
    /// <summary>Throws <see cref="EtcdError.DuplicateKey"/> if the branch breaks the rule.</summary>
    public static void CheckBranch(IList<RequestOp> ops) => Collect(ops, out _, out _);

    private static void Collect(IList<RequestOp> ops, out HashSet<byte[]> puts, out List<(byte[] Begin, byte[]? End)> deletes)
    {
        deletes = [];
        foreach (RequestOp op in ops)
        {
            if (op.RequestCase == RequestOp.RequestOneofCase.RequestDeleteRange)
            {
                DeleteRangeRequest delete = op.RequestDeleteRange;
                deletes.Add((delete.Key.ToByteArray(), delete.RangeEnd.IsEmpty ? null : delete.RangeEnd.ToByteArray()));
            }
        }

        puts = new HashSet<byte[]>(ByteArrayComparer.Instance);
        foreach (RequestOp op in ops)
        {
            if (op.RequestCase != RequestOp.RequestOneofCase.RequestTxn)
            {
                continue;
            }

            Collect(op.RequestTxn.Success, out HashSet<byte[]> putsThen, out var deletesThen);
            Collect(op.RequestTxn.Failure, out HashSet<byte[]> putsElse, out var deletesElse);
            foreach (byte[] key in putsThen)
            {
                AddPut(puts, deletes, key);
            }

            foreach (byte[] key in putsElse)
            {
                if (puts.Contains(key) && !putsThen.Contains(key))
                {
                    throw EtcdError.DuplicateKey.ToException();
                }

                ThrowIfDeleted(deletes, key);
                puts.Add(key);
            }

            deletes.AddRange(deletesThen);
            deletes.AddRange(deletesElse);
        }

        foreach (RequestOp op in ops)
        {
            if (op.RequestCase == RequestOp.RequestOneofCase.RequestPut)
            {
                AddPut(puts, deletes, op.RequestPut.Key.ToByteArray());
            }
        }
    }

    private static void AddPut(HashSet<byte[]> puts, List<(byte[] Begin, byte[]? End)> deletes, byte[] key)
    {
        if (!puts.Add(key))
        {
            throw EtcdError.DuplicateKey.ToException();
        }

        ThrowIfDeleted(deletes, key);
    }

    private static void ThrowIfDeleted(List<(byte[] Begin, byte[]? End)> deletes, byte[] key)
    {
        foreach ((byte[] begin, byte[]? end) in deletes)
        {
            bool hit = end is null
                ? key.AsSpan().SequenceEqual(begin)
                : begin.AsSpan().SequenceCompareTo(key) <= 0 && key.AsSpan().SequenceCompareTo(end) < 0;
            if (hit)
            {
                throw EtcdError.DuplicateKey.ToException();
            }
        }
    }
}
