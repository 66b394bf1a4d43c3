using System.Text;
using Cairn.Protocol.Etcd;
using Cairn.Protocol.Internal;
using Google.Protobuf;
using CompareResult = Cairn.Protocol.Etcd.Compare.Types.CompareResult;
using CompareTarget = Cairn.Protocol.Etcd.Compare.Types.CompareTarget;
using SortOrder = Cairn.Protocol.Etcd.RangeRequest.Types.SortOrder;
using SortTarget = Cairn.Protocol.Etcd.RangeRequest.Types.SortTarget;

namespace Cairn.Storage.Tests.Model;

/// <summary>Random etcd requests over a small key space, so operations collide often.</summary>
public sealed class OperationGenerator(Random random, ReferenceModel model)
{
    private static readonly string[] KeySpace = ["a", "b", "c", "d", "p/a", "p/b", "p/c", "q", "\u00ff", "a\u00ff"];
    private static readonly string[] Values = ["", "x", "y", "zz", "value-long-enough-to-matter"];

    public static ByteString B(string text) => ByteString.CopyFrom(Encoding.Latin1.GetBytes(text));

    private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private string Key() => Pick(KeySpace);

    private string RangeEnd(string key) => random.Next(5) switch
    {
        0 => "\0",
        1 => Encoding.Latin1.GetString(Cairn.Storage.Mvcc.KeyRange.PrefixEnd(Encoding.Latin1.GetBytes(key))),
        2 => Key(),
        _ => "",
    };

    private long Revision() => random.Next(3) == 0 ? 0 : random.NextInt64(Math.Max(-1, model.Compacted - 2), model.Current + 3);

    /// <summary>A varied run of <paramref name="count"/> steps: a put each, plus a delete every 7th and a one-level txn
    /// every 5th step (keys overwritten and deleted often).</summary>
    public IEnumerable<InternalRequest> MixedWrites(int count)
    {
        for (int i = 0; i < count; i++)
        {
            yield return new InternalRequest { Put = Put() };
            if (i % 7 == 0)
            {
                yield return new InternalRequest { DeleteRange = Delete() };
            }

            if (i % 5 == 0)
            {
                yield return new InternalRequest { Txn = Txn(depth: 0) };
            }
        }
    }

    public InternalRequest NextWrite() => random.Next(100) switch
    {
        < 35 => new InternalRequest { Put = Put() },
        < 45 => new InternalRequest { DeleteRange = Delete() },
        < 75 => new InternalRequest { Txn = Txn(depth: 0) },
        < 81 => new InternalRequest { Compaction = new CompactionRequest { Revision = random.NextInt64(model.Compacted - 1, model.Current + 2) } },
        < 92 => new InternalRequest { LeaseGrant = new LeaseGrantRequest { ID = random.Next(0, 6), TTL = random.Next(-1, 12) } },
        _ => new InternalRequest { LeaseRevoke = new LeaseRevokeRequest { ID = random.Next(1, 7) } },
    };

    public PutRequest Put()
    {
        var put = new PutRequest { Key = B(Key()), Value = B(Pick(Values)), PrevKv = random.Next(2) == 0 };
        if (random.Next(4) == 0)
        {
            put.Lease = random.Next(1, 7);
        }

        if (random.Next(10) == 0)
        {
            put.IgnoreValue = true;
            put.Value = ByteString.Empty;
        }

        if (random.Next(10) == 0)
        {
            put.IgnoreLease = true;
            put.Lease = 0;
        }

        return put;
    }

    public DeleteRangeRequest Delete()
    {
        string key = Key();
        return new DeleteRangeRequest { Key = B(key), RangeEnd = B(RangeEnd(key)), PrevKv = random.Next(2) == 0 };
    }

    public RangeRequest Range()
    {
        string key = Key();
        var range = new RangeRequest { Key = B(key), RangeEnd = B(RangeEnd(key)), Revision = Revision() };
        if (random.Next(3) == 0)
        {
            range.Limit = random.Next(-1, 4);
        }

        if (random.Next(4) == 0)
        {
            range.SortOrder = (SortOrder)random.Next(3);
            range.SortTarget = (SortTarget)random.Next(5);
        }

        range.KeysOnly = random.Next(6) == 0;
        range.CountOnly = random.Next(8) == 0;
        if (random.Next(6) == 0)
        {
            range.MinModRevision = random.Next(0, (int)model.Current + 1);
            range.MaxCreateRevision = random.Next(0, (int)model.Current + 1);
        }

        return range;
    }

    public TxnRequest Txn(int depth)
    {
        var txn = new TxnRequest();
        for (int i = random.Next(4); i > 0; i--)
        {
            txn.Compare.Add(Compare());
        }

        AddOps(txn.Success, depth);
        AddOps(txn.Failure, depth);
        return txn;
    }

    public TxnRequest ReadOnlyTxn()
    {
        var txn = new TxnRequest();
        txn.Compare.Add(Compare());
        txn.Success.Add(new RequestOp { RequestRange = Range() });
        txn.Failure.Add(new RequestOp { RequestRange = Range() });
        return txn;
    }

    private void AddOps(Google.Protobuf.Collections.RepeatedField<RequestOp> ops, int depth)
    {
        for (int i = random.Next(4); i > 0; i--)
        {
            ops.Add(random.Next(10) switch
            {
                < 4 => new RequestOp { RequestPut = Put() },
                < 6 => new RequestOp { RequestDeleteRange = Delete() },
                < 9 => new RequestOp { RequestRange = Range() },
                _ when depth < 2 => new RequestOp { RequestTxn = Txn(depth + 1) },
                _ => new RequestOp(),
            });
        }
    }

    private Compare Compare()
    {
        string key = Key();
        var compare = new Compare
        {
            Key = B(key), Target = (CompareTarget)random.Next(5), Result = (CompareResult)random.Next(4),
        };
        if (random.Next(4) == 0)
        {
            compare.RangeEnd = B(RangeEnd(key));
        }

        switch (random.Next(6))
        {
            case 0: compare.Version = random.Next(0, 4); break;
            case 1: compare.CreateRevision = random.NextInt64(0, model.Current + 1); break;
            case 2: compare.ModRevision = random.NextInt64(0, model.Current + 1); break;
            case 3: compare.Value = B(Pick(Values)); break;
            case 4: compare.Lease = random.Next(0, 4); break;
        }

        return compare;
    }
}
