using System.Buffers.Binary;
using Cairn.Storage.Durability;

namespace Cairn.Storage.Cluster;

/// <summary>
/// This member's ID and its cluster's ID. Derived once, when the member is created, exactly as etcd derives them
/// (<see cref="MemberIds"/>: SHA-1 of the sorted peer URLs and the cluster token), then kept in a checksummed file
/// (<c>member.id</c> in the data directory) so they never change, even if the peer URLs in the configuration do.
/// </summary>
public sealed record MemberIdentity(ulong MemberId, ulong ClusterId)
{
    /// <summary>The file name in the data directory.</summary>
    public const string FileName = "member.id";

    private static readonly ulong ContentKind = ChecksummedFileWriter.ContentKindOf("MEMBERID");

    /// <summary>The identity of a new member (<paramref name="peerUrls"/>) of a new cluster of
    /// <paramref name="initialCluster"/> (name and peer URL pairs; a name may come with several URLs).</summary>
    public static MemberIdentity Derive(IEnumerable<(string Name, string PeerUrl)> initialCluster, IEnumerable<string> peerUrls, string clusterToken)
    {
        var membersByName = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach ((string name, string url) in initialCluster)
        {
            if (!membersByName.TryGetValue(name, out List<string>? urls))
            {
                membersByName[name] = urls = [];
            }

            urls.Add(url);
        }

        ulong memberId = MemberIds.ForMember(peerUrls, clusterToken);
        var ids = membersByName.Values.Select(urls => MemberIds.ForMember(urls, clusterToken)).ToList();
        return new MemberIdentity(memberId, MemberIds.ForCluster(ids));
    }

    /// <summary>The identity stored in <paramref name="dataDirectory"/>, or null when there is none.</summary>
    /// <exception cref="StorageCorruptionException">The file is damaged (names the file and what to do).</exception>
    public static MemberIdentity? Load(string dataDirectory)
    {
        string path = Path.Combine(dataDirectory, FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        using ChecksummedFileReader reader = ChecksummedFileReader.Open(path, ContentKind,
            "restore the data directory from a backup, or remove it and re-add this member to its cluster");
        Span<byte> payload = stackalloc byte[16];
        if (reader.PayloadBytes != payload.Length)
        {
            throw new StorageCorruptionException(path, 0, $"the identity holds {reader.PayloadBytes} bytes, expected {payload.Length}",
                "restore the data directory from a backup");
        }

        reader.ReadPayload(0, payload);
        return new MemberIdentity(BinaryPrimitives.ReadUInt64LittleEndian(payload), BinaryPrimitives.ReadUInt64LittleEndian(payload[8..]));
    }

    /// <summary>Writes the identity durably (atomic replace, fsync, directory fsync).</summary>
    public void Save(string dataDirectory)
    {
        Span<byte> payload = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(payload, MemberId);
        BinaryPrimitives.WriteUInt64LittleEndian(payload[8..], ClusterId);
        using ChecksummedFileWriter writer = ChecksummedFileWriter.Create(Path.Combine(dataDirectory, FileName), ContentKind);
        writer.Write(payload);
        writer.Commit();
    }
}
