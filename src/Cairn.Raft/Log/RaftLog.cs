namespace Cairn.Raft;

/// <summary>
/// A node's view of the replicated log: the persisted part in <see cref="IRaftStorage"/> followed by the
/// <see cref="UnstableLog"/>, plus the commit and apply positions.
/// </summary>
/// <remarks>
/// Positions only move forward: <c>Applied ≤ Applying ≤ Committed ≤ LastIndex</c>. Entries at or below
/// <see cref="Committed"/> are never replaced. Both are checked on every change (always-on invariants).
/// </remarks>
internal sealed class RaftLog
{
    private readonly IRaftStorage storage;
    private readonly ulong maxCommittedBytesPerReady;
    private readonly List<Entry> scratch = [];

    public RaftLog(IRaftStorage storage, ulong maxCommittedBytesPerReady)
    {
        this.storage = storage;
        this.maxCommittedBytesPerReady = maxCommittedBytesPerReady;
        ulong first = storage.FirstIndex();
        ulong last = storage.LastIndex();
        Unstable.Offset = last + 1;
        Committed = first - 1;
        Applied = first - 1;
        Applying = first - 1;
    }

    public UnstableLog Unstable { get; } = new();

    /// <summary>The highest index known to be committed.</summary>
    public ulong Committed { get; private set; }

    /// <summary>The highest index the application has applied (and acknowledged with Advance).</summary>
    public ulong Applied { get; private set; }

    /// <summary>The highest index handed to the application for applying (Applied until the current Ready is advanced).</summary>
    public ulong Applying { get; private set; }

    public ulong FirstIndex() => Unstable.TryGetFirstIndex(out ulong index) ? index : storage.FirstIndex();

    public ulong LastIndex() => Unstable.TryGetLastIndex(out ulong index) ? index : storage.LastIndex();

    public ulong LastTerm()
    {
        StorageLookup lookup = TryGetTerm(LastIndex(), out ulong term);
        Invariant.Check(lookup == StorageLookup.Ok, "the term of the last log entry is unavailable");
        return term;
    }

    /// <summary>The last index that is both persisted and part of this log (entries in storage past it are stale).</summary>
    public ulong LastStableIndex()
    {
        if (Unstable.Snapshot is not null)
        {
            return 0;
        }

        return Unstable.Entries.Count > 0 ? Unstable.Offset - 1 : storage.LastIndex();
    }

    /// <summary>The term of the entry at <paramref name="index"/>; valid for [FirstIndex-1, LastIndex].</summary>
    public StorageLookup TryGetTerm(ulong index, out ulong term)
    {
        if (Unstable.TryGetTerm(index, out term))
        {
            return StorageLookup.Ok;
        }

        if (index + 1 < FirstIndex())
        {
            return StorageLookup.Compacted;
        }

        if (index > LastIndex())
        {
            return StorageLookup.Unavailable;
        }

        StorageLookup lookup = storage.TryGetTerm(index, out term);
        if (lookup == StorageLookup.Unavailable)
        {
            throw Invariant.Violated($"storage has no term for index {index} inside its range [{storage.FirstIndex() - 1}, {storage.LastIndex()}]");
        }

        return lookup;
    }

    /// <summary>The term at <paramref name="index"/>, or 0 when it is compacted or past the end.</summary>
    public ulong TermOrZero(ulong index) => TryGetTerm(index, out ulong term) == StorageLookup.Ok ? term : 0;

    public bool MatchTerm(ulong index, ulong term) => TryGetTerm(index, out ulong actual) == StorageLookup.Ok && actual == term;

    /// <summary>Raft's "at least as up-to-date" rule (§5.4.1): a later last term wins, then a longer log.</summary>
    public bool IsUpToDate(ulong lastIndex, ulong lastTerm)
    {
        ulong ourTerm = LastTerm();
        return lastTerm > ourTerm || (lastTerm == ourTerm && lastIndex >= LastIndex());
    }

