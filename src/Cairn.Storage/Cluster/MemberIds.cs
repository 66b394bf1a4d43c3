using System.Buffers.Binary;
using System.Text;

namespace Cairn.Storage.Cluster;

/// <summary>
/// etcd's ID derivations (reference §4.9), so a Cairn cluster gets the IDs etcd would give it: member ID = first 8
/// bytes (big-endian) of SHA-1(sorted peer URLs concatenated + cluster token [+ Unix seconds for runtime adds]);
/// cluster ID = first 8 bytes of SHA-1(the sorted member IDs as big-endian bytes). Clients treat both as opaque.
/// </summary>
public static class MemberIds
{
    /// <summary>The ID of a member with these peer URLs (pass <paramref name="unixSeconds"/> for members added at
    /// runtime, null for the initial cluster).</summary>
    public static ulong ForMember(IEnumerable<string> peerUrls, string clusterToken, long? unixSeconds = null)
    {
        var text = new StringBuilder();
        foreach (string url in MemberUrls.Sorted(peerUrls))
        {
            text.Append(url);
        }

        text.Append(clusterToken);
        if (unixSeconds is long seconds)
        {
            text.Append(seconds);
        }

        return FirstEightBytes(Encoding.UTF8.GetBytes(text.ToString()));
    }

    /// <summary>The cluster ID of these members.</summary>
    public static ulong ForCluster(IEnumerable<ulong> memberIds)
    {
        var sorted = memberIds.ToList();
        sorted.Sort();
        byte[] bytes = new byte[sorted.Count * 8];
        for (int i = 0; i < sorted.Count; i++)
        {
            BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(i * 8), sorted[i]);
        }

        return FirstEightBytes(bytes);
    }

    private static ulong FirstEightBytes(byte[] input)
    {
        Span<byte> hash = stackalloc byte[Sha1.HashSizeInBytes];
        Sha1.HashData(input, hash);
        return BinaryPrimitives.ReadUInt64BigEndian(hash);
    }
}
