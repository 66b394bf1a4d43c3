using Cairn.Protocol.Etcd;

namespace Cairn.Storage.Mvcc;

/// <summary>Reading past changes as watch events (catch-up of watchers that start in the past or fell behind).</summary>
public sealed partial class MvccStore
{
    /// <summary>Builds the watch event for a record: PUT carries the new KeyValue, DELETE only the key and the
    /// deletion revision; prev_kv is the given previous record, if any.</summary>
    internal Event ToEvent(byte[] key, in RevisionRecord record, KeyValue? previous)
    {
        var evt = new Event
        {
            Type = record.IsTombstone ? Event.Types.EventType.Delete : Event.Types.EventType.Put,
            Kv = record.IsTombstone
                ? new KeyValue { Key = Google.Protobuf.UnsafeByteOperations.UnsafeWrap(key), ModRevision = record.ModRevision }
                : ToKeyValue(key, record, includeValue: true),
        };
        if (previous is not null)
        {
            evt.PrevKv = previous;
        }

        return evt;
    }

    /// <summary>
    /// The events for keys in [<paramref name="key"/>, <paramref name="rangeEnd"/>) with revisions from
    /// <paramref name="fromRevision"/> on, in revision then sub-revision order, cut after whole revisions once
    /// <paramref name="maxEvents"/> is reached. Thread-safe.
    /// </summary>
    internal HistoryRead ReadHistory(byte[] key, byte[] rangeEnd, long fromRevision, int maxEvents, EventFilter filter)
    {
        using ReadGate.Ticket ticket = EnterRead();
        long current = CurrentRevision;
        IndexNode root = _index.PublishedRoot;
        long compactRevision = CompactRevision;
        if (fromRevision < compactRevision)
        {
            return HistoryRead.CompactedAt(compactRevision, current);
        }

        var candidates = new List<HistoryCandidate>();
        CollectCandidates(root, key, rangeEnd, fromRevision, current, compactRevision, filter, candidates);
        candidates.Sort(static (a, b) => a.Revision != b.Revision ? a.Revision.CompareTo(b.Revision) : a.Sub.CompareTo(b.Sub));
        int take = WholeRevisionPrefix(candidates, maxEvents);
        long through = take < candidates.Count ? candidates[take - 1].Revision : current;
        var events = new List<Event>(take);
        for (int i = 0; i < take; i++)
        {
            events.Add(CandidateEvent(candidates[i], compactRevision, filter.PrevKv));
        }

        if (IsOvertakenByCompaction(fromRevision))
        {
            return HistoryRead.CompactedAt(Volatile.Read(ref _compactRevision), current);
        }

        return new HistoryRead(events, through, current, Compacted: false, compactRevision);
    }

    private static void CollectCandidates(IndexNode root, byte[] key, byte[] rangeEnd, long fromRevision, long toRevision,
        long compactRevision, EventFilter filter, List<HistoryCandidate> into)
    {
        if (KeyRange.IsSingleKey(rangeEnd))
        {
            if (KeyIndex.TryFind(root, key, out LeafNode leaf, out int index))
            {
                AddCandidates(leaf.Keys[index], Volatile.Read(ref leaf.Histories[index]), fromRevision, toRevision,
                    compactRevision, filter, into);
            }

            return;
        }

        var cursor = new IndexCursor();
        cursor.Seek(root, key);
        while (cursor.MoveNext() && !KeyRange.IsPastEnd(rangeEnd, cursor.Key))
        {
            AddCandidates(cursor.Key, cursor.History, fromRevision, toRevision, compactRevision, filter, into);
        }
    }

    private static void AddCandidates(byte[] key, RevisionRecord[] history, long fromRevision, long toRevision,
        long compactRevision, EventFilter filter, List<HistoryCandidate> into)
    {
        int last = KeyHistory.FindAtOrBefore(history, toRevision);
        for (int i = last; i >= 0 && history[i].ModRevision >= fromRevision; i--)
        {
            bool isDelete = history[i].IsTombstone;
            if ((isDelete ? filter.NoDelete : filter.NoPut) || !KeyHistory.SurvivesCompaction(history, i, compactRevision))
            {
                continue;
            }

            into.Add(new HistoryCandidate(history[i].ModRevision, history[i].SubRevision, key, history, i));
        }
    }

    private static int WholeRevisionPrefix(List<HistoryCandidate> sorted, int maxEvents)
    {
        if (sorted.Count <= maxEvents)
        {
            return sorted.Count;
        }

        int take = maxEvents;
        long boundary = sorted[take - 1].Revision;
        if (sorted[take].Revision != boundary)
        {
            return take;
        }

        // The cut falls inside a revision: stop before it, or take it whole if it is the first one.
        int start = take - 1;
        while (start > 0 && sorted[start - 1].Revision == boundary)
        {
            start--;
        }

        if (start > 0)
        {
            return start;
        }

        int end = take;
        while (end < sorted.Count && sorted[end].Revision == boundary)
        {
            end++;
        }

        return end;
    }

    /// <summary>prev_kv from history: the key's state at revision-1 (etcd reads it there), absent for creations, for
    /// a deleted key, and when revision-1 is compacted.</summary>
    private Event CandidateEvent(in HistoryCandidate candidate, long compactRevision, bool withPrevKv)
    {
        ref readonly RevisionRecord record = ref candidate.History[candidate.Index];
        KeyValue? previous = null;
        int before = KeyHistory.StateBefore(candidate.History, candidate.Index);
        if (withPrevKv && before >= 0 && record.ModRevision > compactRevision && !candidate.History[before].IsTombstone
            && !IsCreation(record))
        {
            previous = ToKeyValue(candidate.Key, candidate.History[before], includeValue: true);
        }

        return ToEvent(candidate.Key, record, previous);
    }

    /// <summary>etcd's IsCreate: a put whose create revision is its mod revision never carries prev_kv.</summary>
    private static bool IsCreation(in RevisionRecord record) => !record.IsTombstone && record.CreateRevision == record.ModRevision;

    private readonly record struct HistoryCandidate(long Revision, int Sub, byte[] Key, RevisionRecord[] History, int Index);
}

/// <summary>Which events a watcher wants.</summary>
internal readonly record struct EventFilter(bool NoPut, bool NoDelete, bool PrevKv);

/// <summary>The result of <see cref="MvccStore.ReadHistory"/>: events up to <see cref="ThroughRevision"/>, or
/// compacted.</summary>
internal readonly record struct HistoryRead(
    List<Event> Events, long ThroughRevision, long HeaderRevision, bool Compacted, long CompactRevision)
{
    public static HistoryRead CompactedAt(long compactRevision, long headerRevision) =>
        new([], 0, headerRevision, Compacted: true, compactRevision);
}