    /// <summary>
    /// Appends leader entries after (<paramref name="index"/>, <paramref name="logTerm"/>) if this log matches there,
    /// replacing any conflicting suffix, and commits up to min(<paramref name="leaderCommit"/>, last new index).
    /// </summary>
    public bool TryAppend(ulong index, ulong logTerm, ulong leaderCommit, IReadOnlyList<Entry> entries, out ulong lastNewIndex)
    {
        lastNewIndex = 0;
        if (!MatchTerm(index, logTerm))
        {
            return false;
        }

        lastNewIndex = index + (ulong)entries.Count;
        ulong conflict = FindConflict(entries);
#if RAFT_MUTATIONS
        if (KeepConflictingSuffix && conflict != 0 && conflict <= LastIndex())
        {
            // Planted bug: keep the conflicting suffix and add only what lies past our end.
            conflict = LastIndex() + 1 <= lastNewIndex ? LastIndex() + 1 : 0;
        }
#endif

        if (conflict != 0)
        {
            if (conflict <= Committed)
            {
                throw Invariant.Violated($"entry {conflict} conflicts with the committed log (committed {Committed})");
            }

            AppendFrom(entries, (int)(conflict - (index + 1)));
        }

        CommitTo(Math.Min(leaderCommit, lastNewIndex));
        return true;
    }

    /// <summary>Appends entries that start right after the last index or replace an uncommitted suffix.</summary>
    public ulong Append(IReadOnlyList<Entry> entries)
    {
        if (entries.Count == 0)
        {
            return LastIndex();
        }

        AppendFrom(entries, 0);
        return LastIndex();
    }

    private void AppendFrom(IReadOnlyList<Entry> entries, int from)
    {
        ulong first = entries[from].Index;
        if (first - 1 < Committed)
        {
            throw Invariant.Violated($"appending entry {first} below the commit index {Committed}");
        }

        if (first > LastIndex() + 1)
        {
            throw Invariant.Violated($"appending entry {first} leaves a gap after the last index {LastIndex()}");
        }

        Unstable.TruncateAndAppend(entries, from);
    }

    /// <summary>The index of the first entry whose term differs from this log (or lies past its end); 0 when all match.</summary>
    public ulong FindConflict(IReadOnlyList<Entry> entries)
    {
        for (int i = 0; i < entries.Count; i++)
        {
            if (!MatchTerm(entries[i].Index, entries[i].Term))
            {
                return entries[i].Index;
            }
        }

        return 0;
    }

    /// <summary>
    /// The largest index ≤ <paramref name="index"/> whose term is ≤ <paramref name="term"/>, with that term: the
    /// conflict hint that lets a leader skip a whole term of mismatching entries per round trip.
    /// </summary>
    public (ulong Index, ulong Term) FindConflictByTerm(ulong index, ulong term)
    {
        while (true)
        {
            StorageLookup lookup = TryGetTerm(index, out ulong ourTerm);
            if (lookup != StorageLookup.Ok)
            {
                return (index, 0);
            }

            if (ourTerm <= term)
            {
                return (index, ourTerm);
            }

            index--;
        }
    }

    public void CommitTo(ulong index)
    {
        if (index <= Committed)
        {
            return; // never move backwards; a lower value from a stale message is simply not news
        }

        if (index > LastIndex())
        {
            throw Invariant.Violated($"commit index {index} is past the last index {LastIndex()}: the log was truncated or lost");
        }

        Committed = index;
    }

    /// <summary>Commits <paramref name="index"/> if it is newer and its entry is from <paramref name="term"/> (§5.4.2).</summary>
    public bool MaybeCommit(ulong index, ulong term)
    {
        if (index > Committed && MatchTerm(index, term))
        {
            CommitTo(index);
            return true;
        }

        return false;
    }

#if RAFT_MUTATIONS
    /// <summary>Planted bug: keep a conflicting suffix (see RaftMutation.KeepConflictingSuffix).</summary>
    public bool KeepConflictingSuffix;

    /// <summary>Planted bug: commit whatever the entry's term (see RaftMutation.CommitOldTermByCounting).</summary>
    public bool CommitIgnoringTerm(ulong index)
    {
        if (index > Committed && index <= LastIndex())
        {
            CommitTo(index);
            return true;
        }

        return false;
    }
#endif

    /// <summary>Called on restart with the application's applied index, and on Advance.</summary>
    public void AppliedTo(ulong index)
    {
        if (index == 0)
        {
            return;
        }

        if (index > Committed || index < Applied)
        {
            throw Invariant.Violated($"applied index {index} is outside [{Applied}, {Committed}] (applied, committed)");
        }

        Applied = index;
        Applying = Math.Max(Applying, index);
    }

    /// <summary>Records that a snapshot at <paramref name="index"/> was installed by the application.</summary>
    public void AppliedSnapshot(ulong index)
    {
        Applied = Math.Max(Applied, index);
        Applying = Math.Max(Applying, index);
    }

