using System.Buffers;

namespace Cairn.Raft.Codec;

public static partial class RaftCodec
{
    /// <summary>Writes <paramref name="message"/> into <paramref name="destination"/> and returns the bytes written.</summary>
    /// <exception cref="ArgumentException">The destination is smaller than <see cref="GetEncodedSize(Message)"/>.</exception>
    public static int Encode(Message message, Span<byte> destination) =>
        Encode(message, RecordKind.Message, MessageBodySize(message), WriteMessage, destination);

    /// <summary>Appends <paramref name="message"/> to <paramref name="output"/> with one <c>GetSpan</c>/<c>Advance</c>.</summary>
    public static void Encode(Message message, IBufferWriter<byte> output) =>
        Encode(message, RecordKind.Message, MessageBodySize(message), WriteMessage, output);

    /// <summary>Encodes <paramref name="message"/> into a new array.</summary>
    public static byte[] Encode(Message message) =>
        EncodeToArray(message, RecordKind.Message, MessageBodySize(message), WriteMessage);

    /// <summary>Writes <paramref name="entry"/> into <paramref name="destination"/> and returns the bytes written.</summary>
    public static int Encode(in Entry entry, Span<byte> destination) =>
        Encode(entry, RecordKind.Entry, EntryBodySize(entry), WriteEntry, destination);

    /// <summary>Appends <paramref name="entry"/> to <paramref name="output"/>.</summary>
    public static void Encode(in Entry entry, IBufferWriter<byte> output) =>
        Encode(entry, RecordKind.Entry, EntryBodySize(entry), WriteEntry, output);

    /// <summary>Encodes <paramref name="entry"/> into a new array.</summary>
    public static byte[] Encode(in Entry entry) => EncodeToArray(entry, RecordKind.Entry, EntryBodySize(entry), WriteEntry);

    /// <summary>Writes <paramref name="state"/> into <paramref name="destination"/> and returns the bytes written.</summary>
    public static int Encode(HardState state, Span<byte> destination) =>
        Encode(state, RecordKind.HardState, HardStateBodySize(state), WriteHardState, destination);

    /// <summary>Appends <paramref name="state"/> to <paramref name="output"/>.</summary>
    public static void Encode(HardState state, IBufferWriter<byte> output) =>
        Encode(state, RecordKind.HardState, HardStateBodySize(state), WriteHardState, output);

    /// <summary>Encodes <paramref name="state"/> into a new array.</summary>
    public static byte[] Encode(HardState state) =>
        EncodeToArray(state, RecordKind.HardState, HardStateBodySize(state), WriteHardState);

    /// <summary>Writes <paramref name="change"/> into <paramref name="destination"/> and returns the bytes written.</summary>
    public static int Encode(ConfChange change, Span<byte> destination) =>
        Encode(change, RecordKind.ConfChange, ConfChangeBodySize(change), WriteConfChange, destination);

    /// <summary>Appends <paramref name="change"/> to <paramref name="output"/>.</summary>
    public static void Encode(ConfChange change, IBufferWriter<byte> output) =>
        Encode(change, RecordKind.ConfChange, ConfChangeBodySize(change), WriteConfChange, output);

    /// <summary>Encodes <paramref name="change"/> into a new array (what <c>RawNode.ProposeConfChange</c> puts in the entry).</summary>
    public static byte[] Encode(ConfChange change) =>
        EncodeToArray(change, RecordKind.ConfChange, ConfChangeBodySize(change), WriteConfChange);

    /// <summary>Writes <paramref name="state"/> into <paramref name="destination"/> and returns the bytes written.</summary>
    public static int Encode(ConfState state, Span<byte> destination) =>
        Encode(state, RecordKind.ConfState, ConfStateBodySize(state), WriteConfState, destination);

    /// <summary>Appends <paramref name="state"/> to <paramref name="output"/>.</summary>
    public static void Encode(ConfState state, IBufferWriter<byte> output) =>
        Encode(state, RecordKind.ConfState, ConfStateBodySize(state), WriteConfState, output);

