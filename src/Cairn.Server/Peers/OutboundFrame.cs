using System.Buffers;
using System.Buffers.Binary;
using Cairn.Raft;
using Cairn.Raft.Codec;

namespace Cairn.Server.Peers;

/// <summary>
/// A message queued for a peer: already encoded as a whole frame (length prefix, kind, RaftCodec bytes) in a pooled
/// buffer, because raft may reuse what a Ready referenced once the loop advances. A snapshot message also names the
/// state snapshot file to stream after it.
/// </summary>
internal sealed class OutboundFrame
{
    private OutboundFrame(byte[] buffer, int length, FileStream? snapshotFile)
    {
        Buffer = buffer;
        Length = length;
        SnapshotFile = snapshotFile;
    }

    /// <summary>The pooled buffer holding the frame in its first <see cref="Length"/> bytes.</summary>
    public byte[] Buffer { get; private set; }

    /// <summary>Bytes of the frame, prefix included.</summary>
    public int Length { get; }

    /// <summary>For a snapshot message: the state snapshot file to send after the frame, opened when the message was
    /// queued (so pruning the file meanwhile cannot take it away).</summary>
    public FileStream? SnapshotFile { get; private set; }

    /// <summary>The frame's bytes.</summary>
    public ReadOnlySpan<byte> Bytes => Buffer.AsSpan(0, Length);

    /// <summary>Encodes <paramref name="message"/> into a pooled frame.</summary>
    public static OutboundFrame Encode(Message message, FileStream? snapshotFile)
    {
        int bodyBytes = 1 + RaftCodec.GetEncodedSize(message);
        int length = PeerProtocol.LengthPrefixBytes + bodyBytes;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(length);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, (uint)bodyBytes);
        buffer[PeerProtocol.LengthPrefixBytes] = (byte)(snapshotFile is null ? FrameKind.Message : FrameKind.Snapshot);
        int written = RaftCodec.Encode(message, buffer.AsSpan(PeerProtocol.LengthPrefixBytes + 1));
        Cairn.Protocol.Invariant.Check(written == bodyBytes - 1, "RaftCodec wrote the size it announced");
        return new OutboundFrame(buffer, length, snapshotFile);
    }

    /// <summary>Encodes a request or response frame of a <see cref="PeerExchange"/>: kind, correlation ID, tag byte,
    /// payload.</summary>
    public static OutboundFrame Exchange(FrameKind kind, ulong correlationId, byte tag, ReadOnlySpan<byte> payload)
    {
        int bodyBytes = 1 + 8 + 1 + payload.Length;
        int length = PeerProtocol.LengthPrefixBytes + bodyBytes;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(length);
        Span<byte> body = buffer.AsSpan(PeerProtocol.LengthPrefixBytes, bodyBytes);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, (uint)bodyBytes);
        body[0] = (byte)kind;
        BinaryPrimitives.WriteUInt64LittleEndian(body[1..], correlationId);
        body[9] = tag;
        payload.CopyTo(body[10..]);
        return new OutboundFrame(buffer, length, snapshotFile: null);
    }

    /// <summary>Returns the buffer to the pool and closes the snapshot file (once).</summary>
    public void Release()
    {
        SnapshotFile?.Dispose();
        SnapshotFile = null;
        byte[] buffer = Buffer;
        if (buffer.Length > 0)
        {
            Buffer = [];
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
