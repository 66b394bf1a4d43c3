using System.Buffers;
using Google.Protobuf;

namespace Cairn.Protocol.Grpc;

/// <summary>
/// Reads length-prefixed gRPC messages from a <see cref="Stream"/> (an HTTP response body on the client side).
/// Each payload is read into a pooled buffer and parsed from it; only the parsed message is allocated.
/// </summary>
public static class GrpcStreamMessageReader
{
    // Most etcd responses are small: one rented buffer of this size holds header and payload in one read.
    private const int InitialBufferBytes = 4096;

    /// <summary>Reads the next message, or returns null when the stream ended cleanly between messages.</summary>
    /// <exception cref="RpcException">A malformed, oversized or truncated frame.</exception>
    public static async ValueTask<T?> ReadAsync<T>(Stream stream, MessageParser<T> parser, GrpcReadOptions options, CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(InitialBufferBytes);
        try
        {
            int headerRead = await stream.ReadAtLeastAsync(buffer.AsMemory(0, GrpcFrame.HeaderBytes), GrpcFrame.HeaderBytes, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (headerRead == 0)
            {
                return null;
            }

            if (headerRead < GrpcFrame.HeaderBytes)
            {
                throw GrpcPipeMessageReader.UnexpectedEndOfStream();
            }

            // The size is checked before the payload is read, so an oversized message is never buffered.
            int payloadBytes = GrpcFrame.ValidateHeader(buffer.AsSpan(0, GrpcFrame.HeaderBytes), options, out bool compressed);
            if (payloadBytes > buffer.Length)
            {
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = ArrayPool<byte>.Shared.Rent(payloadBytes);
            }

            int read = await stream.ReadAtLeastAsync(buffer.AsMemory(0, payloadBytes), payloadBytes, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (read < payloadBytes)
            {
                throw GrpcPipeMessageReader.UnexpectedEndOfStream();
            }

            return GrpcMessageDecoder.Decode(compressed, new ReadOnlySequence<byte>(buffer, 0, payloadBytes), parser, options);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
