using System.Buffers.Binary;

namespace Cairn.StorageCrashTest;

/// <summary>
/// Entry data that identifies itself, so a verifier can tell intact data from damaged or misplaced data
/// without having seen it acknowledged. Deterministic across processes (seeded <see cref="Random"/>).
/// Layout: u32 writer, u64 sequence, u32 payload length, payload.
/// </summary>
public static class EntryPayload
{
    private const int HeaderBytes = 16;

    /// <summary>The data that writer <paramref name="writer"/> appends as its <paramref name="sequence"/>-th entry.</summary>
    public static byte[] ForWrite(int writer, long sequence)
    {
        var random = new Random(unchecked((int)((writer * 1_000_003L) + sequence)));
        int payloadBytes = random.Next(20, 600);
        byte[] data = new byte[HeaderBytes + payloadBytes];
        BinaryPrimitives.WriteInt32LittleEndian(data, writer);
        BinaryPrimitives.WriteInt64LittleEndian(data.AsSpan(4), sequence);
        BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(12), payloadBytes);
        random.NextBytes(data.AsSpan(HeaderBytes));
        return data;
    }

    /// <summary>The data of Raft-mode entry (index, term).</summary>
    public static byte[] ForEntry(ulong index, ulong term) => ForWrite((int)(term % 1_000_000), (long)index);

    /// <summary>Whether <paramref name="data"/> is exactly what its own header says it should be.</summary>
    public static bool IsIntact(ReadOnlySpan<byte> data, out int writer, out long sequence)
    {
        writer = 0;
        sequence = 0;
        if (data.Length < HeaderBytes)
        {
            return false;
        }

        writer = BinaryPrimitives.ReadInt32LittleEndian(data);
        sequence = BinaryPrimitives.ReadInt64LittleEndian(data[4..]);
        return data.SequenceEqual(ForWrite(writer, sequence));
    }
}