    public void Restore(Snapshot snapshot)
    {
        Invariant.Check(snapshot.Index > Committed, "restoring a snapshot that is not newer than the commit index");
        Committed = snapshot.Index;
        Unstable.Restore(snapshot);
    }

    public bool HasPendingSnapshot => Unstable.Snapshot is not null;

    public bool HasNextCommittedEntries() =>
        !HasPendingSnapshot && Committed > Applying && Math.Max(Applying + 1, FirstIndex()) <= Committed;

    /// <summary>Committed entries not yet handed to the application, up to the per-Ready byte limit; marks them as applying.</summary>
    public Entry[] TakeNextCommittedEntries()
    {
        if (!HasNextCommittedEntries())
        {
            return [];
        }

        ulong low = Math.Max(Applying + 1, FirstIndex());
        Entry[] entries = Slice(low, Committed + 1, maxCommittedBytesPerReady);
        if (entries.Length > 0)
        {
            Applying = entries[^1].Index;
        }

        return entries;
    }

    /// <summary>Entries [<paramref name="lowIndex"/>, <paramref name="highIndexExclusive"/>) within <paramref name="maxBytes"/> (at least one).</summary>
    /// <returns>The entries; throws on compaction, so check <see cref="TrySlice"/> where that can happen.</returns>
    public Entry[] Slice(ulong lowIndex, ulong highIndexExclusive, ulong maxBytes)
    {
        StorageLookup lookup = TrySlice(lowIndex, highIndexExclusive, maxBytes, out Entry[] entries);
        if (lookup != StorageLookup.Ok)
        {
            throw Invariant.Violated($"entries [{lowIndex}, {highIndexExclusive}) should be available but storage says {lookup}");
        }

        return entries;
    }

    public StorageLookup TrySlice(ulong lowIndex, ulong highIndexExclusive, ulong maxBytes, out Entry[] entries)
    {
        entries = [];
        if (lowIndex >= highIndexExclusive)
        {
            return StorageLookup.Ok;
        }

        if (lowIndex < FirstIndex())
        {
            return StorageLookup.Compacted;
        }

        Invariant.Check(highIndexExclusive <= LastIndex() + 1, "slice past the end of the log");
        scratch.Clear();
        ulong unstableFrom = Unstable.Offset;
        if (lowIndex < unstableFrom)
        {
            StorageLookup lookup = storage.TryGetEntries(lowIndex, Math.Min(highIndexExclusive, unstableFrom), maxBytes, scratch);
            if (lookup != StorageLookup.Ok)
            {
                return lookup;
            }

            ulong expected = Math.Min(highIndexExclusive, unstableFrom) - lowIndex;
            if ((ulong)scratch.Count < expected || highIndexExclusive <= unstableFrom)
            {
                entries = LimitBytes(maxBytes); // storage stopped at the size limit, or nothing unstable was asked for
                return StorageLookup.Ok;
            }
        }

        ulong unstableLow = Math.Max(lowIndex, unstableFrom);
        Unstable.CopyTo(unstableLow, highIndexExclusive, scratch);
        entries = LimitBytes(maxBytes);
        return StorageLookup.Ok;
    }

    private Entry[] LimitBytes(ulong maxBytes)
    {
        int count = 0;
        ulong totalBytes = 0;
        for (; count < scratch.Count; count++)
        {
            totalBytes += scratch[count].SizeBytes;
            if (count > 0 && totalBytes > maxBytes)
            {
                break;
            }
        }

        Entry[] result = new Entry[count];
        scratch.CopyTo(0, result, 0, count);
        scratch.Clear();
        return result;
    }

    public StorageLookup TryGetSnapshot(out Snapshot snapshot)
    {
        if (Unstable.Snapshot is not null)
        {
            snapshot = Unstable.Snapshot;
            return StorageLookup.Ok;
        }

        return storage.TryGetSnapshot(out snapshot);
    }

    /// <summary>Whether any entry in (Applied, Committed] is a membership change: a node must not campaign until it has applied them.</summary>
    public bool HasUnappliedConfChanges(ulong pageBytes)
    {
        ulong low = Math.Max(Applied + 1, FirstIndex());
        while (low <= Committed)
        {
            if (TrySlice(low, Committed + 1, pageBytes, out Entry[] page) != StorageLookup.Ok || page.Length == 0)
            {
                return false;
            }

            foreach (Entry entry in page)
            {
                if (entry.Type == EntryType.ConfChange)
                {
                    return true;
                }
            }

            low = page[^1].Index + 1;
        }

        return false;
    }
}
