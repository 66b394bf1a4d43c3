using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Pipelines;
using Cairn.Protocol.Etcd;
using Cairn.Protocol.Grpc;
using Google.Protobuf;

namespace Cairn.Protocol.Tests.Framing;

public class GrpcMessageWriterTests
{
    private static readonly GrpcWriteOptions Identity = new(1 << 20, GrpcCompression.Identity);

    [Fact]
    public void Writes_the_5_byte_prefix_then_the_message()
    {
        var message = new RangeResponse { Count = 7, Kvs = { new KeyValue { Key = ByteString.CopyFromUtf8("k") } } };
        var output = new ArrayBufferWriter<byte>();

        GrpcMessageWriter.Write(output, message, Identity);

        byte[] expected = message.ToByteArray();
        Assert.Equal(5 + expected.Length, output.WrittenCount);
        Assert.Equal(0, output.WrittenSpan[0]);
        Assert.Equal((uint)expected.Length, BinaryPrimitives.ReadUInt32BigEndian(output.WrittenSpan[1..5]));
        Assert.Equal(expected, output.WrittenSpan[5..].ToArray());
    }

    [Fact]
    public void Empty_message_is_a_bare_header()
    {
        var output = new ArrayBufferWriter<byte>();
        GrpcMessageWriter.Write(output, new DefragmentResponse(), Identity);
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0 }, output.WrittenSpan.ToArray());
    }

    [Fact]
    public void Too_large_to_send_is_resource_exhausted_and_writes_nothing()
    {
        var message = new PutRequest { Value = ByteString.CopyFrom(new byte[100]) };
        var output = new ArrayBufferWriter<byte>();
        var options = Identity with { MaxMessageBytes = 50 };

        var error = Assert.Throws<RpcException>(() => GrpcMessageWriter.Write(output, message, options));

        Assert.Equal(GrpcStatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal($"grpc: trying to send message larger than max ({message.CalculateSize()} vs. 50)", error.Message);
        Assert.Equal(0, output.WrittenCount);
    }

    [Fact]
    public void Gzip_frame_is_flagged_and_inflates_to_the_message()
    {
        var message = new PutRequest { Key = ByteString.CopyFromUtf8("k"), Value = ByteString.CopyFrom(new byte[4000]) };
        var output = new ArrayBufferWriter<byte>();

        GrpcMessageWriter.Write(output, message, Identity with { Compression = GrpcCompression.Gzip });

        Assert.Equal(1, output.WrittenSpan[0]);
        int length = (int)BinaryPrimitives.ReadUInt32BigEndian(output.WrittenSpan[1..5]);
        Assert.Equal(output.WrittenCount - 5, length);
        Assert.True(length < 4000, "4000 zero bytes should compress");
        using var gzip = new GZipStream(new MemoryStream(output.WrittenSpan[5..].ToArray()), CompressionMode.Decompress);
        Assert.Equal(message, PutRequest.Parser.ParseFrom(gzip));
    }

    [Fact]
    public async Task Round_trips_through_a_pipe_in_both_encodings()
    {
        var pipe = new Pipe();
        var messages = new[]
        {
            new PutRequest { Key = ByteString.CopyFromUtf8("a"), Value = ByteString.CopyFrom(new byte[70_000]) },
            new PutRequest { Key = ByteString.CopyFromUtf8("b") },
        };
        GrpcMessageWriter.Write(pipe.Writer, messages[0], Identity with { Compression = GrpcCompression.Gzip });
        GrpcMessageWriter.Write(pipe.Writer, messages[1], Identity);
        await pipe.Writer.CompleteAsync();

        var options = new GrpcReadOptions(1 << 20, GrpcCompression.Gzip, GrpcPeerRole.Client);
        Assert.Equal(messages[0], await GrpcPipeMessageReader.ReadAsync(pipe.Reader, PutRequest.Parser, options, default));
        Assert.Equal(messages[1], await GrpcPipeMessageReader.ReadAsync(pipe.Reader, PutRequest.Parser, options, default));
        Assert.Null(await GrpcPipeMessageReader.ReadAsync(pipe.Reader, PutRequest.Parser, options, default));
    }
}
