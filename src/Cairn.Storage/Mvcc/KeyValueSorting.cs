using Cairn.Protocol.Etcd;
using SortOrder = Cairn.Protocol.Etcd.RangeRequest.Types.SortOrder;
using SortTarget = Cairn.Protocol.Etcd.RangeRequest.Types.SortTarget;

namespace Cairn.Storage.Mvcc;

/// <summary>
/// Sorts Range results by etcd's sort targets. Ties are broken by key (ascending for ASCEND, descending for DESCEND)
/// so the order is fully determined; etcd's Go sort leaves tie order unspecified.
/// </summary>
internal static class KeyValueSorting
{
    private static readonly Comparison<KeyValue> ByKey = (a, b) => a.Key.Span.SequenceCompareTo(b.Key.Span);
    private static readonly Comparison<KeyValue> ByVersion = (a, b) => Tie(a.Version.CompareTo(b.Version), a, b);
    private static readonly Comparison<KeyValue> ByCreate = (a, b) => Tie(a.CreateRevision.CompareTo(b.CreateRevision), a, b);
    private static readonly Comparison<KeyValue> ByMod = (a, b) => Tie(a.ModRevision.CompareTo(b.ModRevision), a, b);
    private static readonly Comparison<KeyValue> ByValue = (a, b) => Tie(a.Value.Span.SequenceCompareTo(b.Value.Span), a, b);

    /// <summary>Sorts in place by <paramref name="target"/>, ascending or descending.</summary>
    public static void Sort(List<KeyValue> kvs, SortTarget target, SortOrder order)
    {
        Comparison<KeyValue> comparison = target switch
        {
            SortTarget.Version => ByVersion,
            SortTarget.Create => ByCreate,
            SortTarget.Mod => ByMod,
            SortTarget.Value => ByValue,
            _ => ByKey,
        };
        if (order == SortOrder.Descend)
        {
            kvs.Sort((a, b) => comparison(b, a));
        }
        else
        {
            kvs.Sort(comparison);
        }
    }

    private static int Tie(int primary, KeyValue a, KeyValue b) =>
        primary != 0 ? primary : a.Key.Span.SequenceCompareTo(b.Key.Span);
}
