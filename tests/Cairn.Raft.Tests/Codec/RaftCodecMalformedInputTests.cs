using Cairn.Raft.Codec;

namespace Cairn.Raft.Tests.Codec;

public sealed class RaftCodecMalformedInputTests
{
    private static byte[] SampleMessage() => RaftCodec.Encode(new Message
    {
        Type = MessageType.Append,
        To = 2,
        From = 1,
        Term = 5,
        Index = 300,
        Entries = [new Entry(301, 5, EntryType.Normal, new byte[40]), new Entry(302, 5)],
        Snapshot = new Snapshot(new SnapshotMetadata(1, 1, new ConfState([1, 2], [3])), new byte[5]),
        Context = new byte[] { 1 },
    });

    [Fact]
    public void Empty_input_fails_with_a_clear_message()
    {
        var error = Assert.Throws<RaftCodecException>(() => RaftCodec.DecodeMessage(ReadOnlySpan<byte>.Empty));
        Assert.Contains("cannot decode Message", error.Message);
        Assert.Contains("format version", error.Message);
    }

    [Fact]
    public void Every_truncation_of_a_valid_message_fails_cleanly()
    {
        byte[] encoded = SampleMessage();
        for (int length = 0; length < encoded.Length; length++)
        {
            Assert.Throws<RaftCodecException>(() => RaftCodec.DecodeMessage(encoded.AsSpan(0, length)));
        }
    }

    [Fact]
    public void Trailing_bytes_are_rejected()
    {
        byte[] encoded = [.. SampleMessage(), 0];
        var error = Assert.Throws<RaftCodecException>(() => RaftCodec.DecodeMessage(encoded));
        Assert.Contains("unexpected bytes", error.Message);
    }

    [Fact]
    public void A_newer_format_version_is_named_in_the_error()
    {
        byte[] encoded = SampleMessage();
        encoded[0] = 2;
        var error = Assert.Throws<RaftCodecException>(() => RaftCodec.DecodeMessage(encoded));
        Assert.Contains("format version 2 is not supported", error.Message);
    }

    [Fact]
    public void Decoding_a_record_as_the_wrong_kind_fails()
    {
        byte[] hardState = RaftCodec.Encode(new HardState(1, 2, 3));
        var error = Assert.Throws<RaftCodecException>(() => RaftCodec.DecodeMessage(hardState));
        Assert.Contains("is a HardState, not a Message", error.Message);
    }

    [Fact]
    public void A_huge_entry_count_fails_before_allocating()
    {
        // header, type, flags, to..rejectHint (7 varints), empty context, then a count of 2^62 entries.
        byte[] input = [RaftCodec.FormatVersion, 1, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40];
        var error = Assert.Throws<RaftCodecException>(() => RaftCodec.DecodeMessage(input));
        Assert.Contains("entry count", error.Message);
    }

    [Fact]
    public void A_length_past_the_end_fails()
    {
        byte[] input = [RaftCodec.FormatVersion, 2, 1, 1, 0, 0xFF, 0x01, 1, 2];
        var error = Assert.Throws<RaftCodecException>(() => RaftCodec.DecodeEntry(input));
        Assert.Contains("entry data", error.Message);
    }

    [Fact]
    public void An_overlong_varint_fails()
    {
        byte[] input = [RaftCodec.FormatVersion, 3, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0, 0];
        var error = Assert.Throws<RaftCodecException>(() => RaftCodec.DecodeHardState(input));
        Assert.Contains("overflows 64 bits", error.Message);
    }

    [Fact]
    public void Unknown_enum_values_and_flags_fail()
    {
        byte[] message = SampleMessage();
        message[2] = 200;
        Assert.Contains("unknown message type", Assert.Throws<RaftCodecException>(() => RaftCodec.DecodeMessage(message)).Message);

        message = SampleMessage();
        message[3] |= 0x80;
        Assert.Contains("unknown flag", Assert.Throws<RaftCodecException>(() => RaftCodec.DecodeMessage(message)).Message);

        byte[] change = RaftCodec.Encode(new ConfChange(ConfChangeType.AddNode, 1));
        change[2] = 9;
        Assert.Contains("unknown conf change type", Assert.Throws<RaftCodecException>(() => RaftCodec.DecodeConfChange(change)).Message);
    }

    [Fact]
    public void Invalid_membership_fails_as_a_codec_error()
    {
        // voters [1, 1]: a duplicate.
        byte[] input = [RaftCodec.FormatVersion, 5, 2, 1, 1, 0];
        var error = Assert.Throws<RaftCodecException>(() => RaftCodec.DecodeConfState(input));
        Assert.Contains("listed twice", error.Message);

        byte[] zeroNode = [RaftCodec.FormatVersion, 4, 0, 0, 0];
        Assert.Contains("node id is 0", Assert.Throws<RaftCodecException>(() => RaftCodec.DecodeConfChange(zeroNode)).Message);
    }

    [Fact]
    public void Random_garbage_never_crashes_or_hangs()
    {
        var random = new Random(1234);
        byte[] valid = SampleMessage();
        int decoded = 0;
        for (int round = 0; round < 20_000; round++)
        {
            byte[] input;
            if (round % 2 == 0)
            {
                input = new byte[random.Next(0, 64)];
                random.NextBytes(input);
                if (input.Length > 1)
                {
                    input[0] = RaftCodec.FormatVersion; // get past the header check more often
                    input[1] = (byte)random.Next(1, 7);
                }
            }
            else
            {
                input = (byte[])valid.Clone();
                for (int flips = random.Next(1, 4); flips > 0; flips--)
                {
                    input[random.Next(input.Length)] = (byte)random.Next(256);
                }
            }

            try
            {
                DecodeAsItsKind(input);
                decoded++;
            }
            catch (RaftCodecException)
            {
            }
        }

        Assert.True(decoded > 0, "some mutated inputs are still valid records");
    }

    private static void DecodeAsItsKind(byte[] input)
    {
        switch (input.Length > 1 ? input[1] : 1)
        {
            case 2: RaftCodec.DecodeEntry(input); break;
            case 3: RaftCodec.DecodeHardState(input); break;
            case 4: RaftCodec.DecodeConfChange(input); break;
            case 5: RaftCodec.DecodeConfState(input); break;
            case 6: RaftCodec.DecodeSnapshotMetadata(input); break;
            default: RaftCodec.DecodeMessage(input); break;
        }
    }
}
