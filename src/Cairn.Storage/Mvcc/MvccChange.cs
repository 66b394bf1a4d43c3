namespace Cairn.Storage.Mvcc;

/// <summary>One change made by an applied write: the key, the new record (a tombstone for a deletion) and the record
/// it replaced, if the key existed. Watchers turn these into events.</summary>
internal readonly struct MvccChange
{
    public MvccChange(byte[] key, in RevisionRecord record, in RevisionRecord previous, bool hasPrevious)
    {
        Key = key;
        Record = record;
        Previous = previous;
        HasPrevious = hasPrevious;
    }

    /// <summary>The key (the index's copy; never mutated).</summary>
    public byte[] Key { get; }

    /// <summary>The new record.</summary>
    public RevisionRecord Record { get; }

    /// <summary>The live record before the change (valid when <see cref="HasPrevious"/>).</summary>
    public RevisionRecord Previous { get; }

    /// <summary>True if the key existed before the change.</summary>
    public bool HasPrevious { get; }
}

/// <summary>Receives the changes of every committed revision, on the apply thread, right after the revision is
/// published. Implementations must not block.</summary>
internal interface IMvccChangeSink
{
    /// <summary>Called once per revision that changed something, changes in sub-revision order.</summary>
    void OnRevisionCommitted(long revision, ReadOnlySpan<MvccChange> changes);
}
