using System.Buffers;
using System.IO.Pipelines;
using Cairn.Protocol.Etcd;
using Cairn.Protocol.Grpc;
using Google.Protobuf;

namespace Cairn.Protocol.Tests.Framing;

/// <summary>The pipe reader (server side) and the stream reader (client side) must behave the same on the same bytes.</summary>
public class GrpcMessageReaderTests
{
    public enum ReaderKind { Pipe, Stream }

    private static readonly GrpcReadOptions Identity = new(4096, GrpcCompression.Identity, GrpcPeerRole.Server);

    private static async Task<List<PutRequest>> ReadAllAsync(ReaderKind kind, byte[] bytes, GrpcReadOptions options, int chunkBytes = int.MaxValue)
    {
        var messages = new List<PutRequest>();
        if (kind == ReaderKind.Pipe)
        {
            var pipe = new Pipe();
            Task writer = WriteInChunksAsync(pipe.Writer, bytes, chunkBytes);
            while (await GrpcPipeMessageReader.ReadAsync(pipe.Reader, PutRequest.Parser, options, CancellationToken.None) is { } message)
            {
                messages.Add(message);
            }

            await writer;
        }
        else
        {
            using var stream = new ChunkedStream(bytes, chunkBytes);
            while (await GrpcStreamMessageReader.ReadAsync(stream, PutRequest.Parser, options, CancellationToken.None) is { } message)
            {
                messages.Add(message);
            }
        }

        return messages;
    }

    private static async Task WriteInChunksAsync(PipeWriter writer, byte[] bytes, int chunkBytes)
    {
        for (int offset = 0; offset < bytes.Length; offset += chunkBytes)
        {
            await writer.WriteAsync(bytes.AsMemory(offset, Math.Min(chunkBytes, bytes.Length - offset)));
            await Task.Yield();
        }

        await writer.CompleteAsync();
    }

    private static PutRequest Put(string key, int valueBytes = 3) =>
        new() { Key = ByteString.CopyFromUtf8(key), Value = ByteString.CopyFrom(new byte[valueBytes]) };

    [Theory]
    [InlineData(ReaderKind.Pipe, 1)]
    [InlineData(ReaderKind.Pipe, 4)]
    [InlineData(ReaderKind.Pipe, 1000)]
    [InlineData(ReaderKind.Stream, 1)]
    [InlineData(ReaderKind.Stream, 6)]
    [InlineData(ReaderKind.Stream, 1000)]
    public async Task Reads_every_message_whatever_the_chunking(ReaderKind kind, int chunkBytes)
    {
        PutRequest[] sent = [Put("a"), new PutRequest(), Put("b", 500), Put("c")];
        byte[] bytes = Frames.Concat(sent.Select(Frames.Plain).ToArray());

        List<PutRequest> received = await ReadAllAsync(kind, bytes, Identity, chunkBytes);

        Assert.Equal(sent, received);
    }

    [Theory]
    [InlineData(ReaderKind.Pipe)]
    [InlineData(ReaderKind.Stream)]
    public async Task Empty_stream_has_no_messages(ReaderKind kind)
    {
        Assert.Empty(await ReadAllAsync(kind, [], Identity));
    }

    [Theory]
    [InlineData(ReaderKind.Pipe, 3)]
    [InlineData(ReaderKind.Pipe, 7)]
    [InlineData(ReaderKind.Stream, 3)]
    [InlineData(ReaderKind.Stream, 7)]
    public async Task Stream_ending_inside_a_frame_is_unexpected_EOF(ReaderKind kind, int keptBytes)
    {
        byte[] bytes = Frames.Plain(Put("truncated"))[..keptBytes];
        var error = await Assert.ThrowsAsync<RpcException>(() => ReadAllAsync(kind, bytes, Identity));
        Assert.Equal(GrpcStatusCode.Unknown, error.StatusCode);
        Assert.Equal("unexpected EOF", error.Message);
    }

