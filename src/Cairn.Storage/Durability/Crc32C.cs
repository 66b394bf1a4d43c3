using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Cairn.Storage.Durability;

/// <summary>
/// CRC-32C (Castagnoli), the checksum of every on-disk record and block. <see cref="BitOperations.Crc32C(uint, ulong)"/>
/// uses the SSE4.2 / ARMv8 CRC instructions when the CPU has them, 8 bytes per instruction.
/// Values are the standard CRC-32C (the check value of "123456789" is 0xE3069283); <see cref="Append"/>
/// continues a checksum, so a seed ("salt") can be folded in by appending the data to the seed.
/// </summary>
public static class Crc32C
{
    /// <summary>The CRC-32C of <paramref name="data"/>.</summary>
    /// <param name="data">The bytes to checksum.</param>
    /// <returns>The checksum.</returns>
    public static uint Compute(ReadOnlySpan<byte> data) => Append(0, data);

    /// <summary>
    /// Continues <paramref name="crc"/> (the CRC-32C of some preceding bytes) over <paramref name="data"/>:
    /// <c>Append(Compute(a), b) == Compute(a concatenated with b)</c>.
    /// </summary>
    /// <param name="crc">The checksum so far (0 for none).</param>
    /// <param name="data">The bytes that follow.</param>
    /// <returns>The checksum of everything.</returns>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        // The standard CRC-32C pre- and post-inverts the register; the instructions do not.
        uint register = ~crc;
        ReadOnlySpan<ulong> words = MemoryMarshal.Cast<byte, ulong>(data);
        foreach (ulong word in words)
        {
            register = BitOperations.Crc32C(register, BitConverter.IsLittleEndian ? word : BinaryPrimitives.ReverseEndianness(word));
        }

        foreach (byte value in data[(words.Length * sizeof(ulong))..])
        {
            register = BitOperations.Crc32C(register, value);
        }

        return ~register;
    }
}
