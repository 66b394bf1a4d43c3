using Cairn.Protocol.Etcd;
using Google.Protobuf;
using CompareResult = Cairn.Protocol.Etcd.Compare.Types.CompareResult;
using CompareTarget = Cairn.Protocol.Etcd.Compare.Types.CompareTarget;
using OpCase = Cairn.Protocol.Etcd.RequestOp.RequestOneofCase;
using UnionCase = Cairn.Protocol.Etcd.Compare.TargetUnionOneofCase;

namespace Cairn.Storage.Tests.Model;

/// <summary>The model's writes: Put, DeleteRange, Txn.</summary>
public sealed partial class ReferenceModel
{
    public PutResponse Put(PutRequest request)
    {
        CheckPutFields(request);
        if (request.Lease != 0 && !_leases.ContainsKey(request.Lease))
        {
            throw EtcdError.LeaseNotFound.ToException();
        }

        var write = new WriteContext(this);
        PutResponse response = write.Put(request);
        write.Commit();
        return response;
    }

    public DeleteRangeResponse DeleteRange(DeleteRangeRequest request)
    {
        if (request.Key.IsEmpty)
        {
            throw EtcdError.EmptyKey.ToException();
        }

        var write = new WriteContext(this);
        DeleteRangeResponse response = write.DeleteRange(request);
        write.Commit();
        return response;
    }

    public TxnResponse Txn(TxnRequest txn)
    {
        CheckTxnShape(txn);
        CheckNoDuplicates(txn.Success);
        CheckNoDuplicates(txn.Failure);
        var path = new List<bool>();
        ChoosePath(txn, path);
        bool isWrite = txn.Success.Concat(txn.Failure).Any(op => op.RequestCase != OpCase.RequestRange);
        int position = 0;
        if (isWrite)
        {
            CheckChosenPuts(txn, path, ref position);
        }

        position = 0;
        CheckChosenRanges(txn, path, ref position);
        // A txn applies entirely or not at all: an op that fails mid-way (an ignore_* put whose key an earlier
        // "from key" delete removed; etcd panics there) rejects the whole txn.
        int recordCount = _records.Count;
        var leases = _leases.ToDictionary(l => l.Key, l => (l.Value.Ttl, new SortedSet<string>(l.Value.Keys, StringComparer.Ordinal)));
        try
        {
            var write = new WriteContext(this);
            position = 0;
            TxnResponse response = Execute(txn, path, ref position, write);
            response.Header = new ResponseHeader { Revision = write.ReadRevision };
            write.Commit();
            return response;
        }
        catch (EtcdException)
        {
            _records.RemoveRange(recordCount, _records.Count - recordCount);
            _leases.Clear();
            foreach (var lease in leases)
            {
                _leases.Add(lease.Key, lease.Value);
            }

            throw;
        }
    }

    private static void CheckPutFields(PutRequest put)
    {
        if (put.Key.IsEmpty)
        {
            throw EtcdError.EmptyKey.ToException();
        }

        if (put.IgnoreValue && !put.Value.IsEmpty)
        {
            throw EtcdError.ValueProvided.ToException();
        }

        if (put.IgnoreLease && put.Lease != 0)
        {
            throw EtcdError.LeaseProvided.ToException();
        }
    }

    private void CheckTxnShape(TxnRequest txn)
    {
        if (txn.Compare.Count > MaxTxnOps || txn.Success.Count > MaxTxnOps || txn.Failure.Count > MaxTxnOps)
        {
            throw EtcdError.TooManyOps.ToException();
        }

        if (txn.Compare.Any(c => c.Key.IsEmpty))
        {
            throw EtcdError.EmptyKey.ToException();
        }

        foreach (RequestOp op in txn.Success.Concat(txn.Failure))
        {
            switch (op.RequestCase)
            {
                case OpCase.RequestRange when op.RequestRange.Key.IsEmpty:
                case OpCase.RequestDeleteRange when op.RequestDeleteRange.Key.IsEmpty:
                    throw EtcdError.EmptyKey.ToException();
                case OpCase.RequestPut:
                    CheckPutFields(op.RequestPut);
                    break;
                case OpCase.RequestTxn:
                    CheckTxnShape(op.RequestTxn);
                    break;
                case OpCase.None:
                    throw EtcdError.KeyNotFound.ToException();
            }
        }
    }

