using System.Globalization;
using Cairn.Protocol.Etcd;

namespace Cairn.Cli.Output;

/// <summary>
/// The rows etcdctl builds for member list and the endpoint verbs; the simple format prints them joined with
/// ", ", the table format draws them.
/// </summary>
public static class TableRows
{
    /// <summary>Headers of <c>member list</c>.</summary>
    public static readonly string[] MemberHeaders = ["ID", "Status", "Name", "Peer Addrs", "Client Addrs", "Is Learner"];

    /// <summary>Headers of <c>endpoint status</c>.</summary>
    public static readonly string[] StatusHeaders =
        ["endpoint", "ID", "version", "db size", "is leader", "is learner", "raft term", "raft index", "raft applied index", "errors"];

    /// <summary>Headers of <c>endpoint hashkv</c>.</summary>
    public static readonly string[] HashHeaders = ["endpoint", "hash"];

    /// <summary>Headers of <c>endpoint health</c>.</summary>
    public static readonly string[] HealthHeaders = ["endpoint", "health", "took", "error"];

    /// <summary>One row per member: ID (hex), started/unstarted, name, peer URLs, client URLs, learner.</summary>
    public static IEnumerable<string[]> Members(MemberListResponse response)
    {
        foreach (var member in response.Members)
        {
            yield return
            [
                GoText.Hex(member.ID),
                member.Name.Length == 0 ? "unstarted" : "started",
                member.Name,
                string.Join(',', member.PeerURLs),
                string.Join(',', member.ClientURLs),
                member.IsLearner ? "true" : "false",
            ];
        }
    }

    /// <summary>One row per endpoint status.</summary>
    public static IEnumerable<string[]> Statuses(IReadOnlyList<EndpointStatus> statuses)
    {
        foreach (var (endpoint, status) in statuses)
        {
            ulong memberId = status.Header?.MemberId ?? 0;
            yield return
            [
                endpoint,
                GoText.Hex(memberId),
                status.Version,
                Humanize.Bytes(unchecked((ulong)status.DbSize)),
                status.Leader == memberId ? "true" : "false",
                status.IsLearner ? "true" : "false",
                status.RaftTerm.ToString(CultureInfo.InvariantCulture),
                status.RaftIndex.ToString(CultureInfo.InvariantCulture),
                status.RaftAppliedIndex.ToString(CultureInfo.InvariantCulture),
                string.Join(", ", status.Errors),
            ];
        }
    }

    /// <summary>One row per endpoint hash.</summary>
    public static IEnumerable<string[]> Hashes(IReadOnlyList<EndpointHash> hashes)
    {
        foreach (var (endpoint, hash) in hashes)
        {
            yield return [endpoint, hash.Hash.ToString(CultureInfo.InvariantCulture)];
        }
    }

    /// <summary>One row per endpoint health result.</summary>
    public static IEnumerable<string[]> Health(IReadOnlyList<EndpointHealth> health)
    {
        foreach (var entry in health)
        {
            yield return [entry.Endpoint, entry.Health ? "true" : "false", entry.Took, entry.Error];
        }
    }
}
