namespace Cairn.Linearizability;

/// <summary>
/// The model state of one key: existence, value (interned id) and the revision of the last write to it.
/// When the last write's outcome was unknown its revision is not known: <see cref="Exact"/> is false and
/// <see cref="Revision"/> is a lower bound (inclusive) until a read binds it.
/// For an absent key <see cref="Revision"/> is the last delete's revision: the next write must exceed it.
/// </summary>
internal readonly record struct KeyState(bool Exists, int ValueId, long Revision, bool Exact)
{
    /// <summary>A key that was never written (revision 0 is below every real revision).</summary>
    public static KeyState Initial => new(false, -1, 0, true);

    /// <summary>The mod_revision a compare sees: 0 for an absent key (etcd's convention).</summary>
    public long CompareRevision => Exists ? Revision : 0;
}
