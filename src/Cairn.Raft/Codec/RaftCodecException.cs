namespace Cairn.Raft.Codec;

/// <summary>
/// Thrown when bytes handed to <see cref="RaftCodec"/> are not a valid record of the expected kind: truncated,
/// corrupt, from a newer format version, or of another kind. The message says which field failed and at
/// which byte offset.
/// </summary>
public sealed class RaftCodecException : FormatException
{
    /// <summary>Creates the exception.</summary>
    public RaftCodecException(string message)
        : base(message)
    {
    }
}
