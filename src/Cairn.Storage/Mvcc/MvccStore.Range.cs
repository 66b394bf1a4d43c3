using Cairn.Protocol.Etcd;
using SortOrder = Cairn.Protocol.Etcd.RangeRequest.Types.SortOrder;
using SortTarget = Cairn.Protocol.Etcd.RangeRequest.Types.SortTarget;

namespace Cairn.Storage.Mvcc;

/// <summary>Range reads (etcd reference §4.2).</summary>
public sealed partial class MvccStore
{
    /// <summary>
    /// Serves a Range from the latest published state (a serializable read). Thread-safe; never blocks the writer.
    /// Throws <see cref="EtcdException"/> for an empty key, a future or a compacted revision.
    /// </summary>
    public RangeResponse Range(RangeRequest request)
    {
        if (request.Key.IsEmpty)
        {
            throw EtcdError.EmptyKey.ToException();
        }

        using ReadGate.Ticket ticket = EnterRead();
        while (true)
        {
            long current = CurrentRevision;
            IndexNode root = _index.PublishedRoot;
            long readRevision = ResolveReadRevision(request.Revision, current, CompactRevision);
            RangeResponse response = RangeAt(root, readRevision, current, request);
            if (!IsOvertakenByCompaction(readRevision))
            {
                return response;
            }

            // A read of the latest revision is retried on a newer one; a read of an explicit revision that a
            // compaction overtook fails as compacted, as it would had the compaction come first.
            if (request.Revision > 0)
            {
                throw EtcdError.Compacted.ToException();
            }
        }
    }

    /// <summary>etcd's revision rules for reads: &gt; current is a future revision, &lt;= 0 means current, below the
    /// compaction revision is compacted (the compaction revision itself is readable).</summary>
    private static long ResolveReadRevision(long requested, long current, long compactRevision)
    {
        if (requested > current)
        {
            throw EtcdError.FutureRevision.ToException();
        }

        long revision = requested <= 0 ? current : requested;
        if (revision < compactRevision)
        {
            throw EtcdError.Compacted.ToException();
        }

        return revision;
    }

    /// <summary>
    /// Evaluates a Range against one tree at one revision, with etcd's limit/count/filter/sort rules; the header
    /// carries <paramref name="headerRevision"/>.
    /// </summary>
    private RangeResponse RangeAt(IndexNode root, long readRevision, long headerRevision, RangeRequest request)
    {
        bool filtered = request.MinModRevision != 0 || request.MaxModRevision != 0
            || request.MinCreateRevision != 0 || request.MaxCreateRevision != 0;

        // etcd clears the fetch limit only for an explicit sort order or a filter; a non-key sort target with order
        // NONE still fetches limit+1 keys in key order and sorts only those (etcd 3.4/3.5 apply.go).
        long fetchLimit = request.SortOrder != SortOrder.None || filtered ? 0
            : request.Limit > 0 ? request.Limit + 1 : 0;
        SortOrder order = request.SortTarget != SortTarget.Key && request.SortOrder == SortOrder.None
            ? SortOrder.Ascend
            : request.SortOrder;

        // An order that is neither ASCEND nor DESCEND (an unknown enum value) still fetches every key, as any order
        // other than NONE does, but etcd then leaves them in key order.
        bool sorted = order is SortOrder.Ascend or SortOrder.Descend;
        bool includeValue = !request.KeysOnly || (sorted && request.SortTarget == SortTarget.Value);

        var response = new RangeResponse { Header = new ResponseHeader { Revision = headerRevision } };
        var kvs = new List<KeyValue>();
        long count = CollectRange(root, request.Key.Span, request.RangeEnd.Span, readRevision, request.CountOnly, fetchLimit,
            includeValue, kvs);

        if (filtered)
        {
            kvs.RemoveAll(kv => IsFilteredOut(request, kv));
        }

        if (sorted)
        {
            KeyValueSorting.Sort(kvs, request.SortTarget, order);
        }

        if (request.Limit > 0 && kvs.Count > request.Limit)
        {
            kvs.RemoveRange((int)request.Limit, kvs.Count - (int)request.Limit);
            response.More = true;
        }

        if (request.KeysOnly && includeValue)
        {
            foreach (KeyValue kv in kvs)
            {
                kv.Value = Google.Protobuf.ByteString.Empty;
            }
        }

        response.Count = count;
        response.Kvs.AddRange(kvs);
        return response;
    }

    private static bool IsFilteredOut(RangeRequest request, KeyValue kv) =>
        (request.MaxModRevision != 0 && kv.ModRevision > request.MaxModRevision)
        || (request.MinModRevision != 0 && kv.ModRevision < request.MinModRevision)
        || (request.MaxCreateRevision != 0 && kv.CreateRevision > request.MaxCreateRevision)
        || (request.MinCreateRevision != 0 && kv.CreateRevision < request.MinCreateRevision);

    /// <summary>
    /// Counts the keys live at <paramref name="readRevision"/> in the range and adds up to
    /// <paramref name="fetchLimit"/> of them (0 = all) to <paramref name="into"/> unless <paramref name="countOnly"/>.
    /// </summary>
    private long CollectRange(IndexNode root, ReadOnlySpan<byte> key, ReadOnlySpan<byte> rangeEnd, long readRevision,
        bool countOnly, long fetchLimit, bool includeValue, List<KeyValue> into)
    {
        long count = 0;
        if (KeyRange.IsSingleKey(rangeEnd))
        {
            if (KeyIndex.TryFind(root, key, out LeafNode leaf, out int index)
                && TryVisible(Volatile.Read(ref leaf.Histories[index]), readRevision, out int recordIndex))
            {
                count = 1;
                if (!countOnly)
                {
                    into.Add(ToKeyValue(leaf.Keys[index], leaf.Histories[index][recordIndex], includeValue));
                }
            }

            return count;
        }

        var cursor = new IndexCursor();
        cursor.Seek(root, key);
        while (cursor.MoveNext() && !KeyRange.IsPastEnd(rangeEnd, cursor.Key))
        {
            RevisionRecord[] history = cursor.History;
            if (!TryVisible(history, readRevision, out int recordIndex))
            {
                continue;
            }

            count++;
            if (!countOnly && (fetchLimit == 0 || into.Count < fetchLimit))
            {
                into.Add(ToKeyValue(cursor.Key, history[recordIndex], includeValue));
            }
        }

        return count;
    }

    /// <summary>Finds the record of a key visible at a revision: the newest at or below it, unless that is a tombstone.</summary>
    private static bool TryVisible(RevisionRecord[]? history, long revision, out int recordIndex)
    {
        if (history is null)
        {
            recordIndex = -1;
            return false;
        }

        recordIndex = KeyHistory.FindAtOrBefore(history, revision);
        return recordIndex >= 0 && !history[recordIndex].IsTombstone;
    }
}
