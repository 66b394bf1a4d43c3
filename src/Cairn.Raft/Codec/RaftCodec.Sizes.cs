namespace Cairn.Raft.Codec;

public static partial class RaftCodec
{
    /// <summary>Bytes <see cref="Encode(Message, Span{byte})"/> writes for <paramref name="message"/>.</summary>
    public static int GetEncodedSize(Message message) => HeaderBytes + MessageBodySize(message);

    /// <summary>Bytes <see cref="Encode(in Entry, Span{byte})"/> writes for <paramref name="entry"/>.</summary>
    public static int GetEncodedSize(in Entry entry) => HeaderBytes + EntryBodySize(entry);

    /// <summary>Bytes <see cref="Encode(HardState, Span{byte})"/> writes for <paramref name="state"/>.</summary>
    public static int GetEncodedSize(HardState state) => HeaderBytes + HardStateBodySize(state);

    /// <summary>Bytes <see cref="Encode(ConfChange, Span{byte})"/> writes for <paramref name="change"/>.</summary>
    public static int GetEncodedSize(ConfChange change) => HeaderBytes + ConfChangeBodySize(change);

    /// <summary>Bytes <see cref="Encode(ConfState, Span{byte})"/> writes for <paramref name="state"/>.</summary>
    public static int GetEncodedSize(ConfState state) => HeaderBytes + ConfStateBodySize(state);

    /// <summary>Bytes <see cref="Encode(SnapshotMetadata, Span{byte})"/> writes for <paramref name="metadata"/>.</summary>
    public static int GetEncodedSize(SnapshotMetadata metadata) => HeaderBytes + SnapshotMetadataBodySize(metadata);

    internal static int EntryBodySize(in Entry entry) =>
        CodecWriter.VarintSize(entry.Index) + CodecWriter.VarintSize(entry.Term) + 1 + CodecWriter.BytesSize(entry.Data.Length);

    private static int MessageBodySize(Message message)
    {
        ArgumentNullException.ThrowIfNull(message);
        int size = 2 // type, flags
            + CodecWriter.VarintSize(message.To) + CodecWriter.VarintSize(message.From)
            + CodecWriter.VarintSize(message.Term) + CodecWriter.VarintSize(message.LogTerm)
            + CodecWriter.VarintSize(message.Index) + CodecWriter.VarintSize(message.Commit)
            + CodecWriter.VarintSize(message.RejectHint) + CodecWriter.BytesSize(message.Context.Length);
        IReadOnlyList<Entry> entries = message.Entries;
        size += CodecWriter.VarintSize((ulong)entries.Count);
        for (int i = 0; i < entries.Count; i++)
        {
            size += EntryBodySize(entries[i]);
        }

        if (message.Snapshot is { } snapshot)
        {
            size += SnapshotMetadataBodySize(snapshot.Metadata) + CodecWriter.BytesSize(snapshot.Data.Length);
        }

        return size;
    }

    private static int HardStateBodySize(HardState state) =>
        CodecWriter.VarintSize(state.Term) + CodecWriter.VarintSize(state.Vote) + CodecWriter.VarintSize(state.Commit);

    private static int ConfChangeBodySize(ConfChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return 1 + CodecWriter.VarintSize(change.NodeId) + CodecWriter.BytesSize(change.Context.Length);
    }

    private static int ConfStateBodySize(ConfState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return IdListSize(state.Voters) + IdListSize(state.Learners);
    }

    private static int SnapshotMetadataBodySize(SnapshotMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return CodecWriter.VarintSize(metadata.Index) + CodecWriter.VarintSize(metadata.Term) + ConfStateBodySize(metadata.ConfState);
    }

    private static int IdListSize(IReadOnlyList<ulong> ids)
    {
        int size = CodecWriter.VarintSize((ulong)ids.Count);
        for (int i = 0; i < ids.Count; i++)
        {
            size += CodecWriter.VarintSize(ids[i]);
        }

        return size;
    }
}
