using System.Text;

namespace Cairn.Bench.Hpack;

/// <summary>The 61 predefined header fields of HPACK (RFC 7541 Appendix A); index 1 is the first entry.</summary>
internal static class HpackStaticTable
{
    /// <summary>How many entries the static table has; dynamic table indices start after it.</summary>
    public const int Count = 61;

    private static readonly (byte[] Name, byte[] Value)[] Entries = Build(
    [
        (":authority", ""), (":method", "GET"), (":method", "POST"), (":path", "/"), (":path", "/index.html"),
        (":scheme", "http"), (":scheme", "https"), (":status", "200"), (":status", "204"), (":status", "206"),
        (":status", "304"), (":status", "400"), (":status", "404"), (":status", "500"), ("accept-charset", ""),
        ("accept-encoding", "gzip, deflate"), ("accept-language", ""), ("accept-ranges", ""), ("accept", ""),
        ("access-control-allow-origin", ""), ("age", ""), ("allow", ""), ("authorization", ""), ("cache-control", ""),
        ("content-disposition", ""), ("content-encoding", ""), ("content-language", ""), ("content-length", ""),
        ("content-location", ""), ("content-range", ""), ("content-type", ""), ("cookie", ""), ("date", ""),
        ("etag", ""), ("expect", ""), ("expires", ""), ("from", ""), ("host", ""), ("if-match", ""),
        ("if-modified-since", ""), ("if-none-match", ""), ("if-range", ""), ("if-unmodified-since", ""),
        ("last-modified", ""), ("link", ""), ("location", ""), ("max-forwards", ""), ("proxy-authenticate", ""),
        ("proxy-authorization", ""), ("range", ""), ("referer", ""), ("refresh", ""), ("retry-after", ""),
        ("server", ""), ("set-cookie", ""), ("strict-transport-security", ""), ("transfer-encoding", ""),
        ("user-agent", ""), ("vary", ""), ("via", ""), ("www-authenticate", ""),
    ]);

    /// <summary>The name of entry <paramref name="index"/> (1-based).</summary>
    public static ReadOnlySpan<byte> Name(int index) => Entries[index - 1].Name;

    /// <summary>The value of entry <paramref name="index"/> (1-based).</summary>
    public static ReadOnlySpan<byte> Value(int index) => Entries[index - 1].Value;

    /// <summary>The index of the entry with this exact name and value, or 0.</summary>
    public static int FindExact(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        for (int i = 0; i < Entries.Length; i++)
        {
            if (name.SequenceEqual(Entries[i].Name) && value.SequenceEqual(Entries[i].Value))
            {
                return i + 1;
            }
        }

        return 0;
    }

    /// <summary>The index of the first entry with this name, or 0.</summary>
    public static int FindName(ReadOnlySpan<byte> name)
    {
        for (int i = 0; i < Entries.Length; i++)
        {
            if (name.SequenceEqual(Entries[i].Name))
            {
                return i + 1;
            }
        }

        return 0;
    }

    private static (byte[] Name, byte[] Value)[] Build((string Name, string Value)[] entries)
    {
        Cairn.Protocol.Invariant.Check(entries.Length == Count, "the HPACK static table has 61 entries");
        var result = new (byte[] Name, byte[] Value)[entries.Length];
        for (int i = 0; i < entries.Length; i++)
        {
            result[i] = (Encoding.ASCII.GetBytes(entries[i].Name), Encoding.ASCII.GetBytes(entries[i].Value));
        }

        return result;
    }
}