    /// <summary>Encodes <paramref name="state"/> into a new array.</summary>
    public static byte[] Encode(ConfState state) =>
        EncodeToArray(state, RecordKind.ConfState, ConfStateBodySize(state), WriteConfState);

    /// <summary>Writes <paramref name="metadata"/> into <paramref name="destination"/> and returns the bytes written.</summary>
    public static int Encode(SnapshotMetadata metadata, Span<byte> destination) =>
        Encode(metadata, RecordKind.SnapshotMetadata, SnapshotMetadataBodySize(metadata), WriteSnapshotMetadata, destination);

    /// <summary>Appends <paramref name="metadata"/> to <paramref name="output"/>.</summary>
    public static void Encode(SnapshotMetadata metadata, IBufferWriter<byte> output) =>
        Encode(metadata, RecordKind.SnapshotMetadata, SnapshotMetadataBodySize(metadata), WriteSnapshotMetadata, output);

    /// <summary>Encodes <paramref name="metadata"/> into a new array.</summary>
    public static byte[] Encode(SnapshotMetadata metadata) =>
        EncodeToArray(metadata, RecordKind.SnapshotMetadata, SnapshotMetadataBodySize(metadata), WriteSnapshotMetadata);

    private static void WriteMessage(ref CodecWriter writer, Message message)
    {
        writer.WriteByte((byte)message.Type);
        byte flags = (byte)((message.Reject ? RejectFlag : 0) | (message.Snapshot is null ? 0 : SnapshotFlag));
        writer.WriteByte(flags);
        writer.WriteVarint(message.To);
        writer.WriteVarint(message.From);
        writer.WriteVarint(message.Term);
        writer.WriteVarint(message.LogTerm);
        writer.WriteVarint(message.Index);
        writer.WriteVarint(message.Commit);
        writer.WriteVarint(message.RejectHint);
        writer.WriteBytes(message.Context.Span);
        IReadOnlyList<Entry> entries = message.Entries;
        writer.WriteVarint((ulong)entries.Count);
        for (int i = 0; i < entries.Count; i++)
        {
            WriteEntry(ref writer, entries[i]);
        }

        if (message.Snapshot is { } snapshot)
        {
            WriteSnapshotMetadata(ref writer, snapshot.Metadata);
            writer.WriteBytes(snapshot.Data.Span);
        }
    }

    private static void WriteEntry(ref CodecWriter writer, Entry entry)
    {
        writer.WriteVarint(entry.Index);
        writer.WriteVarint(entry.Term);
        writer.WriteByte((byte)entry.Type);
        writer.WriteBytes(entry.Data.Span);
    }

    private static void WriteHardState(ref CodecWriter writer, HardState state)
    {
        writer.WriteVarint(state.Term);
        writer.WriteVarint(state.Vote);
        writer.WriteVarint(state.Commit);
    }

    private static void WriteConfChange(ref CodecWriter writer, ConfChange change)
    {
        writer.WriteByte((byte)change.Type);
        writer.WriteVarint(change.NodeId);
        writer.WriteBytes(change.Context.Span);
    }

    private static void WriteConfState(ref CodecWriter writer, ConfState state)
    {
        WriteIds(ref writer, state.Voters);
        WriteIds(ref writer, state.Learners);
    }

    private static void WriteSnapshotMetadata(ref CodecWriter writer, SnapshotMetadata metadata)
    {
        writer.WriteVarint(metadata.Index);
        writer.WriteVarint(metadata.Term);
        WriteConfState(ref writer, metadata.ConfState);
    }

    private static void WriteIds(ref CodecWriter writer, IReadOnlyList<ulong> ids)
    {
        writer.WriteVarint((ulong)ids.Count);
        for (int i = 0; i < ids.Count; i++)
        {
            writer.WriteVarint(ids[i]);
        }
    }
}
