using System.Buffers;
using Cairn.Raft.Codec;

namespace Cairn.Raft.Tests.Codec;

public sealed class RaftCodecRoundTripTests
{
    private static readonly ConfState Members = new([1, 2, 300], [4_000_000_000_000UL]);

    [Fact]
    public void Message_with_every_field_set_round_trips()
    {
        var original = new Message
        {
            Type = MessageType.Append,
            To = 2,
            From = 1,
            Term = ulong.MaxValue,
            LogTerm = 7,
            Index = 1UL << 40,
            Commit = 127,
            Reject = true,
            RejectHint = 128,
            Context = new byte[] { 9, 8, 7 },
            Entries =
            [
                new Entry(11, 7, EntryType.Normal, new byte[] { 1, 2, 3 }),
                new Entry(12, 7, EntryType.ConfChange, RaftCodec.Encode(new ConfChange(ConfChangeType.AddLearnerNode, 5))),
                new Entry(13, 8),
            ],
            Snapshot = new Snapshot(new SnapshotMetadata(10, 6, Members), new byte[1000]),
        };

        Message decoded = RaftCodec.DecodeMessage(RaftCodec.Encode(original));

        AssertSameMessage(original, decoded);
    }

    [Fact]
    public void Empty_message_is_small_and_round_trips()
    {
        var original = new Message { Type = MessageType.Heartbeat, To = 1, From = 2, Term = 3 };
        byte[] encoded = RaftCodec.Encode(original);

        Assert.Equal(RaftCodec.GetEncodedSize(original), encoded.Length);
        Assert.True(encoded.Length <= 16, $"a heartbeat took {encoded.Length} bytes");
        AssertSameMessage(original, RaftCodec.DecodeMessage(encoded));
    }

    [Theory]
    [InlineData(0UL)]
    [InlineData(127UL)]
    [InlineData(128UL)]
    [InlineData(16383UL)]
    [InlineData(16384UL)]
    [InlineData(ulong.MaxValue)]
    public void Varint_boundaries_round_trip(ulong value)
    {
        var state = new HardState(value, value, value);
        byte[] encoded = RaftCodec.Encode(state);

        Assert.Equal(RaftCodec.GetEncodedSize(state), encoded.Length);
        Assert.Equal(state, RaftCodec.DecodeHardState(encoded));
    }

    [Fact]
    public void Entry_round_trips_through_a_buffer_writer_and_a_span()
    {
        var entry = new Entry(5, 2, EntryType.Normal, "hello"u8.ToArray());
        var writer = new ArrayBufferWriter<byte>();
        RaftCodec.Encode(entry, writer);
        Span<byte> span = stackalloc byte[RaftCodec.GetEncodedSize(entry)];
        int written = RaftCodec.Encode(entry, span);

        Assert.Equal(writer.WrittenCount, written);
        Assert.True(writer.WrittenSpan.SequenceEqual(span));
        Entry decoded = RaftCodec.DecodeEntry(writer.WrittenSpan);
        Assert.Equal((5UL, 2UL, EntryType.Normal), (decoded.Index, decoded.Term, decoded.Type));
        Assert.Equal("hello"u8.ToArray(), decoded.Data.ToArray());
    }

    [Fact]
    public void Memory_decode_slices_payloads_without_copying()
    {
        byte[] encoded = RaftCodec.Encode(new Entry(1, 1, EntryType.Normal, new byte[] { 42, 43 }));
        Entry decoded = RaftCodec.DecodeEntryZeroCopy(encoded);

        encoded[^1] = 99; // the payload is a view of the input
        Assert.Equal(new byte[] { 42, 99 }, decoded.Data.ToArray());
    }

    [Fact]
    public void Span_decode_copies_so_the_input_can_be_reused()
    {
        byte[] encoded = RaftCodec.Encode(new Entry(1, 1, EntryType.Normal, new byte[] { 42, 43 }));
        Entry decoded = RaftCodec.DecodeEntry(encoded.AsSpan());

        encoded[^1] = 99;
        Assert.Equal(new byte[] { 42, 43 }, decoded.Data.ToArray());
    }

    [Fact]
    public void ConfChange_ConfState_and_SnapshotMetadata_round_trip()
    {
        var change = new ConfChange(ConfChangeType.UpdateNode, 77, "http://10.0.0.7:2380"u8.ToArray());
        ConfChange decodedChange = RaftCodec.DecodeConfChange(RaftCodec.Encode(change));
        Assert.Equal((change.Type, change.NodeId), (decodedChange.Type, decodedChange.NodeId));
        Assert.Equal(change.Context.ToArray(), decodedChange.Context.ToArray());

        Assert.Equal(Members, RaftCodec.DecodeConfState(RaftCodec.Encode(Members)));
        Assert.Equal(ConfState.Empty, RaftCodec.DecodeConfState(RaftCodec.Encode(ConfState.Empty)));

        var metadata = new SnapshotMetadata(99, 4, Members);
        Assert.Equal(metadata, RaftCodec.DecodeSnapshotMetadata(RaftCodec.Encode(metadata)));
    }

    [Fact]
    public void Encoding_into_a_too_small_span_fails_clearly()
    {
        var message = new Message { Type = MessageType.Vote, To = 1, From = 2, Term = 3 };
        byte[] small = new byte[RaftCodec.GetEncodedSize(message) - 1];

        var error = Assert.Throws<ArgumentException>(() => RaftCodec.Encode(message, small));
        Assert.Contains("needs", error.Message);
    }

    [Fact]
    public void Every_message_type_round_trips()
    {
        for (int type = 0; type <= (int)MessageTypes.Max; type++)
        {
            var original = new Message { Type = (MessageType)type, To = 3, From = 4, Term = (ulong)type };
            Assert.Equal((MessageType)type, RaftCodec.DecodeMessage(RaftCodec.Encode(original)).Type);
        }
    }

    internal static void AssertSameMessage(Message expected, Message actual)
    {
        Assert.Equal(
            (expected.Type, expected.To, expected.From, expected.Term, expected.LogTerm, expected.Index, expected.Commit, expected.Reject, expected.RejectHint),
            (actual.Type, actual.To, actual.From, actual.Term, actual.LogTerm, actual.Index, actual.Commit, actual.Reject, actual.RejectHint));
        Assert.Equal(expected.Context.ToArray(), actual.Context.ToArray());
        Assert.Equal(expected.Entries.Count, actual.Entries.Count);
        for (int i = 0; i < expected.Entries.Count; i++)
        {
            Assert.Equal((expected.Entries[i].Index, expected.Entries[i].Term, expected.Entries[i].Type), (actual.Entries[i].Index, actual.Entries[i].Term, actual.Entries[i].Type));
            Assert.Equal(expected.Entries[i].Data.ToArray(), actual.Entries[i].Data.ToArray());
        }

        Assert.Equal(expected.Snapshot?.Metadata, actual.Snapshot?.Metadata);
        Assert.Equal(expected.Snapshot?.Data.ToArray(), actual.Snapshot?.Data.ToArray());
    }
}
