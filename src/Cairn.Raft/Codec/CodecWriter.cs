namespace Cairn.Raft.Codec;

/// <summary>Writes the codec's primitives (bytes, LEB128 varints, length-prefixed byte strings) into a span sized in advance.</summary>
internal ref struct CodecWriter
{
    private readonly Span<byte> destination;
    private int position;

    public CodecWriter(Span<byte> destination)
    {
        this.destination = destination;
        position = 0;
    }

    public readonly int Position => position;

    public void WriteByte(byte value) => destination[position++] = value;

    public void WriteVarint(ulong value)
    {
        while (value >= 0x80)
        {
            destination[position++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[position++] = (byte)value;
    }

    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        WriteVarint((ulong)value.Length);
        value.CopyTo(destination[position..]);
        position += value.Length;
    }

    /// <summary>Bytes a varint takes.</summary>
    public static int VarintSize(ulong value)
    {
        // 1 byte per started 7 bits; 0 still takes one byte.
        int bits = 64 - System.Numerics.BitOperations.LeadingZeroCount(value | 1);
        return (bits + 6) / 7;
    }

    /// <summary>Bytes a length-prefixed byte string takes.</summary>
    public static int BytesSize(int length) => VarintSize((ulong)length) + length;
}
