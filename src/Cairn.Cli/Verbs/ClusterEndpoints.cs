using Cairn.Protocol.Etcd;
using Cairn.Cli.Session;

namespace Cairn.Cli.Verbs;

/// <summary>The endpoints an endpoint-addressing verb works on: --endpoints, or with --cluster every member's client URLs.</summary>
internal static class ClusterEndpoints
{
    /// <summary>Returns the endpoints to address.</summary>
    public static async Task<IReadOnlyList<string>> ResolveAsync(VerbContext context, bool cluster, CancellationToken cancellation)
    {
        if (!cluster)
        {
            return context.Settings.Endpoints;
        }
        // Like etcdctl, the member list is read without authentication (MemberList does not need it).
        var anonymous = context.Settings with { User = null, Password = null };
        try
        {
            await using var session = await context.Sessions.ConnectAsync(anonymous, anonymous.Endpoints, cancellation);
            var members = await context.WithDeadlineAsync(token => session.MemberListAsync(new MemberListRequest(), token), cancellation);
            return members.Members.SelectMany(member => member.ClientURLs).ToList();
        }
        catch (EtcdCallException failure)
        {
            throw CliException.Failure($"failed to fetch endpoints from etcd cluster member list: {failure.Message}");
        }
    }
}
