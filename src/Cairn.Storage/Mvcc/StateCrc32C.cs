using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Cairn.Storage.Mvcc;

/// <summary>
/// Incremental CRC-32C (Castagnoli), the checksum etcd uses for HashKV and Cairn uses for snapshot files.
/// <see cref="BitOperations.Crc32C(uint, ulong)"/> uses the SSE4.2/ARMv8 instruction where the CPU has it.
/// </summary>
/// <remarks>Private stand-in until the WAL engineer's shared CRC32C helper lands.</remarks>
internal struct StateCrc32C
{
    private uint _state;

    /// <summary>Starts a new checksum.</summary>
    public StateCrc32C() => _state = 0xFFFFFFFFu;

    /// <summary>The checksum of everything appended so far.</summary>
    public readonly uint Value => ~_state;

    /// <summary>Appends bytes.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        uint crc = _state;
        ReadOnlySpan<ulong> words = MemoryMarshal.Cast<byte, ulong>(data);
        foreach (ulong word in words)
        {
            crc = BitOperations.Crc32C(crc, BitConverter.IsLittleEndian ? word : BinaryPrimitives.ReverseEndianness(word));
        }

        foreach (byte b in data[(words.Length * sizeof(ulong))..])
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        _state = crc;
    }

    /// <summary>Appends a 64-bit integer in little-endian byte order.</summary>
    public void Append(long value) => _state = BitOperations.Crc32C(_state, (ulong)value);

    /// <summary>Appends a 32-bit integer in little-endian byte order.</summary>
    public void Append(int value) => _state = BitOperations.Crc32C(_state, (uint)value);

    /// <summary>Computes the checksum of one buffer.</summary>
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var crc = new StateCrc32C();
        crc.Append(data);
        return crc.Value;
    }
}
