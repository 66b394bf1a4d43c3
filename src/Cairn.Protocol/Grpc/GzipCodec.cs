using System.Buffers;
using System.IO.Compression;

namespace Cairn.Protocol.Grpc;

/// <summary>gzip for gRPC messages. Used only when a peer asks for it, so clarity wins over speed here.</summary>
public static class GzipCodec
{
    private const int InflateChunkBytes = 16 * 1024;

    /// <summary>Compresses <paramref name="source"/> into <paramref name="destination"/>.</summary>
    public static void Compress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination)
    {
        using var output = new BufferWriterStream(destination);
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(source);
        }
    }

    /// <summary>Inflates a gzip payload, stopping with ResourceExhausted as soon as it grows past <paramref name="maxBytes"/>.</summary>
    /// <exception cref="RpcException">Too large after inflating (ResourceExhausted) or not valid gzip (Internal).</exception>
    public static void Decompress(in ReadOnlySequence<byte> payload, PooledBufferWriter destination, int maxBytes)
    {
        using var input = new ReadOnlySequenceStream(payload);
        try
        {
            using var gzip = new GZipStream(input, CompressionMode.Decompress);
            while (true)
            {
                Span<byte> chunk = destination.GetSpan(InflateChunkBytes);
                int read = gzip.Read(chunk);
                if (read == 0)
                {
                    return;
                }

                destination.Advance(read);
                if (destination.WrittenCount > maxBytes)
                {
                    // Stop inflating here: the full size of a gzip bomb is not worth computing for the message.
                    throw new RpcException(
                        GrpcStatusCode.ResourceExhausted,
                        $"grpc: received message after decompression larger than max {maxBytes}");
                }
            }
        }
        catch (InvalidDataException exception)
        {
            throw new RpcException(GrpcStatusCode.Internal, "grpc: failed to decompress the received message: " + exception.Message, exception);
        }
    }
}
