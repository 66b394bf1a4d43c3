namespace Cairn.Storage.Mvcc;

/// <summary>
/// etcd's key-range rules (reference §4.2): an empty range end means the single key; the one byte <c>\0</c> means every
/// key &gt;= the start key; anything else is the half-open interval [key, range_end), empty if range_end &lt;= key.
/// </summary>
public static class KeyRange
{
    /// <summary>True if <paramref name="rangeEnd"/> selects only the start key.</summary>
    public static bool IsSingleKey(ReadOnlySpan<byte> rangeEnd) => rangeEnd.IsEmpty;

    /// <summary>True if <paramref name="rangeEnd"/> is <c>\0</c>: every key from the start key on.</summary>
    public static bool IsUnbounded(ReadOnlySpan<byte> rangeEnd) => rangeEnd.Length == 1 && rangeEnd[0] == 0;

    /// <summary>True if <paramref name="key"/> lies in the range given by <paramref name="start"/> and <paramref name="rangeEnd"/>.</summary>
    public static bool Contains(ReadOnlySpan<byte> start, ReadOnlySpan<byte> rangeEnd, ReadOnlySpan<byte> key)
    {
        if (IsSingleKey(rangeEnd))
        {
            return key.SequenceEqual(start);
        }

        if (key.SequenceCompareTo(start) < 0)
        {
            return false;
        }

        return IsUnbounded(rangeEnd) || key.SequenceCompareTo(rangeEnd) < 0;
    }

    /// <summary>True if <paramref name="key"/> is past the end of a (non-single-key) range.</summary>
    public static bool IsPastEnd(ReadOnlySpan<byte> rangeEnd, ReadOnlySpan<byte> key) =>
        !IsUnbounded(rangeEnd) && key.SequenceCompareTo(rangeEnd) >= 0;

    /// <summary>
    /// The range end that selects every key with the given prefix: the prefix with its last byte incremented after
    /// dropping trailing 0xFF bytes; <c>\0</c> (all keys) if the prefix is empty or all 0xFF.
    /// </summary>
    public static byte[] PrefixEnd(ReadOnlySpan<byte> prefix)
    {
        for (int i = prefix.Length - 1; i >= 0; i--)
        {
            if (prefix[i] != 0xFF)
            {
                byte[] end = prefix[..(i + 1)].ToArray();
                end[i]++;
                return end;
            }
        }

        return [0];
    }
}
