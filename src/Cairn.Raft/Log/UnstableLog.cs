namespace Cairn.Raft;

/// <summary>
/// The tail of the log that is not yet persisted: entries (and possibly a snapshot) the node accepted but the
/// application has not yet written to storage. Entry i lives at <c>Entries[i - Offset]</c>.
/// </summary>
internal sealed class UnstableLog
{
    /// <summary>A received snapshot not yet persisted (it replaces everything before it).</summary>
    public Snapshot? Snapshot;

    /// <summary>Unpersisted entries, starting at <see cref="Offset"/>.</summary>
    public readonly List<Entry> Entries = [];

    /// <summary>Index of <c>Entries[0]</c>; everything below it is in storage (or in <see cref="Snapshot"/>).</summary>
    public ulong Offset;

    public bool TryGetFirstIndex(out ulong index)
    {
        index = Snapshot is null ? 0 : Snapshot.Index + 1;
        return Snapshot is not null;
    }

    public bool TryGetLastIndex(out ulong index)
    {
        if (Entries.Count > 0)
        {
            index = Offset + (ulong)Entries.Count - 1;
            return true;
        }

        index = Snapshot is null ? 0 : Snapshot.Index;
        return Snapshot is not null;
    }

    public bool TryGetTerm(ulong index, out ulong term)
    {
        term = 0;
        if (index < Offset)
        {
            if (Snapshot is not null && Snapshot.Index == index)
            {
                term = Snapshot.Term;
                return true;
            }

            return false;
        }

        if (!TryGetLastIndex(out ulong last) || index > last)
        {
            return false;
        }

        term = Entries[(int)(index - Offset)].Term;
        return true;
    }

    /// <summary>Marks entries up to <paramref name="index"/> persisted, unless they were replaced meanwhile (the term no longer matches).</summary>
    public void StableTo(ulong index, ulong term)
    {
        if (!TryGetTerm(index, out ulong currentTerm) || currentTerm != term || index < Offset)
        {
            return;
        }

        Entries.RemoveRange(0, (int)(index + 1 - Offset));
        Offset = index + 1;
    }

    public void StableSnapshotTo(ulong index)
    {
        if (Snapshot is not null && Snapshot.Index == index)
        {
            Snapshot = null;
        }
    }

    public void Restore(Snapshot snapshot)
    {
        Offset = snapshot.Index + 1;
        Entries.Clear();
        Snapshot = snapshot;
    }

    /// <summary>Appends entries that follow on directly, or replaces the log from the first new entry's index on.</summary>
    public void TruncateAndAppend(IReadOnlyList<Entry> newEntries, int from)
    {
        ulong firstNew = newEntries[from].Index;
        ulong end = Offset + (ulong)Entries.Count;
        if (firstNew <= Offset)
        {
            // Replaces persisted entries too: storage keeps the stale ones until these are persisted over them.
            Offset = firstNew;
            Entries.Clear();
        }
        else if (firstNew < end)
        {
            Entries.RemoveRange((int)(firstNew - Offset), (int)(end - firstNew));
        }
        else
        {
            Invariant.Check(firstNew == end, "unstable append leaves a gap");
        }

        for (int i = from; i < newEntries.Count; i++)
        {
            Entries.Add(newEntries[i]);
        }
    }

    /// <summary>Adds entries [<paramref name="lowIndex"/>, <paramref name="highIndexExclusive"/>) to <paramref name="destination"/>.</summary>
    public void CopyTo(ulong lowIndex, ulong highIndexExclusive, List<Entry> destination)
    {
        Invariant.Check(lowIndex >= Offset && highIndexExclusive <= Offset + (ulong)Entries.Count && lowIndex <= highIndexExclusive,
            "unstable slice out of range");
        for (ulong index = lowIndex; index < highIndexExclusive; index++)
        {
            destination.Add(Entries[(int)(index - Offset)]);
        }
    }
}
