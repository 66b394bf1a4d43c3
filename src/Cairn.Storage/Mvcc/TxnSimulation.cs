using Cairn.Protocol.Etcd;
using OpCase = Cairn.Protocol.Etcd.RequestOp.RequestOneofCase;

namespace Cairn.Storage.Mvcc;

/// <summary>
/// Replays the key effects of a txn's chosen path, in execution order, to find a put with ignore_value/ignore_lease
/// whose key an earlier op of the same txn deleted. etcd's duplicate-key check lets that through (a "from key" delete
/// with range_end <c>\0</c> is never treated as overlapping a put), and etcd then panics in the middle of the txn on
/// every member. Cairn rejects such a txn as a whole with "key not found" before changing anything.
/// </summary>
internal sealed class TxnSimulation
{
    private readonly List<(byte[] Key, byte[] RangeEnd, bool IsPut)> _effects = [];
    private readonly Func<byte[], bool> _liveBefore;

    private TxnSimulation(Func<byte[], bool> liveBefore) => _liveBefore = liveBefore;

    /// <summary>Throws <see cref="EtcdError.KeyNotFound"/> if an ignore_* put would find its key deleted.</summary>
    public static void Check(TxnRequest request, List<bool> path, Func<byte[], bool> liveBefore)
    {
        if (!HasIgnorePut(request))
        {
            return;
        }

        var simulation = new TxnSimulation(liveBefore);
        int position = 0;
        simulation.Walk(request, path, ref position);
    }

    private static bool HasIgnorePut(TxnRequest request)
    {
        foreach (RequestOp op in request.Success.Concat(request.Failure))
        {
            if ((op.RequestCase == OpCase.RequestPut && (op.RequestPut.IgnoreValue || op.RequestPut.IgnoreLease))
                || (op.RequestCase == OpCase.RequestTxn && HasIgnorePut(op.RequestTxn)))
            {
                return true;
            }
        }

        return false;
    }

    private void Walk(TxnRequest request, List<bool> path, ref int position)
    {
        bool succeeded = path[position++];
        foreach (RequestOp op in succeeded ? request.Success : request.Failure)
        {
            switch (op.RequestCase)
            {
                case OpCase.RequestTxn:
                    Walk(op.RequestTxn, path, ref position);
                    break;
                case OpCase.RequestDeleteRange:
                    _effects.Add((op.RequestDeleteRange.Key.ToByteArray(), op.RequestDeleteRange.RangeEnd.ToByteArray(), false));
                    break;
                case OpCase.RequestPut:
                    byte[] key = op.RequestPut.Key.ToByteArray();
                    if ((op.RequestPut.IgnoreValue || op.RequestPut.IgnoreLease) && !IsLive(key))
                    {
                        throw EtcdError.KeyNotFound.ToException();
                    }

                    _effects.Add((key, [], true));
                    break;
            }
        }
    }

    /// <summary>The key's state after the effects so far: the last effect that touched it decides.</summary>
    private bool IsLive(byte[] key)
    {
        for (int i = _effects.Count - 1; i >= 0; i--)
        {
            (byte[] start, byte[] rangeEnd, bool isPut) = _effects[i];
            if (KeyRange.Contains(start, rangeEnd, key))
            {
                return isPut;
            }
        }

        return _liveBefore(key);
    }
}
