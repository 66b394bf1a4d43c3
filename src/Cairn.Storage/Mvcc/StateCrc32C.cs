using System.Buffers.Binary;
using Cairn.Storage.Durability;

namespace Cairn.Storage.Mvcc;

/// <summary>
/// An incremental CRC-32C over the state (HashKV, snapshot streams): the same checksum as <see cref="Crc32C"/>,
/// fed piece by piece, with integers appended as their little-endian bytes.
/// </summary>
internal struct StateCrc32C
{
    private uint _value;

    /// <summary>The checksum of everything appended so far.</summary>
    public readonly uint Value => _value;

    /// <summary>Appends bytes.</summary>
    public void Append(ReadOnlySpan<byte> data) => _value = Crc32C.Append(_value, data);

    /// <summary>Appends a 64-bit integer in little-endian byte order.</summary>
    public void Append(long value)
    {
        Span<byte> bytes = stackalloc byte[sizeof(long)];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        Append(bytes);
    }

    /// <summary>Appends a 32-bit integer in little-endian byte order.</summary>
    public void Append(int value)
    {
        Span<byte> bytes = stackalloc byte[sizeof(int)];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        Append(bytes);
    }

    /// <summary>Computes the checksum of one buffer.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Crc32C.Compute(data);
}
