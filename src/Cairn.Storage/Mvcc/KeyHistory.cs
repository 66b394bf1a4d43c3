namespace Cairn.Storage.Mvcc;

/// <summary>
/// Operations on one key's history: an array of <see cref="RevisionRecord"/> in increasing
/// <see cref="RevisionRecord.ModRevision"/> order, followed by unused slots (ModRevision 0) that later appends fill
/// in place. Readers treat unused slots as "newer than anything", so the populated prefix can be binary searched.
/// </summary>
internal static class KeyHistory
{
    /// <summary>
    /// Index of the newest record with <c>0 &lt; ModRevision &lt;= revision</c>, or -1 if none. Safe to call
    /// concurrently with an append to the same array.
    /// </summary>
    public static int FindAtOrBefore(RevisionRecord[] history, long revision)
    {
        int low = 0;
        int high = history.Length - 1;
        int found = -1;
        while (low <= high)
        {
            int mid = (low + high) >>> 1;
            long mod = Volatile.Read(ref history[mid].ModRevision);
            if (mod != 0 && mod <= revision)
            {
                found = mid;
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }

        return found;
    }

    /// <summary>Number of populated records (writer side: no concurrent appends).</summary>
    public static int Count(RevisionRecord[] history)
    {
        int last = FindAtOrBefore(history, long.MaxValue);
        return last + 1;
    }

    /// <summary>
    /// True if the record at <paramref name="index"/> survives a compaction at <paramref name="compactRevision"/>:
    /// every record newer than the compaction revision survives; of the older ones only the newest survives, and
    /// only if it is not a tombstone (etcd's keyIndex.compact / Keep rule).
    /// </summary>
    public static bool SurvivesCompaction(RevisionRecord[] history, int index, long compactRevision)
    {
        ref readonly RevisionRecord record = ref history[index];
        if (record.ModRevision > compactRevision)
        {
            return true;
        }

        if (record.IsTombstone)
        {
            return false;
        }

        int next = index + 1;
        return next >= history.Length
            || Volatile.Read(ref history[next].ModRevision) is 0
            || history[next].ModRevision > compactRevision;
    }

    /// <summary>Index of the first record that survives a compaction at <paramref name="compactRevision"/>.</summary>
    public static int FirstSurvivor(RevisionRecord[] history, long compactRevision)
    {
        int lastAtOrBefore = FindAtOrBefore(history, compactRevision);
        if (lastAtOrBefore < 0)
        {
            return 0;
        }

        return history[lastAtOrBefore].IsTombstone ? lastAtOrBefore + 1 : lastAtOrBefore;
    }

    /// <summary>
    /// Appends a record, in place when there is a free slot, else into a larger copy (growth 1.5x, which keeps
    /// the unused tail small for keys with a few revisions). Returns the array that now holds the record.
    /// </summary>
    public static RevisionRecord[] Append(RevisionRecord[]? history, in RevisionRecord record)
    {
        if (history is null)
        {
            var fresh = new RevisionRecord[1];
            Publish(fresh, 0, record);
            return fresh;
        }

        int count = Count(history);
        Invariant.Check(
            count == 0 || IsBefore(history[count - 1], record),
            "a key's revisions must be appended in increasing (revision, sub-revision) order");
        if (count < history.Length)
        {
            Publish(history, count, record);
            return history;
        }

        var grown = new RevisionRecord[count + Math.Max(1, count / 2)];
        Array.Copy(history, grown, count);
        Publish(grown, count, record);
        return grown;
    }

    /// <summary>
    /// Index of the newest record strictly before the main revision of the record at <paramref name="index"/>: the
    /// key's state at revision-1, which is what etcd reports as an event's prev_kv. A key changes at most once per
    /// revision except when a txn deletes a "from key" range and puts a key inside it (etcd allows that), so this
    /// usually is <paramref name="index"/> - 1.
    /// </summary>
    public static int StateBefore(RevisionRecord[] history, int index)
    {
        long revision = history[index].ModRevision;
        int before = index - 1;
        while (before >= 0 && history[before].ModRevision == revision)
        {
            before--;
        }

        return before;
    }

    private static bool IsBefore(in RevisionRecord earlier, in RevisionRecord later) =>
        earlier.ModRevision < later.ModRevision
        || (earlier.ModRevision == later.ModRevision && earlier.SubRevision < later.SubRevision);

    /// <summary>Writes every field of the slot, then its ModRevision with release semantics (see type remarks).</summary>
    private static void Publish(RevisionRecord[] history, int slot, in RevisionRecord record)
    {
        ref RevisionRecord target = ref history[slot];
        target.CreateRevision = record.CreateRevision;
        target.Version = record.Version;
        target.Lease = record.Lease;
        target.ValueRef = record.ValueRef;
        target.SubRevision = record.SubRevision;
        target.ValueLength = record.ValueLength;
        Volatile.Write(ref target.ModRevision, record.ModRevision);
    }

    /// <summary>
    /// Every record of the tree under <paramref name="root"/> that a reader at <paramref name="revision"/> still sees
    /// after a compaction at <paramref name="compactRevision"/>, in key order, then revision order: what a hash or an
    /// export of the state covers.
    /// </summary>
    public static IEnumerable<(byte[] Key, RevisionRecord Record)> Surviving(IndexNode root, long revision, long compactRevision)
    {
        var cursor = new IndexCursor();
        cursor.Seek(root, []);
        while (cursor.MoveNext())
        {
            RevisionRecord[] history = cursor.History;
            int last = FindAtOrBefore(history, revision);
            for (int i = 0; i <= last; i++)
            {
                if (SurvivesCompaction(history, i, compactRevision))
                {
                    yield return (cursor.Key, history[i]);
                }
            }
        }
    }
}
