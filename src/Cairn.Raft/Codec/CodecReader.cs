namespace Cairn.Raft.Codec;

/// <summary>
/// Reads the codec's primitives with bounds checks. Every length and count is checked against the bytes
/// that remain before anything is allocated, so garbage input fails fast with a <see cref="RaftCodecException"/>
/// instead of allocating huge arrays or looping.
/// </summary>
internal ref struct CodecReader
{
    private readonly ReadOnlyMemory<byte> memory;
    private readonly ReadOnlySpan<byte> span;
    private readonly string recordName;
    private int position;

    public CodecReader(ReadOnlyMemory<byte> memory, string recordName)
    {
        this.memory = memory;
        span = memory.Span;
        this.recordName = recordName;
        position = 0;
    }

    /// <summary>A reader for records that never slice payloads out of the input (no memory needed).</summary>
    public CodecReader(ReadOnlySpan<byte> span, string recordName)
    {
        memory = default;
        this.span = span;
        this.recordName = recordName;
        position = 0;
    }

    public readonly int Remaining => span.Length - position;

    public readonly int Position => position;

    public byte ReadByte(string field)
    {
        if (position >= span.Length)
        {
            throw Fail($"input ends before field '{field}'");
        }

        return span[position++];
    }

    public ulong ReadVarint(string field)
    {
        ulong result = 0;
        int start = position;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (position >= span.Length)
            {
                throw Fail($"input ends inside varint field '{field}' that starts at byte {start}");
            }

            byte b = span[position++];
            if (shift == 63 && b > 1)
            {
                throw Fail($"varint field '{field}' at byte {start} overflows 64 bits");
            }

            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return result;
            }
        }

        throw Fail($"varint field '{field}' at byte {start} is longer than 10 bytes");
    }

    /// <summary>Reads a count of items that each take at least <paramref name="minItemBytes"/> bytes.</summary>
    public int ReadCount(string field, int minItemBytes)
    {
        int start = position;
        ulong count = ReadVarint(field);
        if (count > (ulong)(Remaining / minItemBytes))
        {
            throw Fail($"count field '{field}' at byte {start} says {count} items, but only {Remaining} bytes remain");
        }

        return (int)count;
    }

    /// <summary>Reads a length-prefixed byte string as a slice of the input (no copy).</summary>
    public ReadOnlyMemory<byte> ReadBytes(string field)
    {
        int length = ReadLength(field);
        ReadOnlyMemory<byte> result = length == 0 ? ReadOnlyMemory<byte>.Empty : memory.Slice(position, length);
        position += length;
        return result;
    }

    public void ExpectHeader(RecordKind kind)
    {
        byte version = ReadByte("format version");
        if (version != RaftCodec.FormatVersion)
        {
            throw Fail($"format version {version} is not supported (this build reads version {RaftCodec.FormatVersion}); " +
                "the data comes from a newer Cairn or is not a raft record");
        }

        byte actual = ReadByte("record kind");
        if (actual != (byte)kind)
        {
            string name = Enum.IsDefined((RecordKind)actual) ? ((RecordKind)actual).ToString() : $"unknown kind {actual}";
            throw Fail($"the record is a {name}, not a {kind}");
        }
    }

    public readonly void ExpectEnd()
    {
        if (position != span.Length)
        {
            throw Fail($"{span.Length - position} unexpected bytes after the end of the record at byte {position}");
        }
    }

    public readonly RaftCodecException Fail(string problem) =>
        new($"raft codec: cannot decode {recordName}: {problem}");

    private int ReadLength(string field)
    {
        int start = position;
        ulong length = ReadVarint(field);
        if (length > (ulong)Remaining)
        {
            throw Fail($"length of field '{field}' at byte {start} is {length}, but only {Remaining} bytes remain");
        }

        return (int)length;
    }
}
