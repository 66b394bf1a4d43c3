using System.Security.Cryptography;
using System.Text;
using Cairn.Storage.Cluster;

namespace Cairn.Storage.Tests.Cluster;

/// <summary>The SHA-1 behind etcd's ID derivation, against the published test vectors and the framework's SHA-1.</summary>
public sealed class Sha1Tests
{
    [Theory]
    [InlineData("", "da39a3ee5e6b4b0d3255bfef95601890afd80709")]
    [InlineData("abc", "a9993e364706816aba3e25717850c26c9cd0d89d")]
    [InlineData("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "84983e441c3bd26ebaae4aa1f95129e5e54670f1")]
    public void Digest_matches_the_FIPS_180_examples(string message, string expectedHex)
    {
        Assert.Equal(expectedHex, Convert.ToHexStringLower(Digest(Encoding.ASCII.GetBytes(message))));
    }

    [Fact]
    public void Digest_matches_the_framework_at_every_length_across_three_blocks()
    {
        // Lengths 0..200 cross every padding case: tail with room for the length, tail needing a second block, exact blocks.
        var random = new Random(20261122);
        for (int length = 0; length <= 200; length++)
        {
            byte[] message = new byte[length];
            random.NextBytes(message);
            Assert.Equal(SHA1.HashData(message), Digest(message));
        }
    }

    [Fact]
    public void A_short_destination_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Sha1.HashData([1, 2, 3], new byte[19]));
    }

    private static byte[] Digest(byte[] message)
    {
        byte[] digest = new byte[Sha1.HashSizeInBytes];
        Sha1.HashData(message, digest);
        return digest;
    }
}
