using System.Buffers.Binary;
using System.Numerics;

namespace Cairn.Storage.Cluster;

/// <summary>
/// SHA-1 (FIPS 180-4, §6.1) for etcd's member and cluster ID derivation only. The framework's SHA1 loads OpenSSL
/// (libssl and libcrypto, about 4 MiB resident) into a server that otherwise never needs it unless it serves TLS;
/// the IDs hash a few dozen bytes once per start, so speed does not matter here. Not for anything security-related.
/// </summary>
public static class Sha1
{
    /// <summary>Bytes in a digest.</summary>
    public const int HashSizeInBytes = 20;

    private const int BlockBytes = 64;

    /// <summary>Writes the SHA-1 digest of <paramref name="source"/> into the first 20 bytes of <paramref name="destination"/>.</summary>
    public static void HashData(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, HashSizeInBytes, nameof(destination));
        Span<uint> state = [0x67452301u, 0xEFCDAB89u, 0x98BADCFEu, 0x10325476u, 0xC3D2E1F0u];
        Span<uint> schedule = stackalloc uint[80];
        int whole = source.Length / BlockBytes * BlockBytes;
        for (int offset = 0; offset < whole; offset += BlockBytes)
        {
            Compress(state, schedule, source.Slice(offset, BlockBytes));
        }

        // The tail, the 0x80 marker, zeros, and the message length in bits (big-endian) fill one or two last blocks.
        Span<byte> last = stackalloc byte[2 * BlockBytes];
        last.Clear();
        ReadOnlySpan<byte> tail = source[whole..];
        tail.CopyTo(last);
        last[tail.Length] = 0x80;
        int lastLength = tail.Length + 1 + 8 <= BlockBytes ? BlockBytes : 2 * BlockBytes;
        BinaryPrimitives.WriteUInt64BigEndian(last.Slice(lastLength - 8), (ulong)source.Length * 8);
        for (int offset = 0; offset < lastLength; offset += BlockBytes)
        {
            Compress(state, schedule, last.Slice(offset, BlockBytes));
        }

        for (int i = 0; i < state.Length; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(i * 4), state[i]);
        }
    }

    private static void Compress(Span<uint> state, Span<uint> w, ReadOnlySpan<byte> block)
    {
        for (int t = 0; t < 16; t++)
        {
            w[t] = BinaryPrimitives.ReadUInt32BigEndian(block.Slice(t * 4));
        }

        for (int t = 16; t < 80; t++)
        {
            w[t] = BitOperations.RotateLeft(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);
        }

        uint a = state[0], b = state[1], c = state[2], d = state[3], e = state[4];
        for (int t = 0; t < 80; t++)
        {
            (uint f, uint k) = t switch
            {
                < 20 => ((b & c) | (~b & d), 0x5A827999u),
                < 40 => (b ^ c ^ d, 0x6ED9EBA1u),
                < 60 => ((b & c) | (b & d) | (c & d), 0x8F1BBCDCu),
                _ => (b ^ c ^ d, 0xCA62C1D6u),
            };
            uint next = BitOperations.RotateLeft(a, 5) + f + e + k + w[t];
            e = d;
            d = c;
            c = BitOperations.RotateLeft(b, 30);
            b = a;
            a = next;
        }

        state[0] += a;
        state[1] += b;
        state[2] += c;
        state[3] += d;
        state[4] += e;
    }
}
