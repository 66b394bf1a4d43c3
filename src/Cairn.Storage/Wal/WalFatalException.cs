using Cairn.Storage.Durability;

namespace Cairn.Storage.Wal;

/// <summary>
/// The WAL failed to make data durable (a failed fdatasync/msync, a failed segment creation, a write
/// fault) and is permanently failed: every later call throws this too. The process must stop serving and
/// restart; recovery then reads what really is on disk. Never retry: after a failed fsync the kernel may
/// have dropped the dirty pages, so a second fsync can succeed while the data is gone.
/// </summary>
public sealed class WalFatalException : StorageFatalException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public WalFatalException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
