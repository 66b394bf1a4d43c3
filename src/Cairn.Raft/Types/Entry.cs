namespace Cairn.Raft;

/// <summary>One entry of the replicated log.</summary>
/// <remarks>
/// A small value type: the log, messages and Ready batches hold entries in arrays without boxing. The
/// payload is a <see cref="ReadOnlyMemory{T}"/> that the core never mutates; whoever creates an entry must
/// not mutate the bytes afterwards either.
/// </remarks>
public readonly struct Entry
{
    /// <summary>Creates an entry.</summary>
    public Entry(ulong index, ulong term, EntryType type, ReadOnlyMemory<byte> data)
    {
        Index = index;
        Term = term;
        Type = type;
        Data = data;
    }

    /// <summary>Creates an empty normal entry (what a new leader appends to commit its term).</summary>
    public Entry(ulong index, ulong term)
        : this(index, term, EntryType.Normal, ReadOnlyMemory<byte>.Empty)
    {
    }

    /// <summary>Position in the log, starting at 1.</summary>
    public ulong Index { get; }

    /// <summary>Term of the leader that created the entry.</summary>
    public ulong Term { get; }

    /// <summary>Whether the payload is an application command or a membership change.</summary>
    public EntryType Type { get; }

    /// <summary>The payload.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>Bytes this entry takes in the binary codec; what message and batch size limits count.</summary>
    public ulong SizeBytes => (ulong)Codec.RaftCodec.EntryBodySize(this);

    /// <summary>A short description for logs and traces: <c>term/index type size</c>.</summary>
    public override string ToString() => $"{Term}/{Index} {Type} {Data.Length}B";
}
