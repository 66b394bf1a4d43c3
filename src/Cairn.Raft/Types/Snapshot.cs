namespace Cairn.Raft;

/// <summary>Where a snapshot sits in the log and the membership at that point.</summary>
/// <param name="Index">The last log index the snapshot covers.</param>
/// <param name="Term">The term of the entry at <paramref name="Index"/>.</param>
/// <param name="ConfState">The membership after applying every entry up to <paramref name="Index"/>.</param>
public sealed record SnapshotMetadata(ulong Index, ulong Term, ConfState ConfState)
{
    /// <inheritdoc />
    public override string ToString() => $"Index:{Index} Term:{Term} {ConfState}";
}

/// <summary>A point-in-time image of the application state that replaces the log up to <see cref="SnapshotMetadata.Index"/>.</summary>
/// <param name="Metadata">Log position and membership.</param>
/// <param name="Data">The application's serialized state; opaque to Raft.</param>
public sealed record Snapshot(SnapshotMetadata Metadata, ReadOnlyMemory<byte> Data)
{
    /// <summary>Shortcut for <c>Metadata.Index</c>.</summary>
    public ulong Index => Metadata.Index;

    /// <summary>Shortcut for <c>Metadata.Term</c>.</summary>
    public ulong Term => Metadata.Term;

    /// <inheritdoc />
    public override string ToString() => $"Snapshot({Metadata} Data:{Data.Length}B)";
}
