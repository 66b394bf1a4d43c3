using System.Buffers;

namespace Cairn.Raft.Codec;

/// <summary>
/// The compact, versioned binary format of Raft records, used by the peer transport (messages) and the
/// write-ahead log (entries, hard state, membership). See docs/RAFT.md, "Binary format".
/// </summary>
/// <remarks>
/// Every top-level record starts with two bytes: the format version (<see cref="FormatVersion"/>) and the record
/// kind. Integers are unsigned LEB128 varints; byte strings are a varint length and the bytes. Encoding sizes the
/// output exactly first (<c>GetEncodedSize</c>) and then writes once, so the <see cref="IBufferWriter{T}"/>
/// overloads request a single span. Decoding validates every length against the input before allocating and
/// throws <see cref="RaftCodecException"/> for anything malformed. The <c>...ZeroCopy</c> decoders slice payloads
/// out of the input without copying (the caller must not reuse that memory); the others copy the input once.
/// </remarks>
public static partial class RaftCodec
{
    /// <summary>The format version this build writes and reads.</summary>
    public const byte FormatVersion = 1;

    private const int HeaderBytes = 2;
    private const byte RejectFlag = 1;
    private const byte SnapshotFlag = 2;
    private const byte KnownFlags = RejectFlag | SnapshotFlag;

    // The smallest encodings, used to bound counts read from untrusted input.
    private const int MinEntryBytes = 4;
    private const int MinIdBytes = 1;

    private delegate void BodyWriter<T>(ref CodecWriter writer, T value);

    private static int Encode<T>(T value, RecordKind kind, int bodySize, BodyWriter<T> writeBody, Span<byte> destination)
    {
        int total = HeaderBytes + bodySize;
        if (destination.Length < total)
        {
            throw new ArgumentException($"destination has {destination.Length} bytes but the {kind} needs {total}", nameof(destination));
        }

        var writer = new CodecWriter(destination);
        writer.WriteByte(FormatVersion);
        writer.WriteByte((byte)kind);
        writeBody(ref writer, value);
        Invariant.Check(writer.Position == total, "raft codec wrote a different size than it computed");
        return total;
    }

    private static void Encode<T>(T value, RecordKind kind, int bodySize, BodyWriter<T> writeBody, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        int total = HeaderBytes + bodySize;
        Span<byte> destination = output.GetSpan(total);
        Encode(value, kind, bodySize, writeBody, destination);
        output.Advance(total);
    }

    private static byte[] EncodeToArray<T>(T value, RecordKind kind, int bodySize, BodyWriter<T> writeBody)
    {
        byte[] result = new byte[HeaderBytes + bodySize];
        Encode(value, kind, bodySize, writeBody, result);
        return result;
    }
}
