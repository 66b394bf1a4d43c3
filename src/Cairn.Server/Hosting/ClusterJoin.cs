using System.Net.Sockets;
using Cairn.Protocol.Etcd;
using Cairn.Server.Node;
using Cairn.Server.Peers;
using Cairn.Storage.Durability;
using Cairn.Storage.Cluster;
using Microsoft.Extensions.Logging;

namespace Cairn.Server.Hosting;

/// <summary>
/// Starting a member with <c>--initial-cluster-state existing</c> (after <c>member add</c>), as etcd does: the member
/// does not derive its identity from <c>--initial-cluster</c> (a runtime-added member's ID is not derivable, and the
/// cluster ID belongs to the original members); it asks the running members for their member list over the peer port,
/// finds itself there by its peer URLs, and keeps that member ID and cluster ID in <c>member.id</c>. A member the
/// cluster does not list refuses to start.
/// </summary>
internal static partial class ClusterJoin
{
    /// <summary>Rounds over the other members' peer URLs before giving up (they may be restarting).</summary>
    private const int Attempts = 3;

    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The members the peer transport starts with: for a first start with <c>existing</c>, the running cluster's member
    /// list (and this member's identity is stored); otherwise the initial cluster's members.
    /// </summary>
    /// <exception cref="HostStartException">No member answered, or the cluster does not list this member.</exception>
    public static async Task<IReadOnlyList<Member>> PrepareAsync(NodeOptions options, ILogger log, CancellationToken cancellationToken)
    {
        if (!options.JoinExistingCluster || HasIdentity(options.DataDirectory))
        {
            return EtcdNode.InitialMembers(options);
        }

        MemberListResponse cluster = await AskClusterAsync(options, cancellationToken).ConfigureAwait(false);
        ulong clusterId = cluster.Header.ClusterId;
        List<string> own = MemberUrls.Sorted(options.PeerUrls).ToList();
        Member? self = cluster.Members.FirstOrDefault(m => m.PeerURLs.SequenceEqual(own, StringComparer.Ordinal));
        if (self is null)
        {
            string members = string.Join(", ", cluster.Members.Select(m => $"{m.ID:x}={string.Join("|", m.PeerURLs)}"));
            throw new HostStartException(
                $"member {options.Name} (peer URLs {string.Join(",", own)}) is not in the member list of cluster {clusterId:x} ({members}); " +
                $"add it first with `etcdctl member add {options.Name} --peer-urls={string.Join(",", own)}` and start it with the " +
                "ETCD_INITIAL_CLUSTER that prints, or use --initial-cluster-state new to start a new cluster");
        }

        if (self.Name.Length > 0)
        {
            throw new HostStartException(
                $"member {self.ID:x} ({self.Name}) has already started in cluster {clusterId:x}, but {options.DataDirectory} holds no " +
                $"member identity (was the data directory wiped?); remove the member (member remove {self.ID:x}), add it again and " +
                "start it on an empty data directory");
        }

        new MemberIdentity(self.ID, clusterId).Save(options.DataDirectory);
        Joining(log, self.ID, clusterId, cluster.Members.Count, self.IsLearner ? "learner" : "voter");
        return [.. cluster.Members];
    }

    private static bool HasIdentity(string dataDirectory)
    {
        try
        {
            return MemberIdentity.Load(dataDirectory) is not null;
        }
        catch (StorageCorruptionException)
        {
            // Opening the member reports the damaged file with what to do.
            return true;
        }
    }

    private static async Task<MemberListResponse> AskClusterAsync(NodeOptions options, CancellationToken cancellationToken)
    {
        var own = options.PeerUrls.ToHashSet(StringComparer.Ordinal);
        var others = options.InitialCluster.Select(m => m.PeerUrl).Where(url => !own.Contains(url)).Distinct().ToList();
        if (others.Count == 0)
        {
            throw new HostStartException(
                "--initial-cluster-state existing needs the running members' peer URLs in --initial-cluster (as `member add` prints them)");
        }

        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int attempt = 0; attempt < Attempts; attempt++)
        {
            foreach (string url in others)
            {
                try
                {
                    return await PeerMemberList.AskAsync(url, AskTimeout, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception error) when (!cancellationToken.IsCancellationRequested
                    && error is IOException or SocketException or OperationCanceledException or UriFormatException)
                {
                    problems[url] = error.Message;
                }
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
        }

        throw new HostStartException(
            $"cannot get the member list of the cluster to join from any of {string.Join(",", others)} " +
            $"({string.Join("; ", problems.Select(p => $"{p.Key}: {p.Value}"))}); start the running members first, or check --initial-cluster");
    }

    [LoggerMessage(20, LogLevel.Information, "joining cluster {ClusterId:x} as member {MemberId:x} ({Role}); the cluster lists {Members} members",
        EventName = "joining")]
    private static partial void Joining(ILogger logger, ulong memberId, ulong clusterId, int members, string role);
}
