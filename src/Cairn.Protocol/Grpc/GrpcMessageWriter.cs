using System.Buffers;
using Google.Protobuf;

namespace Cairn.Protocol.Grpc;

/// <summary>Writes length-prefixed gRPC messages straight into an <see cref="IBufferWriter{T}"/> (a PipeWriter or a pooled buffer).</summary>
public static class GrpcMessageWriter
{
    /// <summary>
    /// Writes one framed message. Uncompressed messages are serialized directly into <paramref name="output"/>
    /// without an intermediate copy.
    /// </summary>
    /// <exception cref="RpcException">The message is larger than <see cref="GrpcWriteOptions.MaxMessageBytes"/> (ResourceExhausted).</exception>
    public static void Write(IBufferWriter<byte> output, IMessage message, in GrpcWriteOptions options)
    {
        int messageBytes = message.CalculateSize();
        if (messageBytes > options.MaxMessageBytes)
        {
            throw new RpcException(
                GrpcStatusCode.ResourceExhausted,
                $"grpc: trying to send message larger than max ({messageBytes} vs. {options.MaxMessageBytes})");
        }

        if (options.Compression == GrpcCompression.Identity)
        {
            GrpcFrame.WriteHeader(output.GetSpan(GrpcFrame.HeaderBytes), compressed: false, messageBytes);
            output.Advance(GrpcFrame.HeaderBytes);
            if (messageBytes > 0)
            {
                message.WriteTo(output);
            }

            return;
        }

        WriteCompressed(output, message, messageBytes);
    }

    private static void WriteCompressed(IBufferWriter<byte> output, IMessage message, int messageBytes)
    {
        using var plain = new PooledBufferWriter(messageBytes);
        message.WriteTo(plain);
        using var compressed = new PooledBufferWriter(messageBytes / 2 + 64);
        GzipCodec.Compress(plain.WrittenSpan, compressed);
        GrpcFrame.WriteHeader(output.GetSpan(GrpcFrame.HeaderBytes), compressed: true, compressed.WrittenCount);
        output.Advance(GrpcFrame.HeaderBytes);
        output.Write(compressed.WrittenSpan);
    }
}