    /// <summary>Puts of a branch (recursively) with the intervals deleted; throws on a conflict.</summary>
    private static (HashSet<string> Puts, List<(string Begin, string? End)> Deletes) CheckNoDuplicates(IList<RequestOp> ops)
    {
        var deletes = ops.Where(o => o.RequestCase == OpCase.RequestDeleteRange)
            .Select(o => (Str(o.RequestDeleteRange.Key), o.RequestDeleteRange.RangeEnd.IsEmpty ? null : Str(o.RequestDeleteRange.RangeEnd)))
            .ToList();
        bool Deleted(string key) => deletes.Any(d => d.Item2 is null
            ? d.Item1 == key
            : string.CompareOrdinal(d.Item1, key) <= 0 && string.CompareOrdinal(key, d.Item2) < 0);
        var puts = new HashSet<string>();
        foreach (RequestOp op in ops.Where(o => o.RequestCase == OpCase.RequestTxn))
        {
            var then = CheckNoDuplicates(op.RequestTxn.Success);
            var otherwise = CheckNoDuplicates(op.RequestTxn.Failure);
            foreach (string key in then.Puts)
            {
                if (puts.Contains(key) || Deleted(key))
                {
                    throw EtcdError.DuplicateKey.ToException();
                }

                puts.Add(key);
            }

            foreach (string key in otherwise.Puts)
            {
                if ((puts.Contains(key) && !then.Puts.Contains(key)) || Deleted(key))
                {
                    throw EtcdError.DuplicateKey.ToException();
                }

                puts.Add(key);
            }

            deletes.AddRange(then.Deletes);
            deletes.AddRange(otherwise.Deletes);
        }

        foreach (RequestOp op in ops.Where(o => o.RequestCase == OpCase.RequestPut))
        {
            string key = Str(op.RequestPut.Key);
            if (!puts.Add(key) || Deleted(key))
            {
                throw EtcdError.DuplicateKey.ToException();
            }
        }

        return (puts, deletes);
    }

    private void ChoosePath(TxnRequest txn, List<bool> path)
    {
        bool succeeded = txn.Compare.All(Holds);
        path.Add(succeeded);
        foreach (RequestOp op in succeeded ? txn.Success : txn.Failure)
        {
            if (op.RequestCase == OpCase.RequestTxn)
            {
                ChoosePath(op.RequestTxn, path);
            }
        }
    }

    private bool Holds(Compare compare)
    {
        List<Rec> recs = KeysIn(Str(compare.Key), Str(compare.RangeEnd)).Select(k => Live(k, Current)).OfType<Rec>().ToList();
        if (recs.Count == 0)
        {
            return compare.Target != CompareTarget.Value && Check(compare, null);
        }

        return recs.All(r => Check(compare, r));
    }

