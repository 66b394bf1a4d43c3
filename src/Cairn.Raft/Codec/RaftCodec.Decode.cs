namespace Cairn.Raft.Codec;

public static partial class RaftCodec
{
    /// <summary>Decodes a message, copying the input once so the result does not alias <paramref name="input"/>.</summary>
    /// <exception cref="RaftCodecException">The input is not a valid message record.</exception>
    public static Message DecodeMessage(ReadOnlySpan<byte> input) => DecodeMessageZeroCopy(input.ToArray());

    /// <summary>
    /// Decodes a message whose payloads (entry data, context, snapshot data) are slices of <paramref name="input"/>:
    /// no copy, so the caller must not reuse or return that memory to a pool while the message lives.
    /// </summary>
    /// <exception cref="RaftCodecException">The input is not a valid message record.</exception>
    public static Message DecodeMessageZeroCopy(ReadOnlyMemory<byte> input)
    {
        var reader = new CodecReader(input, "Message");
        reader.ExpectHeader(RecordKind.Message);
        var message = new Message { Type = ReadMessageType(ref reader) };
        byte flags = reader.ReadByte("flags");
        if ((flags & ~KnownFlags) != 0)
        {
            throw reader.Fail($"unknown flag bits 0x{flags & ~KnownFlags:x2}");
        }

        message.Reject = (flags & RejectFlag) != 0;
        message.To = reader.ReadVarint("to");
        message.From = reader.ReadVarint("from");
        message.Term = reader.ReadVarint("term");
        message.LogTerm = reader.ReadVarint("log term");
        message.Index = reader.ReadVarint("index");
        message.Commit = reader.ReadVarint("commit");
        message.RejectHint = reader.ReadVarint("reject hint");
        message.Context = reader.ReadBytes("context");
        int entryCount = reader.ReadCount("entry count", MinEntryBytes);
        if (entryCount > 0)
        {
            var entries = new Entry[entryCount];
            for (int i = 0; i < entries.Length; i++)
            {
                entries[i] = ReadEntry(ref reader);
            }

            message.Entries = entries;
        }

        if ((flags & SnapshotFlag) != 0)
        {
            SnapshotMetadata metadata = ReadSnapshotMetadata(ref reader);
            message.Snapshot = new Snapshot(metadata, reader.ReadBytes("snapshot data"));
        }

        reader.ExpectEnd();
        return message;
    }

    /// <summary>Decodes an entry, copying its payload.</summary>
    /// <exception cref="RaftCodecException">The input is not a valid entry record.</exception>
    public static Entry DecodeEntry(ReadOnlySpan<byte> input) => DecodeEntryZeroCopy(input.ToArray());

    /// <summary>Decodes an entry whose payload is a slice of <paramref name="input"/> (no copy).</summary>
    /// <exception cref="RaftCodecException">The input is not a valid entry record.</exception>
    public static Entry DecodeEntryZeroCopy(ReadOnlyMemory<byte> input)
    {
        var reader = new CodecReader(input, "Entry");
        reader.ExpectHeader(RecordKind.Entry);
        Entry entry = ReadEntry(ref reader);
        reader.ExpectEnd();
        return entry;
    }

    /// <summary>Decodes a hard state.</summary>
    /// <exception cref="RaftCodecException">The input is not a valid hard-state record.</exception>
    public static HardState DecodeHardState(ReadOnlySpan<byte> input)
    {
        var reader = new CodecReader(input, "HardState");
        reader.ExpectHeader(RecordKind.HardState);
        var state = new HardState(reader.ReadVarint("term"), reader.ReadVarint("vote"), reader.ReadVarint("commit"));
        reader.ExpectEnd();
        return state;
    }

    /// <summary>Decodes a membership change, copying its context.</summary>
    /// <exception cref="RaftCodecException">The input is not a valid conf-change record.</exception>
    public static ConfChange DecodeConfChange(ReadOnlySpan<byte> input) => DecodeConfChangeZeroCopy(input.ToArray());

    /// <summary>Decodes a membership change whose context is a slice of <paramref name="input"/> (no copy).</summary>
    /// <exception cref="RaftCodecException">The input is not a valid conf-change record.</exception>
    public static ConfChange DecodeConfChangeZeroCopy(ReadOnlyMemory<byte> input)
    {
        var reader = new CodecReader(input, "ConfChange");
        reader.ExpectHeader(RecordKind.ConfChange);
        byte type = reader.ReadByte("type");
        if (type > (byte)ConfChangeType.AddLearnerNode)
        {
            throw reader.Fail($"unknown conf change type {type}");
        }

        ulong nodeId = reader.ReadVarint("node id");
        if (nodeId == 0)
        {
            throw reader.Fail("node id is 0, which means 'no node'");
        }

        var change = new ConfChange((ConfChangeType)type, nodeId, reader.ReadBytes("context"));
        reader.ExpectEnd();
        return change;
    }

    /// <summary>Decodes a membership configuration.</summary>
    /// <exception cref="RaftCodecException">The input is not a valid conf-state record.</exception>
    public static ConfState DecodeConfState(ReadOnlySpan<byte> input)
    {
        var reader = new CodecReader(input, "ConfState");
        reader.ExpectHeader(RecordKind.ConfState);
        ConfState state = ReadConfState(ref reader);
        reader.ExpectEnd();
        return state;
    }

    /// <summary>Decodes snapshot metadata.</summary>
    /// <exception cref="RaftCodecException">The input is not a valid snapshot-metadata record.</exception>
    public static SnapshotMetadata DecodeSnapshotMetadata(ReadOnlySpan<byte> input)
    {
        var reader = new CodecReader(input, "SnapshotMetadata");
        reader.ExpectHeader(RecordKind.SnapshotMetadata);
        SnapshotMetadata metadata = ReadSnapshotMetadata(ref reader);
        reader.ExpectEnd();
        return metadata;
    }

    private static MessageType ReadMessageType(ref CodecReader reader)
    {
        byte type = reader.ReadByte("type");
        if (type > (byte)MessageTypes.Max)
        {
            throw reader.Fail($"unknown message type {type}");
        }

        return (MessageType)type;
    }

    private static Entry ReadEntry(ref CodecReader reader)
    {
        ulong index = reader.ReadVarint("entry index");
        ulong term = reader.ReadVarint("entry term");
        byte type = reader.ReadByte("entry type");
        if (type > (byte)EntryType.ConfChange)
        {
            throw reader.Fail($"unknown entry type {type} in entry {index}");
        }

        return new Entry(index, term, (EntryType)type, reader.ReadBytes("entry data"));
    }

    private static SnapshotMetadata ReadSnapshotMetadata(ref CodecReader reader)
    {
        ulong index = reader.ReadVarint("snapshot index");
        ulong term = reader.ReadVarint("snapshot term");
        return new SnapshotMetadata(index, term, ReadConfState(ref reader));
    }

    private static ConfState ReadConfState(ref CodecReader reader)
    {
        ulong[] voters = ReadIds(ref reader, "voter");
        ulong[] learners = ReadIds(ref reader, "learner");
        try
        {
            return new ConfState(voters, learners);
        }
        catch (ArgumentException invalid)
        {
            throw reader.Fail("invalid membership: " + invalid.Message);
        }
    }

    private static ulong[] ReadIds(ref CodecReader reader, string role)
    {
        int count = reader.ReadCount(role + " count", MinIdBytes);
        if (count == 0)
        {
            return [];
        }

        var ids = new ulong[count];
        for (int i = 0; i < ids.Length; i++)
        {
            ids[i] = reader.ReadVarint(role + " id");
        }

        return ids;
    }
}
