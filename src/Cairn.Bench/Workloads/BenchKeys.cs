namespace Cairn.Bench.Workloads;

/// <summary>
/// Keys as etcd's benchmark makes them: a zero-filled buffer of <c>--key-size</c> bytes holding Go's
/// <c>binary.PutVarint(n)</c> (zig-zag, then LEB128) at its start. So <c>--key-space-size 1</c> writes one key
/// over and over, as etcd's published put figures do.
/// </summary>
internal static class BenchKeys
{
    /// <summary>Writes key number <paramref name="n"/> into <paramref name="key"/> (its whole length is the key).</summary>
    public static void Write(long n, Span<byte> key)
    {
        key.Clear();
        ulong value = (ulong)(n << 1) ^ (ulong)(n >> 63);
        int at = 0;
        while (value >= 0x80)
        {
            key[at++] = (byte)(value | 0x80);
            value >>= 7;
        }

        key[at] = (byte)value;
    }

    /// <summary>How many bytes <see cref="Write"/> needs for <paramref name="n"/>.</summary>
    public static int BytesNeeded(long n)
    {
        ulong value = (ulong)(n << 1) ^ (ulong)(n >> 63);
        int bytes = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            bytes++;
        }

        return bytes;
    }

    /// <summary>Checks that every key number below <paramref name="keySpaceSize"/> fits <paramref name="keySize"/> bytes.</summary>
    public static string? Validate(int keySize, long keySpaceSize) =>
        BytesNeeded(Math.Max(0, keySpaceSize - 1)) > keySize
            ? $"--key-size {keySize} is too small for --key-space-size {keySpaceSize} (keys need {BytesNeeded(keySpaceSize - 1)} bytes)"
            : null;

    /// <summary>The value every request of a run writes: random bytes, the same ones every run (seeded).</summary>
    public static byte[] Value(int valueSize)
    {
        var value = new byte[valueSize];
        new Random(20_260_101).NextBytes(value);
        return value;
    }
}
