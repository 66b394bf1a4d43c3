using System.Buffers;
using System.Buffers.Binary;

namespace Cairn.Protocol.Grpc;

/// <summary>
/// The gRPC length-prefixed message frame: one flag byte (0 = plain, 1 = compressed with the call's
/// <c>grpc-encoding</c>), a 4-byte big-endian payload length, then the payload.
/// </summary>
public static class GrpcFrame
{
    /// <summary>Bytes in the frame header.</summary>
    public const int HeaderBytes = 5;

    /// <summary>Flag byte of an uncompressed message.</summary>
    public const byte UncompressedFlag = 0;

    /// <summary>Flag byte of a compressed message.</summary>
    public const byte CompressedFlag = 1;

    /// <summary>Writes a frame header into <paramref name="destination"/> (at least <see cref="HeaderBytes"/> long).</summary>
    public static void WriteHeader(Span<byte> destination, bool compressed, int payloadBytes)
    {
        Invariant.Check(payloadBytes >= 0, "a frame payload length is never negative");
        destination[0] = compressed ? CompressedFlag : UncompressedFlag;
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(1, 4), (uint)payloadBytes);
    }

    /// <summary>
    /// Takes one complete frame off the front of <paramref name="buffer"/>. Returns false (leaving the buffer as it was)
    /// when the frame is not complete yet. The header is validated as soon as its 5 bytes are there, so an oversized
    /// or malformed frame fails before its payload is buffered.
    /// </summary>
    /// <exception cref="RpcException">The frame is larger than the limit or its flag is invalid for the call's encoding.</exception>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, in GrpcReadOptions options, out bool compressed, out ReadOnlySequence<byte> payload)
    {
        compressed = false;
        payload = default;
        if (buffer.Length < HeaderBytes)
        {
            return false;
        }

        Span<byte> header = stackalloc byte[HeaderBytes];
        buffer.Slice(0, HeaderBytes).CopyTo(header);
        int payloadBytes = ValidateHeader(header, options, out compressed);
        if (buffer.Length - HeaderBytes < payloadBytes)
        {
            return false;
        }

        payload = buffer.Slice(HeaderBytes, payloadBytes);
        buffer = buffer.Slice(payload.End);
        return true;
    }

    /// <summary>Validates a frame header the way grpc-go does and returns the payload length.</summary>
    /// <exception cref="RpcException">Oversized frame (ResourceExhausted), unknown flag or compressed flag without an encoding (Internal).</exception>
    public static int ValidateHeader(ReadOnlySpan<byte> header, in GrpcReadOptions options, out bool compressed)
    {
        byte flag = header[0];
        uint payloadBytes = BinaryPrimitives.ReadUInt32BigEndian(header.Slice(1, 4));
        if (payloadBytes > (uint)options.MaxMessageBytes)
        {
            throw new RpcException(
                GrpcStatusCode.ResourceExhausted,
                $"grpc: received message larger than max ({payloadBytes} vs. {options.MaxMessageBytes})");
        }

        if (flag > CompressedFlag)
        {
            throw new RpcException(GrpcStatusCode.Internal, $"grpc: received unexpected payload format {flag}");
        }

        compressed = flag == CompressedFlag;
        if (compressed && options.Compression == GrpcCompression.Identity)
        {
            throw new RpcException(GrpcStatusCode.Internal, "grpc: compressed flag set with identity or empty encoding");
        }

        return (int)payloadBytes;
    }
}
