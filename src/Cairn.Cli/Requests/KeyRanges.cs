namespace Cairn.Cli.Requests;

/// <summary>The range ends clientv3 computes for <c>--prefix</c> and <c>--from-key</c>.</summary>
public static class KeyRanges
{
    /// <summary>The single zero byte: as a key it is the smallest key, as a range end it means "to the end of the keyspace".</summary>
    public static byte[] Zero => [0];

    /// <summary>
    /// The end of the range of keys starting with <paramref name="prefix"/>: the prefix with its last byte below
    /// 0xff incremented and the rest cut off; a prefix of only 0xff bytes has no end, so it ranges to the end of
    /// the keyspace (<c>\0</c>).
    /// </summary>
    public static byte[] PrefixEnd(ReadOnlySpan<byte> prefix)
    {
        for (int index = prefix.Length - 1; index >= 0; index--)
        {
            if (prefix[index] < 0xff)
            {
                byte[] end = prefix[..(index + 1)].ToArray();
                end[index]++;
                return end;
            }
        }
        return Zero;
    }
}
