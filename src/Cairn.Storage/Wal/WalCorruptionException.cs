using Cairn.Storage.Durability;

namespace Cairn.Storage.Wal;

/// <summary>
/// The WAL on disk is damaged in a way a crash cannot explain (a bad record followed by good ones, a
/// missing segment, a damaged segment header). The WAL refuses to open; the message names the file and
/// offset and says how to recover.
/// </summary>
public sealed class WalCorruptionException : StorageCorruptionException
{
    /// <summary>What the operator can do when the WAL is corrupt.</summary>
    public const string OperatorAdvice =
        "The write-ahead log cannot be trusted, so Cairn will not start on it. To recover: on a cluster member, " +
        "remove this member's data directory and re-add it (`cairn member remove` then `cairn member add`) so it " +
        "rejoins from the leader's snapshot; on a single node, restore the latest backup with `cairn snapshot restore`. " +
        "Keep a copy of the damaged directory for diagnosis";

    /// <summary>Creates the exception.</summary>
    /// <param name="path">The segment file.</param>
    /// <param name="offset">The byte offset in it.</param>
    /// <param name="detail">What is wrong there.</param>
    public WalCorruptionException(string path, long offset, string detail)
        : base(path, offset, detail, OperatorAdvice)
    {
    }
}
