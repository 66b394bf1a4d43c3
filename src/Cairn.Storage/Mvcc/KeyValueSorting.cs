using Cairn.Protocol.Etcd;
using SortOrder = Cairn.Protocol.Etcd.RangeRequest.Types.SortOrder;
using SortTarget = Cairn.Protocol.Etcd.RangeRequest.Types.SortTarget;

namespace Cairn.Storage.Mvcc;

/// <summary>
/// Sorts Range results by etcd's sort targets. Keys that tie on the target stay in ascending key order in both
/// directions: etcd sorts the key-ordered range with Go's sort.Sort (sort.Reverse for DESCEND), which for the small
/// results it sorts by insertion keeps ties where they were; the order is fully determined either way.
/// </summary>
internal static class KeyValueSorting
{
    private static readonly Comparison<KeyValue> ByKey = (a, b) => a.Key.Span.SequenceCompareTo(b.Key.Span);
    private static readonly Comparison<KeyValue> ByVersion = (a, b) => a.Version.CompareTo(b.Version);
    private static readonly Comparison<KeyValue> ByCreate = (a, b) => a.CreateRevision.CompareTo(b.CreateRevision);
    private static readonly Comparison<KeyValue> ByMod = (a, b) => a.ModRevision.CompareTo(b.ModRevision);
    private static readonly Comparison<KeyValue> ByValue = (a, b) => a.Value.Span.SequenceCompareTo(b.Value.Span);

    /// <summary>Sorts in place by <paramref name="target"/>, ascending or descending.</summary>
    public static void Sort(List<KeyValue> kvs, SortTarget target, SortOrder order)
    {
        Comparison<KeyValue> primary = target switch
        {
            SortTarget.Version => ByVersion,
            SortTarget.Create => ByCreate,
            SortTarget.Mod => ByMod,
            SortTarget.Value => ByValue,
            _ => ByKey,
        };
        int direction = order == SortOrder.Descend ? -1 : 1;
        kvs.Sort((a, b) =>
        {
            int byTarget = direction * primary(a, b);
            return byTarget != 0 ? byTarget : ByKey(a, b);
        });
    }
}
