using System.Buffers.Binary;
using System.Text;

namespace Cairn.Server.Peers;

/// <summary>
/// The wire format on the peer port. A dialing member opens one TCP connection per peer and sends a handshake
/// (<see cref="HandshakeBytes"/>: magic, protocol version, cluster ID, sender ID, recipient ID); the listener answers
/// with a status byte and a reason, then only the dialer writes. After the handshake the stream is a sequence of frames:
/// a little-endian u32 length, then the body: a kind byte and, for <see cref="FrameKind.Message"/>, one RaftCodec
/// message; for <see cref="FrameKind.Snapshot"/>, the RaftCodec snapshot message followed (outside the frame) by a u64
/// file length, the state snapshot file's bytes and their SHA-256; for <see cref="FrameKind.Request"/> and
/// <see cref="FrameKind.Response"/>, a <see cref="PeerExchange"/> call.
/// </summary>
internal static class PeerProtocol
{
    /// <summary>"CAIRNPR" and the protocol version byte.</summary>
    public static ReadOnlySpan<byte> Magic => "CAIRNPR"u8;

    /// <summary>The protocol version; a listener refuses another.</summary>
    public const byte Version = 1;

    /// <summary>Magic (7), version (1), cluster ID, sender ID, recipient ID (8 each).</summary>
    public const int HandshakeBytes = 32;

    /// <summary>The longest refusal reason sent back.</summary>
    public const int MaxReasonBytes = 512;

    /// <summary>Bytes of a frame's length prefix.</summary>
    public const int LengthPrefixBytes = 4;

    /// <summary>Bytes of a SHA-256.</summary>
    public const int ChecksumBytes = 32;

    public static void WriteHandshake(Span<byte> destination, ulong clusterId, ulong fromId, ulong toId)
    {
        Magic.CopyTo(destination);
        destination[7] = Version;
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], clusterId);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[16..], fromId);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[24..], toId);
    }

    /// <summary>Parses a handshake; null with a reason when it is not one of ours.</summary>
    public static (ulong ClusterId, ulong FromId, ulong ToId)? ReadHandshake(ReadOnlySpan<byte> source, out string? problem)
    {
        problem = null;
        if (!source[..7].SequenceEqual(Magic))
        {
            problem = "the connection did not start with the Cairn peer handshake (is an etcd or HTTP client using the peer port?)";
            return null;
        }

        if (source[7] != Version)
        {
            problem = $"peer protocol version {source[7]} is not supported (this member speaks {Version}); run the same Cairn version on all members";
            return null;
        }

        return (BinaryPrimitives.ReadUInt64LittleEndian(source[8..]), BinaryPrimitives.ReadUInt64LittleEndian(source[16..]),
            BinaryPrimitives.ReadUInt64LittleEndian(source[24..]));
    }

    /// <summary>The listener's answer: status, u16 reason length, UTF-8 reason.</summary>
    public static byte[] EncodeAnswer(HandshakeStatus status, string reason)
    {
        byte[] text = Encoding.UTF8.GetBytes(reason.Length > MaxReasonBytes / 4 ? reason[..(MaxReasonBytes / 4)] : reason);
        byte[] answer = new byte[3 + text.Length];
        answer[0] = (byte)status;
        BinaryPrimitives.WriteUInt16LittleEndian(answer.AsSpan(1), (ushort)text.Length);
        text.CopyTo(answer, 3);
        return answer;
    }
}

/// <summary>What a listener answers to a handshake.</summary>
internal enum HandshakeStatus : byte
{
    /// <summary>Accepted: frames may follow.</summary>
    Accepted = 0,

    /// <summary>Refused: the reason says why (other cluster, unknown sender, wrong recipient, bad version).</summary>
    Refused = 1,

    /// <summary>Refused for good: the sender was removed from the cluster (it stops itself, as etcd's removed member).</summary>
    Removed = 2,
}

/// <summary>The kind byte of a frame body.</summary>
internal enum FrameKind : byte
{
    /// <summary>One raft message.</summary>
    Message = 1,

    /// <summary>A raft snapshot message; the state snapshot file follows the frame.</summary>
    Snapshot = 2,

    /// <summary>A request of a <see cref="PeerExchange"/> (correlation ID, request kind, encoded etcd request).</summary>
    Request = 3,

    /// <summary>The response to a request (correlation ID, status, encoded etcd response or error).</summary>
    Response = 4,
}
