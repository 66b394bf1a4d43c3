namespace Cairn.Storage.Durability;

/// <summary>
/// A durability operation (fsync, fdatasync, msync, a write into a file that must become durable) failed.
/// Fatal by contract: the process must stop serving and must not retry. After a failed fsync, Linux may
/// already have dropped the dirty pages (or marked them clean) so a retry can report success while the
/// data never reached the disk (the 2018 "fsyncgate" finding in PostgreSQL); the only safe recovery is a
/// restart that re-reads what is really on disk.
/// </summary>
public class StorageFatalException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed, on which file, and the errno text.</param>
    public StorageFatalException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the underlying cause.</summary>
    /// <param name="message">What failed, on which file.</param>
    /// <param name="innerException">The cause.</param>
    public StorageFatalException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
