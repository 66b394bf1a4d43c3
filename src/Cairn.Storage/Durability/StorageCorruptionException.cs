namespace Cairn.Storage.Durability;

/// <summary>
/// Data read from disk fails its checksum or structure checks in a way that a crash cannot explain.
/// The message names the file and byte offset and says what the operator can do; the server refuses
/// to start (or stops) rather than guess.
/// </summary>
public class StorageCorruptionException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The file that holds the bad data.</param>
    /// <param name="offset">The byte offset in <paramref name="path"/> where the bad data starts.</param>
    /// <param name="detail">What is wrong at that offset.</param>
    /// <param name="advice">What the operator can do about it.</param>
    public StorageCorruptionException(string path, long offset, string detail, string advice)
        : base($"{path}: corrupt data at byte offset {offset}: {detail}. {advice}")
    {
        FilePath = path;
        Offset = offset;
        Detail = detail;
    }

    /// <summary>The file that holds the bad data.</summary>
    public string FilePath { get; }

    /// <summary>The byte offset where the bad data starts.</summary>
    public long Offset { get; }

    /// <summary>What is wrong at <see cref="Offset"/>, without the operator advice.</summary>
    public string Detail { get; }
}
