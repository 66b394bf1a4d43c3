using System.Text;
using Cairn.Storage.Durability;

namespace Cairn.Storage.Tests.Durability;

public class Crc32CTests
{
    [Fact]
    public void Check_value_of_123456789_is_the_standard_one()
    {
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));
    }

    [Fact]
    public void Known_vectors_from_rfc3720()
    {
        // RFC 3720 (iSCSI) appendix B.4: 32 bytes of zeros, of 0xFF, and an ascending sequence.
        Assert.Equal(0x8A9136AAu, Crc32C.Compute(new byte[32]));
        Assert.Equal(0x62A8AB43u, Crc32C.Compute(Enumerable.Repeat((byte)0xFF, 32).ToArray()));
        Assert.Equal(0x46DD794Eu, Crc32C.Compute(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray()));
    }

    [Fact]
    public void Empty_input_is_zero()
    {
        Assert.Equal(0u, Crc32C.Compute(ReadOnlySpan<byte>.Empty));
    }

    [Fact]
    public void Append_equals_compute_of_the_concatenation_for_every_split()
    {
        byte[] data = Encoding.ASCII.GetBytes("the quick brown fox jumps over the lazy dog, 0123456789");
        uint whole = Crc32C.Compute(data);
        for (int split = 0; split <= data.Length; split++)
        {
            Assert.Equal(whole, Crc32C.Append(Crc32C.Compute(data.AsSpan(0, split)), data.AsSpan(split)));
        }
    }

    [Fact]
    public void Unaligned_inputs_match_a_bitwise_reference()
    {
        var random = new Random(7);
        byte[] buffer = new byte[300];
        random.NextBytes(buffer);
        for (int start = 0; start < 9; start++)
        {
            for (int length = 0; length < 40; length++)
            {
                ReadOnlySpan<byte> slice = buffer.AsSpan(start, length + 200);
                Assert.Equal(BitwiseReference(slice), Crc32C.Compute(slice));
            }
        }
    }

    [Fact]
    public void Every_single_bit_flip_changes_the_checksum()
    {
        byte[] data = new byte[64];
        new Random(3).NextBytes(data);
        uint original = Crc32C.Compute(data);
        for (int bit = 0; bit < data.Length * 8; bit++)
        {
            data[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.NotEqual(original, Crc32C.Compute(data));
            data[bit / 8] ^= (byte)(1 << (bit % 8));
        }
    }

    private static uint BitwiseReference(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte value in data)
        {
            crc ^= value;
            for (int bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
            }
        }

        return ~crc;
    }
}
