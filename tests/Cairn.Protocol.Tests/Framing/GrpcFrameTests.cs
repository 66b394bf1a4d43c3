using System.Buffers;
using Cairn.Protocol.Etcd;
using Cairn.Protocol.Grpc;
using Google.Protobuf;

namespace Cairn.Protocol.Tests.Framing;

public class GrpcFrameTests
{
    private static readonly GrpcReadOptions Identity = new(1024, GrpcCompression.Identity, GrpcPeerRole.Server);

    private static PutRequest SamplePut() => new() { Key = ByteString.CopyFromUtf8("key"), Value = ByteString.CopyFromUtf8("value") };

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(7)]
    public void TryRead_reads_frames_split_across_segments(int segmentBytes)
    {
        PutRequest first = SamplePut();
        var second = new PutRequest { Key = ByteString.CopyFromUtf8("other") };
        ReadOnlySequence<byte> buffer = SegmentedSequence.Split(Frames.Concat(Frames.Plain(first), Frames.Plain(second)), segmentBytes);

        Assert.True(GrpcFrame.TryRead(ref buffer, Identity, out bool compressed1, out ReadOnlySequence<byte> payload1));
        Assert.False(compressed1);
        Assert.Equal(first, PutRequest.Parser.ParseFrom(payload1));
        Assert.True(GrpcFrame.TryRead(ref buffer, Identity, out _, out ReadOnlySequence<byte> payload2));
        Assert.Equal(second, PutRequest.Parser.ParseFrom(payload2));
        Assert.True(buffer.IsEmpty);
        Assert.False(GrpcFrame.TryRead(ref buffer, Identity, out _, out _));
    }

    [Fact]
    public void TryRead_leaves_an_incomplete_frame_in_the_buffer()
    {
        byte[] frame = Frames.Plain(SamplePut());
        for (int available = 0; available < frame.Length; available++)
        {
            var buffer = new ReadOnlySequence<byte>(frame, 0, available);
            Assert.False(GrpcFrame.TryRead(ref buffer, Identity, out _, out _));
            Assert.Equal(available, buffer.Length);
        }
    }

    [Fact]
    public void Zero_length_frame_is_an_empty_message()
    {
        var buffer = new ReadOnlySequence<byte>(Frames.Raw(0, []));
        Assert.True(GrpcFrame.TryRead(ref buffer, Identity, out _, out ReadOnlySequence<byte> payload));
        Assert.True(payload.IsEmpty);
        Assert.Equal(new RangeRequest(), RangeRequest.Parser.ParseFrom(payload));
    }

    [Fact]
    public void Oversized_frame_fails_from_its_header_alone_with_grpc_go_wording()
    {
        // Only the header: the limit must be enforced before the payload is buffered.
        byte[] header = Frames.Raw(0, new byte[2000])[..5];
        var buffer = new ReadOnlySequence<byte>(header);
        GrpcReadOptions options = Identity;
        var error = Assert.Throws<RpcException>(() => GrpcFrame.TryRead(ref buffer, options, out _, out _));
        Assert.Equal(GrpcStatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal("grpc: received message larger than max (2000 vs. 1024)", error.Message);
    }

    [Fact]
    public void Frame_exactly_at_the_limit_is_accepted()
    {
        var buffer = new ReadOnlySequence<byte>(Frames.Raw(0, new byte[1024]));
        Assert.True(GrpcFrame.TryRead(ref buffer, Identity, out _, out ReadOnlySequence<byte> payload));
        Assert.Equal(1024, payload.Length);
    }

    [Fact]
    public void Length_above_int_max_is_reported_as_unsigned()
    {
        byte[] header = [0, 0xFF, 0xFF, 0xFF, 0xFF];
        var error = Assert.Throws<RpcException>(() => GrpcFrame.ValidateHeader(header, Identity, out _));
        Assert.Equal("grpc: received message larger than max (4294967295 vs. 1024)", error.Message);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(0x80)]
    [InlineData(0xFF)]
    public void Unknown_flag_is_internal(byte flag)
    {
        var error = Assert.Throws<RpcException>(() => GrpcFrame.ValidateHeader(Frames.Raw(flag, [1]), Identity, out _));
        Assert.Equal(GrpcStatusCode.Internal, error.StatusCode);
        Assert.Equal($"grpc: received unexpected payload format {flag}", error.Message);
    }

    [Fact]
    public void Compressed_flag_without_an_encoding_is_internal()
    {
        var error = Assert.Throws<RpcException>(() => GrpcFrame.ValidateHeader(Frames.Raw(1, [1]), Identity, out _));
        Assert.Equal(GrpcStatusCode.Internal, error.StatusCode);
        Assert.Equal("grpc: compressed flag set with identity or empty encoding", error.Message);
    }

    [Fact]
    public void Compressed_flag_with_gzip_encoding_is_accepted()
    {
        var options = new GrpcReadOptions(1024, GrpcCompression.Gzip, GrpcPeerRole.Server);
        Assert.Equal(1, GrpcFrame.ValidateHeader(Frames.Raw(1, [1]), options, out bool compressed));
        Assert.True(compressed);
    }
}
