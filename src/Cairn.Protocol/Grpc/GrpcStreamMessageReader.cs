using System.Buffers;
using Google.Protobuf;

namespace Cairn.Protocol.Grpc;

/// <summary>
/// Reads length-prefixed gRPC messages from a <see cref="Stream"/> (an HTTP response body on the client side).
/// Each payload is read into a pooled buffer and parsed from it; only the parsed message is allocated.
/// </summary>
public static class GrpcStreamMessageReader
{
    /// <summary>Reads the next message, or returns null when the stream ended cleanly between messages.</summary>
    /// <exception cref="RpcException">A malformed, oversized or truncated frame.</exception>
    public static async ValueTask<T?> ReadAsync<T>(Stream stream, MessageParser<T> parser, GrpcReadOptions options, CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        byte[] header = ArrayPool<byte>.Shared.Rent(GrpcFrame.HeaderBytes);
        try
        {
            int headerRead = await stream.ReadAtLeastAsync(header.AsMemory(0, GrpcFrame.HeaderBytes), GrpcFrame.HeaderBytes, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (headerRead == 0)
            {
                return null;
            }

            if (headerRead < GrpcFrame.HeaderBytes)
            {
                throw GrpcPipeMessageReader.UnexpectedEndOfStream();
            }

            int payloadBytes = GrpcFrame.ValidateHeader(header.AsSpan(0, GrpcFrame.HeaderBytes), options, out bool compressed);
            return await ReadPayloadAsync(stream, payloadBytes, compressed, parser, options, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(header);
        }
    }

    private static async ValueTask<T> ReadPayloadAsync<T>(Stream stream, int payloadBytes, bool compressed, MessageParser<T> parser, GrpcReadOptions options, CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        byte[] payload = ArrayPool<byte>.Shared.Rent(Math.Max(payloadBytes, 1));
        try
        {
            int read = await stream.ReadAtLeastAsync(payload.AsMemory(0, payloadBytes), payloadBytes, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (read < payloadBytes)
            {
                throw GrpcPipeMessageReader.UnexpectedEndOfStream();
            }

            return GrpcMessageDecoder.Decode(compressed, new ReadOnlySequence<byte>(payload, 0, payloadBytes), parser, options);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(payload);
        }
    }
}
