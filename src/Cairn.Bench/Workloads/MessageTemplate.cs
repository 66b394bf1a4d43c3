using Google.Protobuf;

namespace Cairn.Bench.Workloads;

/// <summary>
/// A serialized request whose keys are rewritten in place for each request, so a load generator sends a new key
/// without building and serializing a message. The key positions are found by serializing the message twice, with
/// every key all 0x00 and all 0xFF: the bytes that differ are the keys.
/// </summary>
internal sealed class MessageTemplate
{
    private readonly byte[] _bytes;
    private readonly int[] _keyOffsets;

    private MessageTemplate(byte[] bytes, int[] keyOffsets, int keySize)
    {
        _bytes = bytes;
        _keyOffsets = keyOffsets;
        KeySize = keySize;
    }

    /// <summary>The serialized size of every request.</summary>
    public int Length => _bytes.Length;

    /// <summary>The size of each key.</summary>
    public int KeySize { get; }

    /// <summary>How many keys each request holds.</summary>
    public int KeyCount => _keyOffsets.Length;

    /// <summary>Builds the template from <paramref name="build"/>, which makes the message with every key filled with the given byte.</summary>
    public static MessageTemplate Create(Func<byte, IMessage> build, int keySize, int keyCount)
    {
        byte[] zeros = build(0x00).ToByteArray();
        byte[] ones = build(0xFF).ToByteArray();
        Cairn.Protocol.Invariant.Check(zeros.Length == ones.Length, "key bytes do not change the message layout");
        var offsets = new List<int>();
        for (int i = 0; i < zeros.Length; i++)
        {
            if (zeros[i] != ones[i])
            {
                offsets.Add(i);
                i += keySize - 1;
            }
        }

        Cairn.Protocol.Invariant.Check(offsets.Count == keyCount, "the template holds exactly the expected keys");
        return new MessageTemplate(zeros, offsets.ToArray(), keySize);
    }

    /// <summary>Copies the template into <paramref name="destination"/> and returns the key slot <paramref name="keyIndex"/> to fill.</summary>
    public Span<byte> KeySlot(Span<byte> destination, int keyIndex) => destination.Slice(_keyOffsets[keyIndex], KeySize);

    /// <summary>Copies the template (with all-zero keys) into <paramref name="destination"/>.</summary>
    public int CopyTo(Span<byte> destination)
    {
        _bytes.CopyTo(destination);
        return _bytes.Length;
    }
}
