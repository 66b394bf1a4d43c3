using System.Runtime.InteropServices;

namespace Cairn.Storage.Mvcc;

/// <summary>
/// One revision of one key: what etcd keeps per (key, revision) minus the key and the value bytes. Records live in
/// per-key arrays (<see cref="KeyHistory"/>), never as objects, so a revision costs 48 bytes of managed memory.
/// </summary>
/// <remarks>
/// <para>A record is immutable once published, except <see cref="ValueRef"/>, which value-space compaction may point
/// at a new copy of the same bytes (an atomic 8-byte store).</para>
/// <para><see cref="ModRevision"/> is written last (with release semantics) when a record is appended, and 0 marks an
/// unused slot, so a concurrent reader either sees a complete record or skips the slot.</para>
/// </remarks>
[StructLayout(LayoutKind.Sequential)]
internal struct RevisionRecord
{
    /// <summary>Size of one record in bytes (used for memory and quota accounting).</summary>
    public const int SizeBytes = 48;

    /// <summary>Main revision of the change; 0 = unused slot.</summary>
    public long ModRevision;

    /// <summary>Revision that created the key's current generation; 0 for a tombstone.</summary>
    public long CreateRevision;

    /// <summary>Number of puts since creation (1 on creation); 0 marks a tombstone (deletion).</summary>
    public long Version;

    /// <summary>Attached lease ID; 0 = none.</summary>
    public long Lease;

    /// <summary>Where the value bytes live (<see cref="ValueStore"/>); 0 = empty value.</summary>
    public ulong ValueRef;

    /// <summary>Position of this change among the changes of its main revision (txn order).</summary>
    public int SubRevision;

    /// <summary>Length of the value in bytes.</summary>
    public int ValueLength;

    /// <summary>True when the record is a deletion marker.</summary>
    public readonly bool IsTombstone => Version == 0;
}
