namespace Cairn.Storage.Bolt;

/// <summary>64-bit FNV-1a, the checksum bbolt keeps in its meta pages.</summary>
internal static class Fnv1a64
{
    private const ulong OffsetBasis = 14695981039346656037;
    private const ulong Prime = 1099511628211;

    public static ulong Hash(ReadOnlySpan<byte> data)
    {
        ulong hash = OffsetBasis;
        foreach (byte b in data)
        {
            hash ^= b;
            hash *= Prime;
        }

        return hash;
    }
}
