namespace Cairn.Storage.Wal;

/// <summary>How a new segment file's disk space is reserved before it is used.</summary>
public enum WalPreallocation
{
    /// <summary>
    /// posix_fallocate, then write zeros over the whole file and fsync. Costs one sequential write of the
    /// segment, off the append path (the next segment is prepared in the background), and makes every later
    /// fdatasync a pure data write (no extent conversion to journal).
    /// </summary>
    ZeroFill = 0,

    /// <summary>posix_fallocate only: fast to create, but each batch's fdatasync also commits the journal.</summary>
    Fallocate = 1,
}