    private static bool Check(Compare compare, Rec? rec)
    {
        long Number(UnionCase union, long value) => compare.TargetUnionCase == union ? value : 0;
        int result = compare.Target switch
        {
            CompareTarget.Value => Math.Sign(string.CompareOrdinal(rec is null ? "" : System.Text.Encoding.Latin1.GetString(rec.Value),
                compare.TargetUnionCase == UnionCase.Value ? Str(compare.Value) : "")),
            CompareTarget.Version => (rec?.Version ?? 0).CompareTo(Number(UnionCase.Version, compare.Version)),
            CompareTarget.Create => (rec?.Create ?? 0).CompareTo(Number(UnionCase.CreateRevision, compare.CreateRevision)),
            CompareTarget.Mod => (rec?.Mod ?? 0).CompareTo(Number(UnionCase.ModRevision, compare.ModRevision)),
            CompareTarget.Lease => (rec?.Lease ?? 0).CompareTo(Number(UnionCase.Lease, compare.Lease)),
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

    private void CheckChosenPuts(TxnRequest txn, List<bool> path, ref int position)
    {
        bool succeeded = path[position++];
        foreach (RequestOp op in succeeded ? txn.Success : txn.Failure)
        {
            if (op.RequestCase == OpCase.RequestTxn)
            {
                CheckChosenPuts(op.RequestTxn, path, ref position);
            }
            else if (op.RequestCase == OpCase.RequestPut)
            {
                PutRequest put = op.RequestPut;
                if ((put.IgnoreLease || put.IgnoreValue) && Live(Str(put.Key), Current) is null)
                {
                    throw EtcdError.KeyNotFound.ToException();
                }

                if (put.Lease != 0 && !_leases.ContainsKey(put.Lease))
                {
                    throw EtcdError.LeaseNotFound.ToException();
                }
            }
        }
    }

    private void CheckChosenRanges(TxnRequest txn, List<bool> path, ref int position)
    {
        bool succeeded = path[position++];
        foreach (RequestOp op in succeeded ? txn.Success : txn.Failure)
        {
            if (op.RequestCase == OpCase.RequestTxn)
            {
                CheckChosenRanges(op.RequestTxn, path, ref position);
            }
            else if (op.RequestCase == OpCase.RequestRange && op.RequestRange.Revision != 0)
            {
                if (op.RequestRange.Revision > Current)
                {
                    throw EtcdError.FutureRevision.ToException();
                }

                if (op.RequestRange.Revision < Compacted)
                {
                    throw EtcdError.Compacted.ToException();
                }
            }
        }
    }

    private TxnResponse Execute(TxnRequest txn, List<bool> path, ref int position, WriteContext write)
    {
        bool succeeded = path[position++];
        var response = new TxnResponse { Succeeded = succeeded, Header = new ResponseHeader() };
        foreach (RequestOp op in succeeded ? txn.Success : txn.Failure)
        {
            response.Responses.Add(op.RequestCase switch
            {
                OpCase.RequestRange => new ResponseOp { ResponseRange = RangeAt(op.RequestRange, write.ReadRevision) },
                OpCase.RequestPut => new ResponseOp { ResponsePut = write.Put(op.RequestPut) },
                OpCase.RequestDeleteRange => new ResponseOp { ResponseDeleteRange = write.DeleteRange(op.RequestDeleteRange) },
                _ => new ResponseOp { ResponseTxn = Execute(op.RequestTxn, path, ref position, write) },
            });
        }

        return response;
    }

    /// <summary>One write transaction of the model: everything it writes gets the same pending revision.</summary>
    private sealed class WriteContext(ReferenceModel model)
    {
        private int _changes;

        private long Pending => model.Current + 1;

        public long ReadRevision => _changes > 0 ? Pending : model.Current;

        public PutResponse Put(PutRequest request)
        {
            string key = Str(request.Key);
            Rec? previous = model.Live(key, long.MaxValue);
            if ((request.IgnoreValue || request.IgnoreLease) && previous is null)
            {
                throw EtcdError.KeyNotFound.ToException();
            }

            var response = new PutResponse { Header = new ResponseHeader { Revision = Pending } };
            if (request.PrevKv && previous is not null)
            {
                response.PrevKv = ToKv(previous);
            }

            byte[] value = request.IgnoreValue ? previous!.Value : request.Value.ToByteArray();
            long lease = request.IgnoreLease ? previous!.Lease : request.Lease;
            model._records.Add(new Rec(key, Pending, _changes++, previous?.Create ?? Pending, (previous?.Version ?? 0) + 1, lease, value, false));
            if ((previous?.Lease ?? 0) != lease)
            {
                Detach(previous?.Lease ?? 0, key);
                if (lease != 0)
                {
                    model._leases[lease].Keys.Add(key);
                }
            }

            return response;
        }

        public DeleteRangeResponse DeleteRange(DeleteRangeRequest request)
        {
            var response = new DeleteRangeResponse { Header = new ResponseHeader() };
            foreach (string key in model.KeysIn(Str(request.Key), Str(request.RangeEnd)).ToList())
            {
                Rec? previous = model.Live(key, long.MaxValue);
                if (previous is not null)
                {
                    if (request.PrevKv)
                    {
                        response.PrevKvs.Add(ToKv(previous));
                    }

                    DeleteKey(key);
                    response.Deleted++;
                }
            }

            response.Header.Revision = ReadRevision;
            return response;
        }

        public void DeleteKey(string key)
        {
            Rec? previous = model.Live(key, long.MaxValue);
            if (previous is null)
            {
                return;
            }

            model._records.Add(new Rec(key, Pending, _changes++, 0, 0, 0, [], true));
            Detach(previous.Lease, key);
        }

        public void Commit()
        {
            if (_changes > 0)
            {
                model.Current = Pending;
            }
        }

        private void Detach(long lease, string key)
        {
            if (lease != 0 && model._leases.TryGetValue(lease, out var entry))
            {
                entry.Keys.Remove(key);
            }
        }
    }
}
