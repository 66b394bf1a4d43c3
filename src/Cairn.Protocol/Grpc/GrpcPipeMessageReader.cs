using System.Buffers;
using System.IO.Pipelines;
using Google.Protobuf;

namespace Cairn.Protocol.Grpc;

/// <summary>Reads length-prefixed gRPC messages from a <see cref="PipeReader"/> (Kestrel's request body), parsing in place.</summary>
public static class GrpcPipeMessageReader
{
    /// <summary>
    /// Reads the next message, or returns null when the stream ended cleanly between messages.
    /// A frame is parsed from the pipe's own buffers; only the parsed message is allocated.
    /// </summary>
    /// <exception cref="RpcException">A malformed, oversized or truncated frame (truncation: Unknown "unexpected EOF", as etcd 3.4's grpc-go).</exception>
    public static async ValueTask<T?> ReadAsync<T>(PipeReader reader, MessageParser<T> parser, GrpcReadOptions options, CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        while (true)
        {
            ReadResult result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = result.Buffer;
            bool framed = false;
            try
            {
                framed = GrpcFrame.TryRead(ref buffer, options, out bool compressed, out ReadOnlySequence<byte> payload);
                if (framed)
                {
                    return GrpcMessageDecoder.Decode(compressed, payload, parser, options);
                }
            }
            finally
            {
                if (framed)
                {
                    // Only the frame is consumed: a following frame already in the buffer must be seen by the next read.
                    reader.AdvanceTo(buffer.Start);
                }
                else
                {
                    // Examined = everything, so the next read waits for more bytes. Kestrel grants HTTP/2 flow-control
                    // credit for examined bytes, so a message larger than the stream window still arrives whole.
                    reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
                }
            }

            if (result.IsCompleted)
            {
                return result.Buffer.IsEmpty ? null : throw UnexpectedEndOfStream();
            }

            if (result.IsCanceled)
            {
                throw new OperationCanceledException("the read was cancelled");
            }
        }
    }

    /// <summary>The status for a stream that ended inside a frame.</summary>
    public static RpcException UnexpectedEndOfStream() => new(GrpcStatusCode.Unknown, "unexpected EOF");
}
