using System.Buffers;
using Google.Protobuf;

namespace Cairn.Protocol.Grpc;

/// <summary>Turns a frame payload into a protobuf message, decompressing it when the frame says so.</summary>
public static class GrpcMessageDecoder
{
    /// <summary>
    /// Parses <paramref name="payload"/> with <paramref name="parser"/>. Plain payloads are parsed in place (no copy);
    /// compressed ones are inflated into a pooled buffer first.
    /// </summary>
    /// <exception cref="RpcException">Undecodable protobuf (Internal, grpc-go's wording for the reading side) or an
    /// inflated message over the limit (ResourceExhausted).</exception>
    public static T Decode<T>(bool compressed, in ReadOnlySequence<byte> payload, MessageParser<T> parser, in GrpcReadOptions options)
        where T : IMessage<T>
    {
        if (!compressed)
        {
            return Parse(payload, parser, options.Role);
        }

        using var inflated = new PooledBufferWriter();
        GzipCodec.Decompress(payload, inflated, options.MaxMessageBytes);
        return Parse(new ReadOnlySequence<byte>(inflated.WrittenMemory), parser, options.Role);
    }

    private static T Parse<T>(in ReadOnlySequence<byte> payload, MessageParser<T> parser, GrpcPeerRole role)
        where T : IMessage<T>
    {
        try
        {
            return parser.ParseFrom(payload);
        }
        catch (InvalidProtocolBufferException exception)
        {
            string prefix = role == GrpcPeerRole.Server
                ? "grpc: error unmarshalling request: "
                : "grpc: failed to unmarshal the received message: ";
            throw new RpcException(GrpcStatusCode.Internal, prefix + DescribeParseError(exception), exception);
        }
    }

    // etcd 3.4's gogo-generated decoders word these failures their own way, and etcd users see that wording: a
    // truncated message is "unexpected EOF", a varint longer than 64 bits "proto: integer overflow", a negative length
    // "proto: negative length found during unmarshaling".
    private static string DescribeParseError(InvalidProtocolBufferException exception)
    {
        string message = exception.Message;
        if (message.StartsWith("While parsing a protocol message, the input ended unexpectedly", StringComparison.Ordinal))
        {
            return "unexpected EOF";
        }

        if (message.StartsWith("CodedInputStream encountered a malformed varint", StringComparison.Ordinal))
        {
            return "proto: integer overflow";
        }

        return message.Contains("claimed a negative size", StringComparison.Ordinal)
            ? "proto: negative length found during unmarshaling"
            : message;
    }
}
