namespace Cairn.Storage.Wal;

/// <summary>
/// How a new segment file's disk space is reserved before it is used. Both modes reserve every block up
/// front (posix_fallocate), so writes through the mapping never run out of space; they differ in whether
/// the blocks are also written once. Which is faster depends on the file system and the disk: on the
/// reference machine (ext4 on a virtual disk), appends through the mapping into fallocated space synced
/// about 4x faster than into zero-filled space (docs/BENCHMARKS.md, "Storage: WAL").
/// </summary>
public enum WalPreallocation
{
    /// <summary>
    /// posix_fallocate only. The blocks are "unwritten extents" that read as zeros; the first write into
    /// each block converts it, which the file system journals as part of the sync.
    /// </summary>
    Fallocate = 0,

    /// <summary>
    /// posix_fallocate, then zeros written over the whole file and fsynced, so that later syncs never have
    /// extents to convert. Costs one extra sequential write of each segment (off the append path: the next
    /// segment is prepared in the background).
    /// </summary>
    ZeroFill = 1,
}
