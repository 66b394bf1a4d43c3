using System.Buffers.Binary;
using System.IO.Compression;
using Google.Protobuf;

namespace Cairn.Protocol.Tests.Framing;

/// <summary>Hand-built gRPC frames, independent of the code under test.</summary>
internal static class Frames
{
    public static byte[] Plain(IMessage message) => Raw(0, message.ToByteArray());

    public static byte[] Gzip(IMessage message)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(message.ToByteArray());
        }

        return Raw(1, compressed.ToArray());
    }

    public static byte[] Raw(byte flag, byte[] payload)
    {
        byte[] frame = new byte[5 + payload.Length];
        frame[0] = flag;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)payload.Length);
        payload.CopyTo(frame, 5);
        return frame;
    }

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(part => part).ToArray();
}