    [Theory]
    [InlineData(ReaderKind.Pipe, GrpcPeerRole.Server, "grpc: error unmarshalling request: unexpected EOF")]
    [InlineData(ReaderKind.Stream, GrpcPeerRole.Client, "grpc: failed to unmarshal the received message: unexpected EOF")]
    public async Task Malformed_protobuf_is_internal_with_the_readers_wording(ReaderKind kind, GrpcPeerRole role, string expected)
    {
        // Field 1 (bytes) claims 5 bytes of payload but the message ends: a truncated protobuf inside a complete frame.
        byte[] bytes = Frames.Raw(0, [0x0A, 0x05]);
        var error = await Assert.ThrowsAsync<RpcException>(() => ReadAllAsync(kind, bytes, Identity with { Role = role }));
        Assert.Equal(GrpcStatusCode.Internal, error.StatusCode);
        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public async Task Invalid_wire_type_keeps_the_parser_message()
    {
        byte[] bytes = Frames.Raw(0, [0x0F]);
        var error = await Assert.ThrowsAsync<RpcException>(() => ReadAllAsync(ReaderKind.Pipe, bytes, Identity));
        Assert.Equal(GrpcStatusCode.Internal, error.StatusCode);
        Assert.StartsWith("grpc: error unmarshalling request: ", error.Message);
        Assert.NotEqual("grpc: error unmarshalling request: ", error.Message);
    }

    [Theory]
    [InlineData(ReaderKind.Pipe)]
    [InlineData(ReaderKind.Stream)]
    public async Task Gzip_messages_are_inflated(ReaderKind kind)
    {
        PutRequest[] sent = [Put("zipped", 300), Put("plain")];
        byte[] bytes = Frames.Concat(Frames.Gzip(sent[0]), Frames.Plain(sent[1]));
        var options = Identity with { Compression = GrpcCompression.Gzip };

        Assert.Equal(sent, await ReadAllAsync(kind, bytes, options, chunkBytes: 5));
    }

    [Theory]
    [InlineData(ReaderKind.Pipe)]
    [InlineData(ReaderKind.Stream)]
    public async Task Gzip_message_over_the_limit_after_inflating_is_resource_exhausted(ReaderKind kind)
    {
        // 100 KB of zeros compresses to a few hundred bytes: under the frame limit, over it once inflated.
        byte[] bytes = Frames.Gzip(Put("bomb", 100_000));
        var options = Identity with { Compression = GrpcCompression.Gzip };
        Assert.True(bytes.Length < options.MaxMessageBytes);

        var error = await Assert.ThrowsAsync<RpcException>(() => ReadAllAsync(kind, bytes, options));
        Assert.Equal(GrpcStatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal("grpc: received message after decompression larger than max 4096", error.Message);
    }

    [Fact]
    public async Task Corrupt_gzip_is_internal()
    {
        byte[] bytes = Frames.Raw(1, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
        var options = Identity with { Compression = GrpcCompression.Gzip };
        var error = await Assert.ThrowsAsync<RpcException>(() => ReadAllAsync(ReaderKind.Pipe, bytes, options));
        Assert.Equal(GrpcStatusCode.Internal, error.StatusCode);
        Assert.StartsWith("grpc: failed to decompress the received message", error.Message);
    }

    [Theory]
    [InlineData(ReaderKind.Pipe)]
    [InlineData(ReaderKind.Stream)]
    public async Task Oversized_message_is_resource_exhausted(ReaderKind kind)
    {
        byte[] bytes = Frames.Plain(Put("big", 5000));
        var error = await Assert.ThrowsAsync<RpcException>(() => ReadAllAsync(kind, bytes, Identity));
        Assert.Equal(GrpcStatusCode.ResourceExhausted, error.StatusCode);
        Assert.Matches(@"^grpc: received message larger than max \(\d+ vs\. 4096\)$", error.Message);
    }

    [Fact]
    public async Task Pipe_reader_sees_a_second_frame_that_arrived_with_the_first()
    {
        // Both frames arrive in one write; the second read must not wait for more bytes.
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(Frames.Concat(Frames.Plain(Put("one")), Frames.Plain(Put("two"))));
        Assert.Equal(Put("one"), await GrpcPipeMessageReader.ReadAsync(pipe.Reader, PutRequest.Parser, Identity, CancellationToken.None));
        ValueTask<PutRequest?> second = GrpcPipeMessageReader.ReadAsync(pipe.Reader, PutRequest.Parser, Identity, CancellationToken.None);
        Assert.True(second.IsCompleted);
        Assert.Equal(Put("two"), await second);
    }

    [Fact]
    public async Task Pipe_read_honours_cancellation()
    {
        var pipe = new Pipe();
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => GrpcPipeMessageReader.ReadAsync(pipe.Reader, PutRequest.Parser, Identity, cancellation.Token).AsTask());
    }

    /// <summary>A read-only stream that returns at most <c>chunkBytes</c> per read, like a network stream.</summary>
    private sealed class ChunkedStream(byte[] bytes, int chunkBytes) : Stream
    {
        private int _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => bytes.Length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int read = Math.Min(Math.Min(count, chunkBytes), bytes.Length - _position);
            Array.Copy(bytes, _position, buffer, offset, read);
            _position += read;
            return read;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
