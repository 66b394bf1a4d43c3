using Google.Protobuf;

namespace Cairn.Client;

/// <summary>Key-range helpers with clientv3's semantics (what <c>--prefix</c> and <c>--from-key</c> send).</summary>
public static class EtcdKeys
{
    /// <summary>The <c>range_end</c> meaning "every key from <c>key</c> on" (<c>--from-key</c>): a single zero byte.</summary>
    public static ByteString FromKeyRangeEnd { get; } = ByteString.CopyFrom(0);

    /// <summary>
    /// The <c>range_end</c> that selects every key starting with <paramref name="prefix"/>: the prefix with its last
    /// byte below 0xFF incremented and the rest dropped. A prefix of only 0xFF bytes (or empty) has no such end and
    /// gets <see cref="FromKeyRangeEnd"/>, as in clientv3.
    /// </summary>
    public static ByteString PrefixRangeEnd(ByteString prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ReadOnlySpan<byte> key = prefix.Span;
        for (int i = key.Length - 1; i >= 0; i--)
        {
            if (key[i] < 0xFF)
            {
                byte[] end = key[..(i + 1)].ToArray();
                end[i]++;
                return ByteString.CopyFrom(end);
            }
        }

        return FromKeyRangeEnd;
    }
}
